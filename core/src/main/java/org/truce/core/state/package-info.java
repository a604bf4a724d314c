@NullMarked
package org.truce.core.state;

import org.jspecify.annotations.NullMarked;
