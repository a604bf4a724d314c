package org.truce.server.sequencer;

import org.truce.tlog.merkle.Hash;

/**
 * The answer to a submission: where the entry is in the log and the signed checkpoint that covers it.
 *
 * @param index the entry's log index
 * @param leafHash its leaf hash
 * @param checkpoint the signed checkpoint note covering it
 * @param duplicate whether the same signed entry had already been sequenced
 */
public record Receipt(long index, Hash leafHash, String checkpoint, boolean duplicate) {}
