/** The C2SP tlog-witness HTTP service: {@code add-checkpoint} and the monitoring checkpoint. */
@NullMarked
package org.truce.server.witness;

import org.jspecify.annotations.NullMarked;
