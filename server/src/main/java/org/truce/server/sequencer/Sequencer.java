package org.truce.server.sequencer;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.Submission;
import org.truce.core.json.Json;
import org.truce.core.ledger.Ledger;
import org.truce.core.ledger.Sequenced;
import org.truce.core.state.Change;
import org.truce.core.state.Overlay;
import org.truce.store.ReadTx;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.store.WriteTx;
import org.truce.tlog.TlogException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.TileBuilder;
import org.truce.tlog.tiles.TileNodeReader;

/**
 * The single writer of the log. Submissions are admitted (schema, signature) on the submitting
 * thread, so signatures are verified in parallel; a single thread then takes them in batches and, in
 * one store transaction per batch, applies each in order against the state (key validity, seq, the
 * kinds' rules), appends the leaves, bodies, tiles and state changes, and signs a checkpoint. Each
 * submitter is answered once the transaction has committed.
 *
 * <p>Implementations of the store's write MUST be durable on return; the sequencer MUST NOT answer a
 * submission before. Thread-safe.
 */
public final class Sequencer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sequencer.class);
    /** Tuning of batching and back-pressure. */
    public record Options(int maxBatch, Duration linger, int queueCapacity) {
        public static final Options DEFAULT = new Options(1024, Duration.ofMillis(2), 16_384);
    }

    /** What the writer takes from its queue: one submission, or a group sequenced on its own. */
    private sealed interface Work permits Pending, Group {}

    private record Pending(Submission submission, Hash headerHash, CompletableFuture<Receipt> answer) implements Work {}

    /** Submissions sequenced together in one transaction of their own; a dry run rolls it back. */
    private record Group(List<Pending> items, boolean dryRun, CompletableFuture<Void> done) implements Work {}

    /** Thrown inside a dry run's transaction so that nothing of it is written. */
    private static final class DryRun extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<Runnable> answers;

        DryRun(List<Runnable> answers) {
            super("dry run", null, false, false);
            this.answers = answers;
        }
    }

    /** The most entries one group may hold. */
    public static final int MAX_GROUP = 200_000;

    private final Store store;
    private final Ledger ledger;
    private final Signer checkpointSigner;
    private final Clock clock;
    private final Options options;
    private final BlockingQueue<Work> queue;
    private final Thread writer;
    private volatile boolean closed;
    private @Nullable TileBuilder builder;
    private volatile String lastCheckpoint;

    public Sequencer(Store store, Ledger ledger, Signer checkpointSigner, Clock clock, Options options) {
        this.store = store;
        this.ledger = ledger;
        this.checkpointSigner = checkpointSigner;
        this.clock = clock;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.lastCheckpoint = store.read(tx -> tx.read("checkpoint").map(b -> new String(b,
                java.nio.charset.StandardCharsets.UTF_8)).orElse(""));
        if (lastCheckpoint.isEmpty()) {
            lastCheckpoint = store.write(tx -> {
                Checkpoint c = new Checkpoint(checkpointSigner.name(), 0, Rfc9162.EMPTY_ROOT);
                byte[] note = SignedNote.sign(c.text(), checkpointSigner).encode();
                tx.putCheckpoint(note);
                return new String(note, java.nio.charset.StandardCharsets.UTF_8);
            });
        }
        this.writer = new Thread(this::run, "truce-sequencer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The latest signed checkpoint note. */
    public String checkpoint() {
        return lastCheckpoint;
    }

    /**
     * Submits a signed entry. The returned future completes with the receipt once the entry is durably
     * sequenced, or with an {@link EntryException} if a rule refuses it. A re-sent entry already in the
     * log is answered at once with its existing index.
     *
     * @throws EntryException if the entry fails its schema or signature check
     * @throws OverloadedException if the queue is full
     */
    public CompletableFuture<Receipt> submit(Submission s) throws EntryException {
        return submit(s, admitted -> { });
    }

    /**
     * As {@link #submit(Submission)}, with {@code gate} called once the entry's schema and signature
     * passed and before it is queued: an exception it throws refuses the entry and queues nothing (a
     * rate limit on the key that verified, say). Not called for a re-sent entry already sequenced.
     */
    public CompletableFuture<Receipt> submit(Submission s, java.util.function.Consumer<Submission> gate) throws EntryException {
        if (closed) {
            throw new OverloadedException("the sequencer is shutting down");
        }
        Hash headerHash = headerHash(s.header());
        EntryException[] refused = new EntryException[1];
        Optional<Receipt> existing = store.read(tx -> {
            Optional<Receipt> dup = tx.indexOfHeader(headerHash).flatMap(tx::entry)
                    .map(e -> new Receipt(e.index(), e.leafHash(), lastCheckpoint, true));
            if (dup.isEmpty()) {
                try {
                    ledger.admit(tx, s);
                } catch (EntryException e) {
                    refused[0] = e;
                }
            }
            return dup;
        });
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        if (refused[0] != null) {
            throw refused[0];
        }
        gate.accept(s);
        Pending p = new Pending(s, headerHash, new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new OverloadedException("the sequencer has " + options.queueCapacity() + " entries waiting");
        }
        return p.answer;
    }

    /**
     * Submits entries already admitted (schema and signature checked by the caller with
     * {@link Ledger#admit}) to be sequenced together, in order, in one transaction of their own: either
     * every entry the rules accept is written with one checkpoint, or, if the transaction fails,
     * none. Each entry's future answers as for {@link #submit}; a rule refusing one entry refuses that
     * entry only. In a dry run the rules are applied and the answers given, with the indexes the
     * entries would have, and then everything is rolled back.
     *
     * @return completes when every answer has been given
     * @throws OverloadedException if the queue is full
     */
    public CompletableFuture<Void> submitGroup(List<Submission> admitted, boolean dryRun,
            List<CompletableFuture<Receipt>> answers) {
        if (closed) {
            throw new OverloadedException("the sequencer is shutting down");
        }
        if (admitted.size() > MAX_GROUP) {
            throw new IllegalArgumentException("a group holds at most " + MAX_GROUP + " entries");
        }
        List<Pending> items = new ArrayList<>(admitted.size());
        for (Submission s : admitted) {
            CompletableFuture<Receipt> f = new CompletableFuture<>();
            answers.add(f);
            items.add(new Pending(s, headerHash(s.header()), f));
        }
        Group g = new Group(items, dryRun, new CompletableFuture<>());
        if (!queue.offer(g)) {
            throw new OverloadedException("the sequencer has " + options.queueCapacity() + " submissions waiting");
        }
        return g.done;
    }

    /**
     * Admits submissions as {@link #submit} does (schema, signature, key), spread over the common
     * pool in chunks that each read the store once; returns each one's refusal, or null if admitted.
     */
    public List<@Nullable EntryException> admit(List<Submission> submissions) {
        int chunk = 1_000;
        List<@Nullable EntryException> out = new ArrayList<>(java.util.Collections.nCopies(submissions.size(), null));
        java.util.stream.IntStream.range(0, (submissions.size() + chunk - 1) / chunk).parallel().forEach(c -> store.read(tx -> {
            for (int i = c * chunk; i < Math.min(submissions.size(), (c + 1) * chunk); i++) {
                try {
                    ledger.admit(tx, submissions.get(i));
                } catch (EntryException e) {
                    out.set(i, e);
                }
            }
            return null;
        }));
        return out;
    }

    /** The hash by which a re-sent signed entry is recognised: SHA-256 of its canonical signed header. */
    public static Hash headerHash(EntryHeader h) {
        MessageDigest md = Rfc9162.newDigest();
        return Hash.of(md.digest(Json.canonical(h.toJson(true))));
    }

    private void run() {
        List<Work> taken = new ArrayList<>(options.maxBatch());
        while (!closed || !queue.isEmpty()) {
            try {
                Work first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                long deadline = System.nanoTime() + options.linger().toNanos();
                while (taken.size() < options.maxBatch() && !(first instanceof Group)) {
                    long wait = deadline - System.nanoTime();
                    Work next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    taken.add(next);
                    queue.drainTo(taken, options.maxBatch() - taken.size());
                }
                List<Pending> batch = new ArrayList<>();
                for (Work w : taken) {
                    if (w instanceof Pending p) {
                        batch.add(p);
                    } else {
                        runBatch(batch, false);
                        batch = new ArrayList<>();
                        Group g = (Group) w;
                        runBatch(g.items, g.dryRun);
                        g.done.complete(null);
                    }
                }
                runBatch(batch, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                taken.clear();
            }
        }
    }

    /** Sequences one batch; if it fails, every submitter in it is told and nothing of it remains. */
    private void runBatch(List<Pending> batch, boolean dryRun) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            sequence(batch, dryRun);
        } catch (DryRun d) {
            builder = null;
            d.answers.forEach(Runnable::run);
        } catch (RuntimeException e) {
            // The transaction rolled back: the tiles in memory are ahead of the store; reload them.
            LOG.atError().setCause(e).addKeyValue("entries", batch.size())
                    .log("a batch of {} entries was not sequenced and nothing of it was written", batch.size());
            builder = null;
            for (Pending p : batch) {
                p.answer.completeExceptionally(e);
            }
        }
    }

    /** One batch in one transaction; answers are sent only after the commit. */
    private void sequence(List<Pending> batch, boolean dryRun) {
        List<Runnable> answers = new ArrayList<>();
        String note = store.write(tx -> {
            TileBuilder tiles = builder(tx);
            long startSize = tx.size();
            Overlay state = new Overlay(tx);
            Map<Hash, Receipt> seen = new HashMap<>();
            List<Pending> accepted = new ArrayList<>();
            List<Hash> leafHashes = new ArrayList<>();
            List<Pending> repeats = new ArrayList<>();
            for (Pending p : batch) {
                Optional<StoredEntry> dup = tx.indexOfHeader(p.headerHash).flatMap(tx::entry);
                if (dup.isPresent()) {
                    Receipt r = new Receipt(dup.get().index(), dup.get().leafHash(), lastCheckpoint, true);
                    answers.add(() -> p.answer.complete(r));
                    continue;
                }
                if (seen.containsKey(p.headerHash)) {
                    repeats.add(p);
                    continue;
                }
                long index = startSize + accepted.size();
                Instant received = clock.instant();
                EntryHeader h = p.submission.header();
                byte[] leaf = Leaf.encode(h, received);
                Hash leafHash = Rfc9162.leafHash(leaf);
                List<Change> changes;
                try {
                    changes = ledger.apply(state, new Sequenced(index, leafHash, h, p.submission.body(), received));
                } catch (EntryException e) {
                    answers.add(() -> p.answer.completeExceptionally(e));
                    continue;
                }
                state.apply(changes);
                tx.append(new StoredEntry(index, leafHash, p.headerHash, leaf, h.kind(), h.author(), received),
                        new StoredBody(index, p.submission.canonicalBody(), p.submission.salt(), h.visibility(), h.author()));
                tiles.add(leaf, (path, data) -> tx.putTile(path.path(), data));
                seen.put(p.headerHash, new Receipt(index, leafHash, "", false));
                accepted.add(p);
                leafHashes.add(leafHash);
            }
            if (accepted.isEmpty()) {
                return null;
            }
            if (dryRun) {
                // Nothing is signed for a tree that will not exist: the answers carry no checkpoint.
                answer(accepted, leafHashes, repeats, seen, startSize, "", answers);
                throw new DryRun(answers);
            }
            tiles.flushPartials((path, data) -> tx.putTile(path.path(), data));
            for (Change c : state.changes()) {
                tx.apply(c);
            }
            Checkpoint next = new Checkpoint(checkpointSigner.name(), tiles.size(), tiles.root());
            checkConsistent(tx, startSize, next);
            byte[] signed = SignedNote.sign(next.text(), checkpointSigner).encode();
            tx.putCheckpoint(signed);
            String text = new String(signed, java.nio.charset.StandardCharsets.UTF_8);
            answer(accepted, leafHashes, repeats, seen, startSize, text, answers);
            return text;
        });
        if (note != null) {
            lastCheckpoint = note;
        }
        answers.forEach(Runnable::run);
    }

    private static void answer(List<Pending> accepted, List<Hash> leafHashes, List<Pending> repeats, Map<Hash, Receipt> seen,
            long startSize, String checkpoint, List<Runnable> answers) {
        for (int i = 0; i < accepted.size(); i++) {
            Pending p = accepted.get(i);
            Receipt r = new Receipt(startSize + i, leafHashes.get(i), checkpoint, false);
            answers.add(() -> p.answer.complete(r));
        }
        for (Pending p : repeats) {
            Receipt first = seen.get(p.headerHash);
            Receipt r = new Receipt(first.index(), first.leafHash(), checkpoint, true);
            answers.add(() -> p.answer.complete(r));
        }
    }

    private TileBuilder builder(WriteTx tx) {
        if (builder == null || builder.size() != tx.size()) {
            builder = TileBuilder.resume(tx, tx.size(), true);
        }
        return builder;
    }

    /** Refuses to sign a tree the stored tiles do not prove consistent with the last checkpoint. */
    private void checkConsistent(ReadTx tx, long oldSize, Checkpoint next) {
        byte[] lastNote = tx.read("checkpoint").orElseThrow(() -> new TlogException("the log has no checkpoint"));
        Checkpoint old;
        try {
            old = Checkpoint.open(lastNote, checkpointSigner.verifier()).checkpoint();
        } catch (org.truce.tlog.FormatException | VerificationException e) {
            throw new TlogException("the stored checkpoint does not verify: " + e.getMessage(), e);
        }
        if (old.size() != oldSize) {
            throw new TlogException("the stored checkpoint has size " + old.size() + ", the log " + oldSize);
        }
        if (old.size() == 0) {
            return;
        }
        TileNodeReader nodes = new TileNodeReader(tx, next.size(), 16);
        Hash stored = Proofs.root(nodes, next.size());
        if (!stored.equals(next.root())) {
            throw new TlogException("the stored tiles lead to root " + stored + ", not " + next.root());
        }
        try {
            ProofVerifier.verifyConsistency(old.size(), next.size(), Proofs.consistency(nodes, old.size(), next.size()),
                    old.root(), stored);
        } catch (VerificationException e) {
            throw new TlogException("refusing to sign a checkpoint inconsistent with the last: " + e.getMessage(), e);
        }
    }

    /** Stops taking submissions, sequences what is queued, and stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
