/**
 * Flight and activity volumes in four dimensions, the ASTM F3548 key rule that makes a party name
 * the versions of everything its volume intersects, and the conflicts that follow.
 */
@NullMarked
package org.truce.core.volume;

import org.jspecify.annotations.NullMarked;
