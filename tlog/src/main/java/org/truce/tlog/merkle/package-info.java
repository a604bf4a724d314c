@NullMarked
package org.truce.tlog.merkle;

import org.jspecify.annotations.NullMarked;
