@NullMarked
package org.truce.tlog.note;

import org.jspecify.annotations.NullMarked;
