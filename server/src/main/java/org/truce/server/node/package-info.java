@NullMarked
package org.truce.server.node;

import org.jspecify.annotations.NullMarked;
