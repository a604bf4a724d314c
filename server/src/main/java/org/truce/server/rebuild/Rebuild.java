package org.truce.server.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.Submission;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.ledger.Ledger;
import org.truce.core.ledger.Sequenced;
import org.truce.core.state.Change;
import org.truce.core.state.Overlay;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.store.WriteTx;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.TlogException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.tiles.TileBuilder;

/**
 * Replays a log into an empty store: every entry's leaf, body and signature are checked again and
 * applied in order with the same rules, the tiles are rebuilt from the leaves, and the result must
 * reach the source's root. The state digest of the target then proves the projection deterministic.
 */
public final class Rebuild {
    /** Receives progress in entries. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    private static final int BATCH = 1000;

    /** A log to replay: its size and checkpoint, taken together, and its entries with their bodies. */
    public interface Source {
        long size();

        byte @Nullable [] checkpoint();

        /** Up to {@code limit} entries from {@code from} on, in order, each with its stored body. */
        List<Map.Entry<StoredEntry, StoredBody>> entries(long from, int limit);

        /** A store as a source, its size and checkpoint read in one transaction. */
        static Source of(Store store) {
            Object[] head = store.read(tx -> new Object[] {tx.size(), tx.read("checkpoint").orElse(null)});
            return of(store, (Long) head[0], (byte[]) head[1]);
        }

        /** A store as a source up to {@code size} entries, which the caller read with {@code checkpoint}. */
        static Source of(Store store, long size, byte @Nullable [] checkpoint) {
            return new Source() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public byte @Nullable [] checkpoint() {
                    return checkpoint;
                }

                @Override
                public List<Map.Entry<StoredEntry, StoredBody>> entries(long from, int limit) {
                    return store.read(tx -> tx.entriesWithBodies(from, (int) Math.min(limit, size - from)));
                }
            };
    }
    }

    private final Ledger ledger;

    public Rebuild(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * Replays {@code source} into {@code target}, which MUST be empty.
     *
     * @throws RebuildException naming the first entry that does not replay
     */
    public void run(Store source, Store target, Progress progress) throws RebuildException {
        run(Source.of(source), target, progress);
    }

    /**
     * Replays {@code source} into {@code target}, which MUST be empty.
     *
     * @throws RebuildException naming the first entry that does not replay
     */
    public void run(Source source, Store target, Progress progress) throws RebuildException {
        long size = source.size();
        byte[] checkpoint = source.checkpoint();
        if (target.read(tx -> tx.size()) != 0) {
            throw new RebuildException(-1, "the target store is not empty");
        }
        TileBuilder tiles = TileBuilder.empty(true);
        for (long from = 0; from < size; from += BATCH) {
            List<Map.Entry<StoredEntry, StoredBody>> batch = source.entries(from, BATCH);
            if (batch.isEmpty()) {
                throw new RebuildException(from, "the source has no entry " + from + " of its " + size);
            }
            List<StoredEntry> entries = batch.stream().map(Map.Entry::getKey).toList();
            List<StoredBody> bodies = batch.stream().map(Map.Entry::getValue).toList();
            try {
                target.write(tx -> replayBatch(tx, tiles, entries, bodies));
            } catch (Stop stop) {
                throw stop.failure;
            }
            progress.update(from + entries.size(), size);
        }
        target.write(tx -> {
            tiles.flushPartials((path, data) -> tx.putTile(path.path(), data));
            if (checkpoint != null) {
                tx.putCheckpoint(checkpoint);
            }
            return null;
        });
        if (checkpoint != null) {
            Checkpoint cp;
            try {
                cp = Checkpoint.parse(org.truce.tlog.note.SignedNote.parse(checkpoint).text());
            } catch (org.truce.tlog.FormatException e) {
                throw new RebuildException(-1, "the source checkpoint is malformed: " + e.getMessage());
            }
            if (cp.size() != tiles.size() || !cp.root().equals(tiles.root())) {
                throw new RebuildException(-1, "the replayed log has root " + tiles.root() + " at size " + tiles.size()
                        + ", but the source checkpoint says " + cp.root() + " at size " + cp.size());
            }
        }
    }

    /** Replays one batch into the target's transaction; a failure rolls the whole batch back. */
    private @Nullable Void replayBatch(WriteTx tx, TileBuilder tiles, List<StoredEntry> entries, List<StoredBody> bodies) {
        Overlay state = new Overlay(tx);
        for (int i = 0; i < entries.size(); i++) {
            StoredEntry e = entries.get(i);
            try {
                Sequenced s = replay(e, bodies.get(i));
                ledger.admit(state, Submission.of(s.header(), s.body(), bodies.get(i).salt()));
                state.apply(ledger.apply(state, s));
            } catch (EntryException | RebuildException ex) {
                throw new Stop(ex instanceof RebuildException r ? r : new RebuildException(e.index(), ex.getMessage()));
            }
            tx.append(e, bodies.get(i));
            tiles.add(e.leaf(), (path, data) -> tx.putTile(path.path(), data));
        }
        for (Change c : state.net()) {
            tx.apply(c);
        }
        return null;
    }

    /** Carries a replay failure out of the write transaction, which it rolls back. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient RebuildException failure;

        Stop(RebuildException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** Reads a stored leaf back into the sequenced entry it records, checking its hash. */
    static Sequenced replay(StoredEntry e, StoredBody body) throws RebuildException {
        if (!Rfc9162.leafHash(e.leaf()).equals(e.leafHash())) {
            throw new RebuildException(e.index(), "the stored leaf does not hash to its leaf hash");
        }
        try {
            JsonNode leaf = Json.parse(e.leaf());
            EntryHeader h = EntryHeader.fromJson(leaf.path("entry"));
            Instant received = Instant.parse(leaf.path("received").asText());
            JsonNode b = Json.parse(body.canonicalBody());
            return new Sequenced(e.index(), e.leafHash(), h, b, received);
        } catch (InvalidJsonException | EntryException | java.time.format.DateTimeParseException ex) {
            throw new RebuildException(e.index(), "the stored entry does not parse: " + ex.getMessage());
        }
    }
}
