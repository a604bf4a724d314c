package org.truce.server.sequencer;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.truce.store.Shared;
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
 *
 * <p>With a {@link Shared} database (several instances on one PostgreSQL, {@code docs/scaling.md}),
 * each instance admits its submissions and queues them in the database, and waits for their outcome;
 * the writer thread of whichever instance holds the sequencer role takes the queue in batches and, in
 * each batch's transaction, fences on the role, sequences as above and records every outcome.
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
    /** The last checkpoint note this sequencer verified or signed, and what it says; used by the writer thread only. */
    private byte @Nullable [] openedNote;
    private @Nullable Checkpoint openedCheckpoint;
    private final @Nullable Shared shared;
    private final @Nullable Thread outcomes;
    /** Outcomes this instance waits for from the shared queue, by key. */
    private final java.util.concurrent.ConcurrentHashMap<Hash, CompletableFuture<byte[]>> waiting =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Sequencer(Store store, Ledger ledger, Signer checkpointSigner, Clock clock, Options options) {
        this(store, ledger, checkpointSigner, clock, options, null);
    }

    /**
     * A sequencer of one instance among several on a shared database when {@code shared} is given: it
     * sequences only while it holds the role, and answers its submitters from the queue's outcomes.
     */
    public Sequencer(Store store, Ledger ledger, Signer checkpointSigner, Clock clock, Options options,
            @Nullable Shared shared) {
        this.shared = shared;
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
                Optional<byte[]> written = tx.read("checkpoint");
                if (written.isPresent()) {
                    // Another instance on the same database wrote it first, and may have sequenced since.
                    return new String(written.get(), java.nio.charset.StandardCharsets.UTF_8);
                }
                Checkpoint c = new Checkpoint(checkpointSigner.name(), 0, Rfc9162.EMPTY_ROOT);
                byte[] note = SignedNote.sign(c.text(), checkpointSigner).encode();
                tx.putCheckpoint(note);
                return new String(note, java.nio.charset.StandardCharsets.UTF_8);
            });
        }
        this.writer = new Thread(shared == null ? this::run : this::runShared, "truce-sequencer");
        this.writer.setDaemon(true);
        this.writer.start();
        if (shared != null) {
            outcomes = new Thread(this::collectOutcomes, "truce-outcomes");
            outcomes.setDaemon(true);
            outcomes.start();
        } else {
            outcomes = null;
        }
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
                    .map(e -> new Receipt(e.index(), e.leafHash(), storedCheckpoint(tx), true));
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
        if (shared != null) {
            byte[] payload = Json.canonical(s.toJson());
            return queue(new Shared.Queued(headerHash, false, false, payload)).thenApply(Outcomes::receipt);
        }
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
        if (shared != null) {
            return submitShared(admitted, dryRun, answers);
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
        String note = store.write(tx -> sequenceIn(tx, batch, dryRun, answers));
        if (note != null) {
            lastCheckpoint = note;
        }
        answers.forEach(Runnable::run);
    }

    /**
     * Sequences a batch in {@code tx}: the answers to give once it commits go to {@code answers}; returns
     * the signed checkpoint, or null if nothing was appended. A dry run ends by throwing {@link DryRun}.
     */
    private @Nullable String sequenceIn(WriteTx tx, List<Pending> batch, boolean dryRun, List<Runnable> answers) {
        {
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
                    Receipt r = new Receipt(dup.get().index(), dup.get().leafHash(), storedCheckpoint(tx), true);
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
            for (Change c : state.net()) {
                tx.apply(c);
            }
            Checkpoint next = new Checkpoint(checkpointSigner.name(), tiles.size(), tiles.root());
            checkConsistent(tx, startSize, next);
            byte[] signed = SignedNote.sign(next.text(), checkpointSigner).encode();
            tx.putCheckpoint(signed);
            opened(signed, next);
            String text = new String(signed, java.nio.charset.StandardCharsets.UTF_8);
            answer(accepted, leafHashes, repeats, seen, startSize, text, answers);
            return text;
        }
    }

    private static String storedCheckpoint(ReadTx tx) {
        return tx.read("checkpoint").map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
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

    /** Remembers a checkpoint note whose signature is known good, with what it says. */
    private void opened(byte[] note, Checkpoint checkpoint) {
        openedNote = note;
        openedCheckpoint = checkpoint;
    }

    /** Refuses to sign a tree the stored tiles do not prove consistent with the last checkpoint. */
    private void checkConsistent(ReadTx tx, long oldSize, Checkpoint next) {
        byte[] lastNote = tx.read("checkpoint").orElseThrow(() -> new TlogException("the log has no checkpoint"));
        Checkpoint old;
        if (Arrays.equals(lastNote, openedNote) && openedCheckpoint != null) {
            // The very bytes verified or signed by this sequencer before: verifying them again would
            // cost an Ed25519 check per batch, which small batches pay in full.
            old = openedCheckpoint;
        } else {
            try {
                old = Checkpoint.open(lastNote, checkpointSigner.verifier()).checkpoint();
            } catch (org.truce.tlog.FormatException | VerificationException e) {
                throw new TlogException("the stored checkpoint does not verify: " + e.getMessage(), e);
            }
            opened(lastNote, old);
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
            if (outcomes != null) {
                outcomes.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OverloadedException gone = new OverloadedException("this instance is shutting down; the entry may yet be sequenced");
        waiting.values().forEach(f -> f.completeExceptionally(gone));
        waiting.clear();
    }

    // ---- several instances on one shared database ----

    /** Queues a submission or group in the shared database and answers with its outcome once settled. */
    private CompletableFuture<byte[]> queue(Shared.Queued q) {
        Shared sh = java.util.Objects.requireNonNull(shared);
        try {
            sh.enqueue(q);
        } catch (org.truce.store.StoreException e) {
            if (e.fault().isPresent()) {
                // A full, read-only or unreachable database: the API answers it as such.
                throw e;
            }
            throw new OverloadedException("the submission could not be queued: " + e.getMessage());
        }
        // Registered after queueing, so that an outcome of an earlier try, which queueing cleared, is never taken.
        return waiting.computeIfAbsent(q.key(), k -> new CompletableFuture<>());
    }

    private CompletableFuture<Void> submitShared(List<Submission> admitted, boolean dryRun,
            List<CompletableFuture<Receipt>> answers) {
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        MessageDigest md = Rfc9162.newDigest();
        md.update((dryRun ? "truce group, dry run\n" : "truce group\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<CompletableFuture<Receipt>> mine = new ArrayList<>();
        for (Submission s : admitted) {
            byte[] line = Json.canonical(s.toJson());
            lines.writeBytes(line);
            lines.write('\n');
            md.update(line);
            md.update((byte) '\n');
            CompletableFuture<Receipt> f = new CompletableFuture<>();
            mine.add(f);
            answers.add(f);
        }
        return queue(new Shared.Queued(Hash.of(md.digest()), true, dryRun, lines.toByteArray())).thenAccept(outcome -> {
            List<byte[]> each = Outcomes.group(outcome);
            for (int i = 0; i < mine.size(); i++) {
                Outcomes.complete(mine.get(i), i < each.size() ? each.get(i) : Outcomes.failed("no outcome"));
            }
        });
    }

    /** The writer on a shared database: tries for the role every second, and sequences the queue while it holds it. */
    private void runShared() {
        Shared sh = java.util.Objects.requireNonNull(shared);
        while (!closed) {
            try {
                if (!sh.leads()) {
                    if (!sh.tryLead()) {
                        Thread.sleep(1_000);
                        continue;
                    }
                    // What was built from the tiles may be behind what the last holder wrote.
                    builder = null;
                    LOG.atInfo().log("this instance holds the sequencer role");
                }
                if (takeShared() == 0) {
                    sh.await(Shared.Signal.QUEUED, Duration.ofMillis(500));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                builder = null;
                if (sh.leads()) {
                    LOG.atError().setCause(e).log("sequencing from the shared queue failed: {}", e.getMessage());
                } else {
                    LOG.atWarn().log("this instance lost the sequencer role: {}", e.getMessage());
                }
            }
        }
        sh.resign();
    }

    /** Takes one batch of the shared queue, or one group, and sequences it; returns how many submissions it settled. */
    private int takeShared() {
        Shared sh = java.util.Objects.requireNonNull(shared);
        List<Shared.Queued> taken = new ArrayList<>();
        try {
            Integer n = store.write(tx -> {
                sh.fence(tx);
                List<Shared.Queued> rows = sh.queued(tx, options.maxBatch());
                if (rows.isEmpty()) {
                    return 0;
                }
                if (rows.get(0).group()) {
                    taken.add(rows.get(0));
                    return -1;
                }
                Map<Hash, byte[]> settled = new java.util.LinkedHashMap<>();
                List<Pending> batch = new ArrayList<>();
                for (Shared.Queued q : rows) {
                    if (q.group()) {
                        break;
                    }
                    taken.add(q);
                    try {
                        Submission s = Submission.parse(q.payload());
                        batch.add(new Pending(s, q.key(), new CompletableFuture<>()));
                    } catch (EntryException e) {
                        settled.put(q.key(), Outcomes.refused(e));
                    }
                }
                List<Runnable> answers = new ArrayList<>();
                String note = sequenceIn(tx, batch, false, answers);
                answers.forEach(Runnable::run);
                for (Pending p : batch) {
                    settled.put(p.headerHash, Outcomes.of(p.answer));
                }
                sh.settle(tx, settled);
                if (note != null) {
                    lastCheckpoint = note;
                }
                return taken.size();
            });
            if (n >= 0) {
                return n;
            }
        } catch (RuntimeException e) {
            failShared(taken, e);
            throw e;
        }
        Shared.Queued g = taken.get(0);
        try {
            return sequenceSharedGroup(g);
        } catch (RuntimeException e) {
            failShared(taken, e);
            throw e;
        }
    }

    /** Sequences a queued group in a transaction of its own; a dry run is rolled back and then settled. */
    private int sequenceSharedGroup(Shared.Queued g) {
        Shared sh = java.util.Objects.requireNonNull(shared);
        List<Pending> items = new ArrayList<>();
        List<byte[]> parsed = new ArrayList<>();
        String payload = new String(g.payload(), java.nio.charset.StandardCharsets.UTF_8);
        for (String line : payload.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                Submission s = Submission.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                items.add(new Pending(s, headerHash(s.header()), new CompletableFuture<>()));
                parsed.add(null);
            } catch (EntryException e) {
                parsed.add(Outcomes.refused(e));
            }
        }
        List<Runnable> answers = new ArrayList<>();
        if (g.dryRun()) {
            try {
                store.write(tx -> {
                    sh.fence(tx);
                    return sequenceIn(tx, items, true, answers);
                });
            } catch (DryRun d) {
                // Its answers are those collected in answers.
                builder = null;
            }
            answers.forEach(Runnable::run);
            store.write(tx -> {
                sh.fence(tx);
                sh.settle(tx, Map.of(g.key(), groupOutcome(items, parsed)));
                return null;
            });
            return 1;
        }
        store.write(tx -> {
            sh.fence(tx);
            String note = sequenceIn(tx, items, false, answers);
            answers.forEach(Runnable::run);
            sh.settle(tx, Map.of(g.key(), groupOutcome(items, parsed)));
            if (note != null) {
                lastCheckpoint = note;
            }
            return null;
        });
        return 1;
    }

    private static byte[] groupOutcome(List<Pending> items, List<byte @Nullable []> parsed) {
        List<byte[]> each = new ArrayList<>();
        int next = 0;
        for (byte[] refused : parsed) {
            each.add(refused != null ? refused : Outcomes.of(items.get(next++).answer));
        }
        return Outcomes.group(each);
    }

    /** After a failed batch: if this instance still holds the role, its submitters are told; if not, the next holder takes them. */
    private void failShared(List<Shared.Queued> taken, RuntimeException cause) {
        Shared sh = java.util.Objects.requireNonNull(shared);
        if (taken.isEmpty() || !sh.leads()) {
            return;
        }
        byte[] failed = Outcomes.failed(cause);
        Map<Hash, byte[]> settled = new java.util.LinkedHashMap<>();
        for (Shared.Queued q : taken) {
            settled.put(q.key(), q.group() ? Outcomes.group(List.of()) : failed);
        }
        try {
            store.write(tx -> {
                sh.fence(tx);
                sh.settle(tx, settled);
                return null;
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Completes this instance's waiting submitters from the outcomes settled in the shared queue. */
    private void collectOutcomes() {
        Shared sh = java.util.Objects.requireNonNull(shared);
        long nextPurge = System.nanoTime();
        while (!closed) {
            try {
                sh.await(Shared.Signal.SETTLED, Duration.ofMillis(200));
                if (!waiting.isEmpty()) {
                    List<Hash> keys = new ArrayList<>(waiting.keySet());
                    for (int i = 0; i < keys.size(); i += 1_000) {
                        sh.outcomes(keys.subList(i, Math.min(keys.size(), i + 1_000))).forEach((k, outcome) -> {
                            CompletableFuture<byte[]> f = waiting.remove(k);
                            if (f != null) {
                                f.complete(outcome);
                            }
                        });
                    }
                }
                if (sh.leads() && System.nanoTime() - nextPurge > 0) {
                    sh.purge(Duration.ofMinutes(5));
                    nextPurge = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("reading outcomes from the shared queue failed: {}", e.getMessage());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
