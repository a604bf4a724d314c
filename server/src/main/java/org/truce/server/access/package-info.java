@NullMarked
package org.truce.server.access;

import org.jspecify.annotations.NullMarked;
