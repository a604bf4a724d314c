@NullMarked
package org.truce.core.kind;

import org.jspecify.annotations.NullMarked;
