package org.truce.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.core.state.StateView;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.tiles.TileReader;

/**
 * What a transaction can read: entries and bodies by index, the log's published resources by C2SP
 * path ({@code checkpoint}, {@code tile/…}), and the state documents. Valid only inside the
 * {@link Store#read} or {@link Store#write} call that handed it out.
 */
public interface ReadTx extends StateView, TileReader {
    /** The number of entries sequenced. */
    long size();

    Optional<StoredEntry> entry(long index);

    /** The evidence file stored under {@code sha256}, lowercase hex. */
    Optional<StoredEvidence> evidence(String sha256);

    /** The hashes of the evidence files stored, in order, after {@code afterSha256} when given, at most {@code limit}. */
    List<String> evidenceHashes(@Nullable String afterSha256, int limit);

    /** Entries from {@code fromIndex} on, in index order, at most {@code limit}. */
    List<StoredEntry> entries(long fromIndex, int limit);

    /**
     * Entries received in the window from {@code from} (inclusive) to {@code until} (exclusive), in order
     * of receipt, entries received at the same time in index order; after the entry at {@code afterIndex}
     * in that order when given (the last entry of the previous page; an index with no entry gives an
     * empty page), at most {@code limit}. Receipt times compare at microsecond precision, rounded down,
     * which is the server clock's; the order of receipt can differ from index order where the clock was
     * set back. Served by an index on the time.
     */
    List<StoredEntry> entriesReceived(Instant from, Instant until, @Nullable Long afterIndex, int limit);

    /** The index of the entry whose leaf hash this is. */
    Optional<Long> indexOfLeaf(Hash leafHash);

    /** The index of the entry with this signed header (hash of its canonical JSON with the signature). */
    Optional<Long> indexOfHeader(Hash headerHash);

    /** The body of the entry at {@code index}, unfiltered. */
    Optional<StoredBody> body(long index);

    /**
     * Entries from {@code fromIndex} on, each with its body (unfiltered), in index order, at most
     * {@code limit}: what {@link #entries} and {@link #body} give, read in one query instead of one
     * for the entries and one per body. Every entry is stored with its body: one without is a damaged
     * store, and the read fails naming the entry.
     */
    List<java.util.Map.Entry<StoredEntry, StoredBody>> entriesWithBodies(long fromIndex, int limit);

    /** Every state document in (collection, id) order, after the given position, at most {@code limit}. */
    List<org.truce.core.state.Doc> allDocs(@Nullable String afterCollection, @Nullable String afterId, int limit);
}
