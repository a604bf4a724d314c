@NullMarked
package org.truce.cli.log;

import org.jspecify.annotations.NullMarked;
