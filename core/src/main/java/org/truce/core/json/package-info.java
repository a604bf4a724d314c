@NullMarked
package org.truce.core.json;

import org.jspecify.annotations.NullMarked;
