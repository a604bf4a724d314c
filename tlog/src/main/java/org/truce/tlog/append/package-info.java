@NullMarked
package org.truce.tlog.append;

import org.jspecify.annotations.NullMarked;
