@NullMarked
package org.truce.tlog.tiles;

import org.jspecify.annotations.NullMarked;
