@NullMarked
package org.truce.core.party;

import org.jspecify.annotations.NullMarked;
