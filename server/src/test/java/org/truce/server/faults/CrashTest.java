package org.truce.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.Ledger;
import org.truce.server.node.Node;
import org.truce.server.rebuild.Rebuild;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.store.StoredEntry;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.tiles.TileNodeReader;

/**
 * The crash test: parties submit concurrently over HTTP while the server, a separate process, is
 * killed with SIGKILL at random moments and restarted, many times over; each entry whose answer was
 * lost is re-sent unchanged before its key's next seq is used. Then, with the server dead, the store
 * must hold every acknowledged entry at its index with its leaf hash exactly once, nothing else of
 * the parties', every entry whole (leaf, body, header index); every checkpoint published must be
 * consistent with the final one, the whole log must audit, and a rebuild must reach the live state
 * digest. Each engine runs it through a subclass.
 *
 * <p>The short run is part of {@code ./mvnw verify}; {@code -Dtruce.crash.kills=N} sets the number of
 * kills and {@code -Dtruce.crash.seed=S} the seed of their timing ({@code docs/reliability.md}).
 */
abstract class CrashTest {
    private static final String ORIGIN = "truce.example/crash";
    private static final String[] PARTIES = {"us", "ru", "sy", "tr", "ir", "jo", "lb", "iq"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private volatile @Nullable String base;
    private volatile boolean stopping;
    /** Set when the test ends, passed or not: the clients give up what they have in doubt. */
    private volatile boolean abandoned;
    private @Nullable ServerProcess server;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Set<String> checkpoints = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> clientErrors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inDoubtCommitted = new AtomicInteger();
    private final AtomicInteger inDoubtNotCommitted = new AtomicInteger();
    private final AtomicInteger sends = new AtomicInteger();

    /** One acknowledged entry: who, which seq, and the receipt. */
    private record Ack(String party, long seq, Hash headerHash, long index, Hash leafHash, String checkpoint,
            boolean duplicate) {}

    /** The JDBC URL of a new, empty database of the engine under test, or null for the embedded SQLite. */
    protected abstract @Nullable String newDatabase(String name);

    /** A new, empty store of the engine under test, for the rebuild. */
    protected abstract Store newStore(String name);

    /** Opens the store the server wrote, on {@code db} or in {@code data}. */
    private static Store openStore(Path data, @Nullable String db) {
        return db == null ? Store.sqlite(data) : Store.open(db);
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        abandoned = true;
        if (server != null) {
            server.kill();
        }
    }

    // ---- the test ----

    @Test
    void killedRepeatedlyUnderLoad_keepsEveryAcknowledgedEntryOnceAndTheLogVerifies() throws Exception {
        int kills = Integer.getInteger("truce.crash.kills", 8);
        long seed = Long.getLong("truce.crash.seed", 20160912L);
        Random random = new Random(seed);
        Path data = tmp.resolve("data");
        String db = newDatabase("crash");
        Map<String, EntrySigner> parties = init(data, db);
        Verifier logKey;
        try (Node node = Node.open(data, Clock.systemUTC(), db)) {
            logKey = node.checkpointKey().verifier();
        }

        List<Thread> clients = new ArrayList<>();
        for (String party : PARTIES) {
            String to = party.equals(PARTIES[0]) ? PARTIES[1] : PARTIES[0];
            Thread t = new Thread(() -> client(parties.get(party), to), "crash-client-" + party);
            t.setDaemon(true);
            clients.add(t);
        }
        Thread poller = new Thread(this::pollCheckpoints, "crash-checkpoint-poller");
        poller.setDaemon(true);
        clients.forEach(Thread::start);
        poller.start();

        long started = System.nanoTime();
        int killedStarting = 0;
        for (int k = 0; k < kills; k++) {
            server = ServerProcess.start(data, db);
            // One kill in six lands while the server opens the store and starts, before it listens.
            if (random.nextInt(6) == 0) {
                Thread.sleep(random.nextInt(1500));
            } else {
                base = "http://127.0.0.1:" + server.awaitPort(60_000);
                Thread.sleep(50 + random.nextInt(1200));
            }
            if (!server.listening()) {
                killedStarting++;
            }
            server.kill();
            base = null;
            assertThat(clientErrors).as("answers the clients did not expect").isEmpty();
        }
        // The last run: the clients resolve what they have in doubt, then the server is killed too.
        stopping = true;
        server = ServerProcess.start(data, db);
        base = "http://127.0.0.1:" + server.awaitPort(60_000);
        for (Thread t : clients) {
            t.join(60_000);
            assertThat(t.isAlive()).as(t.getName() + " still has an entry in doubt").isFalse();
        }
        server.kill();
        base = null;
        poller.interrupt();
        poller.join(10_000);
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(clientErrors).as("answers the clients did not expect").isEmpty();

        Figures f = verify(data, db, logKey);
        System.out.printf("crash test (%s): %d kills (%d while starting), %d entries acknowledged, %d sends, "
                + "%d in doubt at a kill found committed and %d not, %d checkpoints checked consistent with the "
                + "final one (size %d), seed %d, %d s%n", db == null ? "sqlite" : "postgresql", kills, killedStarting,
                f.acknowledged, sends.get(), inDoubtCommitted.get(), inDoubtNotCommitted.get(), f.checkpoints,
                f.size, seed, seconds);
        assertThat(f.acknowledged).as("entries acknowledged").isGreaterThan(kills);
    }

    private record Figures(long size, int acknowledged, int checkpoints) {}

    // ---- what the store must hold afterwards ----

    private Figures verify(Path data, @Nullable String db, Verifier logKey) throws Exception {
        Map<Hash, Ack> byHeader = new HashMap<>();
        for (Ack a : acks) {
            Ack first = byHeader.putIfAbsent(a.headerHash, a);
            if (first != null) {
                assertThat(a.index).as("a re-sent entry is answered with its first index").isEqualTo(first.index);
                assertThat(a.leafHash).isEqualTo(first.leafHash);
            }
        }
        Set<String> seen = new HashSet<>(checkpoints);
        acks.forEach(a -> seen.add(a.checkpoint));
        Set<String> partyIds = Set.of(PARTIES);
        try (Store store = openStore(data, db)) {
            int checked = store.read(tx -> {
                long size = tx.size();
                Checkpoint last = open(tx.read("checkpoint").orElseThrow(), logKey);
                assertThat(last.size()).as("the checkpoint covers the whole log").isEqualTo(size);
                Set<Hash> headers = new HashSet<>();
                Map<String, Long> lastSeq = new HashMap<>();
                int partyEntries = 0;
                for (long i = 0; i < size; i += 1000) {
                    List<StoredEntry> page = tx.entries(i, 1000);
                    for (StoredEntry e : page) {
                        assertThat(headers.add(e.headerHash())).as("entry %d's header is in the log once", e.index()).isTrue();
                        assertThat(Rfc9162.leafHash(e.leaf())).isEqualTo(e.leafHash());
                        assertThat(tx.indexOfHeader(e.headerHash())).contains(e.index());
                        assertThat(tx.body(e.index())).as("entry %d has its body", e.index()).isPresent();
                        if (partyIds.contains(e.author())) {
                            partyEntries++;
                            assertThat(byHeader).as("entry %d by %s was acknowledged", e.index(), e.author())
                                    .containsKey(e.headerHash());
                        }
                    }
                    assertThat(page).hasSize((int) Math.min(1000, size - i));
                }
                assertThat(partyEntries).as("the parties' entries are exactly those acknowledged").isEqualTo(byHeader.size());
                for (Ack a : byHeader.values()) {
                    StoredEntry e = tx.entry(a.index).orElseThrow();
                    assertThat(e.headerHash()).as("acknowledged entry at %d", a.index).isEqualTo(a.headerHash);
                    assertThat(e.leafHash()).isEqualTo(a.leafHash);
                    lastSeq.merge(a.party, a.seq, Math::max);
                }
                for (Map.Entry<String, Long> s : lastSeq.entrySet()) {
                    long stateSeq = tx.get("key", keyRefOf(s.getKey())).map(d -> d.body().path("lastSeq").asLong()).orElse(0L);
                    assertThat(stateSeq).as("%s's last seq in the state", s.getKey()).isEqualTo(s.getValue());
                }
                TileNodeReader nodes = new TileNodeReader(tx, size);
                for (Ack a : byHeader.values()) {
                    proven(() -> ProofVerifier.verifyInclusion(a.index, size, a.leafHash, Proofs.inclusion(nodes, a.index, size),
                            last.root()), "entry " + a.index + " is included in the final tree");
                }
                int n = 0;
                for (String note : seen) {
                    Checkpoint c = open(note.getBytes(StandardCharsets.UTF_8), logKey);
                    assertThat(c.size()).as("a checkpoint published before the end").isLessThanOrEqualTo(size);
                    if (c.size() == size) {
                        assertThat(c.root()).isEqualTo(last.root());
                    } else if (c.size() > 0) {
                        proven(() -> ProofVerifier.verifyConsistency(c.size(), size, Proofs.consistency(nodes, c.size(), size),
                                c.root(), last.root()), "the checkpoint of size " + c.size() + " is consistent with the final one");
                    }
                    n++;
                }
                AuditReport report = new Auditor(tx, logKey).audit(null, Auditor.Progress.NONE);
                assertThat(report).as("the whole log audits").isInstanceOf(AuditReport.Verified.class);
                return n;
            });
            long size = store.read(tx -> tx.size());
            var live = store.read(StateDigest::of);
            try (Store target = newStore("crash_rebuilt")) {
                new Rebuild(Ledger.standard()).run(store, target, (done, total) -> { });
                assertThat(target.read(StateDigest::of)).as("the rebuilt state digest").isEqualTo(live);
            }
            return new Figures(size, byHeader.size(), checked);
        }
    }

    private final Map<String, String> keyRefs = new ConcurrentHashMap<>();

    private String keyRefOf(String party) {
        return keyRefs.get(party);
    }

    private interface Proof {
        void verify() throws org.truce.tlog.VerificationException;
    }

    private static void proven(Proof p, String what) {
        try {
            p.verify();
        } catch (org.truce.tlog.VerificationException e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    private static Checkpoint open(byte[] note, Verifier logKey) {
        try {
            return Checkpoint.open(note, logKey).checkpoint();
        } catch (Exception e) {
            throw new AssertionError("a checkpoint does not verify: " + e.getMessage(), e);
        }
    }

    // ---- the log and its parties ----

    /** Creates the log and registers the parties, with the server not yet running. */
    private Map<String, EntrySigner> init(Path data, @Nullable String db) throws Exception {
        SecureRandom rng = new SecureRandom();
        Map<String, EntrySigner> parties = new HashMap<>();
        try (Node node = Node.init(data, ORIGIN, "Crash test operator", Clock.systemUTC(), db)) {
            long seq = node.operatorSeq();
            for (String id : PARTIES) {
                EntrySigner s = EntrySigner.fromPrivateKey(NoteKeys.generate(id, NoteKeys.TYPE_ED25519, rng).privateKey());
                ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id).put("name", "Party " + id);
                b.putArray("roles").add("party");
                b.putArray("keys").add(s.vkey());
                node.submit(node.operator(), "party", b, ++seq);
                parties.put(id, s);
                keyRefs.put(id, s.keyRef());
            }
        }
        return parties;
    }

    // ---- the clients ----

    /**
     * Sends one party's messages one at a time until told to stop. An entry whose answer is lost (the
     * connection broke, or the server answered 503) is re-sent unchanged until it is answered, before
     * the next seq is used, as a client MUST do so that an entry is never sequenced under two seqs.
     */
    private void client(EntrySigner party, String to) {
        long seq = 0;
        Submission pending = null;
        boolean inDoubt = false;
        while (!abandoned) {
            if (pending == null) {
                if (stopping) {
                    return;
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("subject", "crash " + (seq + 1))
                        .put("text", "message " + (seq + 1) + " from " + party.party());
                body.putArray("to").add(to);
                pending = party.sign("message", body, Visibility.PUBLIC, List.of(), ++seq,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
            }
            String url = base;
            if (url == null) {
                sleep(20);
                continue;
            }
            try {
                sends.incrementAndGet();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/entries"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(pending.toJson().toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    JsonNode j = JSON.readTree(r.body());
                    boolean duplicate = j.path("duplicate").asBoolean();
                    if (inDoubt) {
                        (duplicate ? inDoubtCommitted : inDoubtNotCommitted).incrementAndGet();
                    }
                    acks.add(new Ack(party.party(), seq, Sequencer.headerHash(pending.header()), j.path("index").asLong(),
                            Hash.fromBase64(j.path("leafHash").asText(), "leafHash"), j.path("checkpoint").asText(), duplicate));
                    pending = null;
                    inDoubt = false;
                } else if (r.statusCode() == 503) {
                    inDoubt = true;
                    sleep(50);
                } else {
                    clientErrors.add(party.party() + " seq " + seq + ": " + r.statusCode() + " " + r.body());
                    return;
                }
            } catch (IOException e) {
                inDoubt = true;
                sleep(20);
            } catch (org.truce.tlog.FormatException e) {
                clientErrors.add(party.party() + " seq " + seq + ": a receipt with " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Keeps every checkpoint the server publishes while it runs. */
    private void pollCheckpoints() {
        while (!Thread.currentThread().isInterrupted()) {
            String url = base;
            if (url != null) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/log/checkpoint"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        checkpoints.add(r.body());
                    }
                } catch (IOException e) {
                    // The server is down; the next one will answer.
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!sleep(25)) {
                return;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
