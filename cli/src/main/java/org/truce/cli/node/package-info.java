@NullMarked
package org.truce.cli.node;

import org.jspecify.annotations.NullMarked;
