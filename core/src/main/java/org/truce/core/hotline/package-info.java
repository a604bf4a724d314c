@NullMarked
package org.truce.core.hotline;

import org.jspecify.annotations.NullMarked;
