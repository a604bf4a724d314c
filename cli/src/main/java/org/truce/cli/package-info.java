@NullMarked
package org.truce.cli;

import org.jspecify.annotations.NullMarked;
