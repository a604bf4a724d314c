@NullMarked
package org.truce.core.access;

import org.jspecify.annotations.NullMarked;
