@NullMarked
package org.truce.tlog.proof;

import org.jspecify.annotations.NullMarked;
