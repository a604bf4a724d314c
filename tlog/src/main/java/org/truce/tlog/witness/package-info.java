/**
 * Witnessing checkpoints, C2SP tlog-witness: the {@code add-checkpoint} request format
 * ({@link org.truce.tlog.witness.AddCheckpoint}), the witness that checks and cosigns
 * ({@link org.truce.tlog.witness.Witness}) with its durable state
 * ({@link org.truce.tlog.witness.WitnessStore}), the log side that collects cosignatures
 * ({@link org.truce.tlog.witness.WitnessClient}) and the C2SP tlog-policy that decides which
 * cosignatures a client requires ({@link org.truce.tlog.witness.Policy}).
 */
@NullMarked
package org.truce.tlog.witness;

import org.jspecify.annotations.NullMarked;
