/** Declared areas of presence or control: who declared which actor where, for what period, and where they disagree. */
@NullMarked
package org.truce.core.area;

import org.jspecify.annotations.NullMarked;
