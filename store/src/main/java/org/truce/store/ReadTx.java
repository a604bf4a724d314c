package org.truce.store;

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

    /** Entries from {@code fromIndex} on, in index order, at most {@code limit}. */
    List<StoredEntry> entries(long fromIndex, int limit);

    /** The index of the entry whose leaf hash this is. */
    Optional<Long> indexOfLeaf(Hash leafHash);

    /** The index of the entry with this signed header (hash of its canonical JSON with the signature). */
    Optional<Long> indexOfHeader(Hash headerHash);

    /** The body of the entry at {@code index}, unfiltered. */
    Optional<StoredBody> body(long index);

    /** Every state document in (collection, id) order, after the given position, at most {@code limit}. */
    List<org.truce.core.state.Doc> allDocs(@Nullable String afterCollection, @Nullable String afterId, int limit);
}
