@NullMarked
package org.truce.tlog.audit;

import org.jspecify.annotations.NullMarked;
