@NullMarked
package org.truce.tlog.checkpoint;

import org.jspecify.annotations.NullMarked;
