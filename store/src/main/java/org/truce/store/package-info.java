@NullMarked
package org.truce.store;

import org.jspecify.annotations.NullMarked;
