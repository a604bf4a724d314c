package org.truce.store;

import org.truce.core.state.Change;

/** A write transaction: appends entries, tiles, the checkpoint and state changes, all or nothing. */
public interface WriteTx extends ReadTx {
    /** Appends the entry at the next index; {@code entry.index()} MUST equal {@link #size()}. */
    void append(StoredEntry entry, StoredBody body);

    /** Stores a tile or entry bundle at its C2SP path, replacing any earlier content at that path. */
    void putTile(String path, byte[] data);

    /** Stores an evidence file unless one is already stored under its hash; returns whether it was new. */
    boolean putEvidence(StoredEvidence evidence);

    /** Replaces the current signed checkpoint note. */
    void putCheckpoint(byte[] note);

    void apply(Change change);
}
