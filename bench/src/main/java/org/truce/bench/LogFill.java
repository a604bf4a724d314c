package org.truce.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.Submission;
import org.truce.core.party.Keys;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.TileBuilder;

/**
 * Grows a {@link LogUnderLoad} to millions of entries in minutes. Every entry is a hotline message to
 * the hub, signed with Ed25519 by one of {@value #SENDERS} registered parties in increasing seq, and
 * written through the store's own append path ({@code WriteTx.append}: the entry and its body) with
 * its tiles and, for each transaction, a checkpoint signed with the log's key: the result is a real
 * log that audits (every hash and signature) and serves as any, on the store's own schema.
 *
 * <p>What makes it fast, and what it leaves out:
 * <ul>
 *   <li>the entries are signed ahead on every core while one thread writes them, {@value #BATCH} to a
 *       transaction, so that 10 million entries take 1,000 commits;
 *   <li>the messages are not projected into the state: the sequencer would add for each a message
 *       document with three index keys, which more than doubles the writes and the disk a message
 *       takes (see {@code docs/performance.md}). Only each sender's key document is kept true: its
 *       last seq is raised once per transaction. The state therefore holds the parties, their keys
 *       and whatever the measurements sequence, whatever the log's size;
 *   <li>the writer applies no rules, verifies no signature and looks for no re-sent entry: the entries
 *       are valid by construction, and an audit afterwards verifies every signature and hash.
 * </ul>
 * Not thread-safe: one fill at a time, with nothing else writing to the log.
 */
final class LogFill {
    /** The parties whose messages fill the log. */
    static final int SENDERS = 16;
    /** Entries per transaction. */
    static final int BATCH = 10_000;
    /** Entries a signing thread hands over at once, all from one sender. */
    private static final int CHUNK = 500;

    /** Receives progress in entries. */
    @FunctionalInterface
    interface Progress {
        void update(long size, long target);
    }

    /** Progress on stderr, each tenth of the way from {@code from} entries and at the end, with the time since. */
    static Progress printing(String run, long from) {
        long start = System.nanoTime();
        long[] shown = {from};
        return (n, target) -> {
            if (n - shown[0] >= (target - from) / 10 || n == target) {
                shown[0] = n;
                System.err.printf(java.util.Locale.ROOT, "%s: filled %,d of %,d entries, %.0f s%n", run, n, target,
                        (System.nanoTime() - start) / 1e9);
            }
        };
    }

    /** A signed message with the hash by which the log recognises it. */
    private record Signed(Submission submission, Hash headerHash) {}

    private final LogUnderLoad log;
    private final List<EntrySigner> senders = new ArrayList<>();
    private final long[] nextSeq = new long[SENDERS];

    LogFill(LogUnderLoad log) {
        this.log = log;
        for (int i = 0; i < SENDERS; i++) {
            senders.add(log.newParty());
            nextSeq[i] = 1;
        }
    }

    /** Appends messages until the log holds {@code size} entries; nothing if it already does. */
    void growTo(long size, Progress progress) throws InterruptedException {
        Store store = log.node.store();
        long start = store.read(tx -> tx.size());
        if (start >= size) {
            return;
        }
        int signers = Runtime.getRuntime().availableProcessors();
        BlockingQueue<List<Signed>> signed = new ArrayBlockingQueue<>(16 * signers);
        AtomicLong unclaimed = new AtomicLong(size - start);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < signers; t++) {
            int first = t;
            Thread th = new Thread(() -> sign(first, signers, unclaimed, signed), "fill-signer-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        Signer key = log.node.checkpointKey();
        TileBuilder tiles = store.read(tx -> TileBuilder.resume(tx, start, true));
        long[] at = {start};
        try {
            List<Signed> batch = new ArrayList<>(BATCH + CHUNK);
            while (at[0] < size) {
                batch.clear();
                while (batch.size() < BATCH && at[0] + batch.size() < size) {
                    List<Signed> chunk = signed.poll(60, TimeUnit.SECONDS);
                    if (chunk == null) {
                        throw new IllegalStateException("the signing threads stopped");
                    }
                    batch.addAll(chunk);
                }
                store.write(tx -> {
                    TileBuilder.Sink sink = (path, data) -> tx.putTile(path.path(), data);
                    Map<String, Long> lastSeq = new HashMap<>();
                    for (Signed s : batch) {
                        long index = at[0]++;
                        EntryHeader h = s.submission().header();
                        Instant received = Instant.now();
                        byte[] leaf = Leaf.encode(h, received);
                        Hash leafHash = tiles.add(leaf, sink);
                        tx.append(new StoredEntry(index, leafHash, s.headerHash(), leaf, h.kind(), h.author(), received),
                                new StoredBody(index, s.submission().canonicalBody(), new byte[0], h.visibility(), h.author()));
                        lastSeq.merge(h.key(), h.seq(), Math::max);
                    }
                    tiles.flushPartials(sink);
                    lastSeq.forEach((ref, seq) -> {
                        Doc k = tx.get(Keys.COLLECTION, ref).orElseThrow();
                        ObjectNode b = k.body();
                        b.put("lastSeq", seq);
                        tx.apply(new Change.Put(new Doc(k.collection(), k.id(), b, k.keys(), k.visibility(), k.owner(), k.index())));
                    });
                    Checkpoint cp = new Checkpoint(key.name(), tiles.size(), tiles.root());
                    tx.putCheckpoint(SignedNote.sign(cp.text(), key).encode());
                    return null;
                });
                progress.update(at[0], size);
            }
        } finally {
            unclaimed.set(Long.MIN_VALUE);
            for (Thread th : threads) {
                th.interrupt();
            }
            for (Thread th : threads) {
                th.join();
            }
        }
    }

    /** Signs chunks for the senders {@code first}, {@code first + step}, … until none is left to claim. */
    private void sign(int first, int step, AtomicLong unclaimed, BlockingQueue<List<Signed>> out) {
        try {
            for (int s = first; ; s = s + step < SENDERS ? s + step : first) {
                long n = Math.min(CHUNK, unclaimed.getAndAdd(-CHUNK));
                if (n <= 0) {
                    return;
                }
                List<Signed> chunk = new ArrayList<>((int) n);
                for (Submission m : LogUnderLoad.messages(senders.get(s), nextSeq[s], (int) n)) {
                    chunk.add(new Signed(m, Sequencer.headerHash(m.header())));
                }
                nextSeq[s] += n;
                out.put(chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
