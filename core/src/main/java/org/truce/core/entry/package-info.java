@NullMarked
package org.truce.core.entry;

import org.jspecify.annotations.NullMarked;
