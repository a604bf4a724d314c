@NullMarked
package org.truce.server.rebuild;

import org.jspecify.annotations.NullMarked;
