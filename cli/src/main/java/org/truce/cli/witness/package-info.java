/** {@code truce witness}: run a C2SP tlog-witness that cosigns the checkpoints of the logs it follows. */
@NullMarked
package org.truce.cli.witness;

import org.jspecify.annotations.NullMarked;
