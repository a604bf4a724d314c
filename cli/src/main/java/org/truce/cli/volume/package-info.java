/** The deconfliction commands: check a volume against what it would meet before signing it. */
@NullMarked
package org.truce.cli.volume;

import org.jspecify.annotations.NullMarked;
