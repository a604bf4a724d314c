package org.truce.store;

import java.time.Instant;
import org.truce.tlog.merkle.Hash;

/**
 * A sequenced entry as stored.
 *
 * @param index the log index
 * @param leafHash the RFC 9162 leaf hash of {@code leaf}
 * @param headerHash SHA-256 of the canonical signed header, for answering re-sent entries
 * @param leaf the leaf bytes: {@code JCS({"entry":…,"received":…})}
 * @param kind the entry's kind, for filtering
 * @param author the author's party id, for filtering
 * @param received when the log received it, kept exactly as the leaf states it; the store also indexes
 *     it in microseconds for {@link ReadTx#entriesReceived}
 */
public record StoredEntry(long index, Hash leafHash, Hash headerHash, byte[] leaf, String kind, String author,
        Instant received) {
    public StoredEntry {
        leaf = leaf.clone();
    }

    @Override
    public byte[] leaf() {
        return leaf.clone();
    }
}
