package org.truce.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.core.ledger.Ledger;
import org.truce.server.TestClock;
import org.truce.server.TestPostgres;
import org.truce.server.access.Sessions;
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
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.tiles.TileNodeReader;

/**
 * Three instances on one PostgreSQL database, each with its HTTP API, as behind a load balancer without
 * affinity: submitted to concurrently while the one holding the sequencer role is killed mid-load (every
 * database session of it terminated, then its threads stopped) and another takes the role over; and a
 * party signing in on one, reading on another and logging out on a third.
 */
class InstancesTest {
    private static final Instant AT = Instant.parse("2016-09-12T16:00:00Z");
    private static final int LANES = 12;
    private static final int PER_LANE = 40;
    private static final String SECRET = "Corridor opens at 05:00 for the evacuation";

    @TempDir
    Path tmp;

    private final SecureRandom rng = new SecureRandom();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Node> nodes = new ArrayList<>();
    private final String usKey = newKey("us");
    private final String ruKey = newKey("ru");
    /** The database of the instances {@link #start} started. */
    private String url;
    /** The index of the message only us and ru may read. */
    private long secretIndex;

    @AfterEach
    void close() {
        for (Node n : nodes) {
            n.close();
        }
    }

    /** A signed entry a client was answered for with 200 or 201. */
    private record Acknowledged(Hash headerHash, long index, Hash leafHash, String checkpoint) {}

    // ---- failover ----

    @Test
    void sequencerKilledMidLoad_everyAcknowledgedEntryOnce_logVerifies_checkpointsConsistent_stateRebuilds() throws Exception {
        String url = TestPostgres.newDatabase("instances");
        start(url, Clock.systemUTC());
        Node first = nodes.get(0);
        assertThat(first.sequencing()).as("the instance that sequenced the genesis holds the role").isTrue();
        long operatorSeq = first.operatorSeq();
        register(first, newKey("hub"), ++operatorSeq);
        List<EntrySigner> lanes = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            lanes.add(register(first, newKey("p" + i), ++operatorSeq));
        }
        List<URI> entries = serve().stream().map(api -> api.resolve("/api/v1/entries")).toList();

        Map<Hash, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch oneThird = new CountDownLatch(LANES * PER_LANE / 3);
        List<Thread> clients = new ArrayList<>();
        for (int l = 0; l < LANES; l++) {
            int lane = l;
            Thread t = new Thread(() -> {
                for (int i = 0; i < PER_LANE; i++) {
                    Submission s = message(lanes.get(lane), i + 1);
                    // Round robin over the instances, as a load balancer would.
                    URI to = entries.get((lane + i) % entries.size());
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(40))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(s.toJson().toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 || r.statusCode() == 201) {
                            JsonNode b = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
                            Hash h = Sequencer.headerHash(s.header());
                            acknowledged.put(h, new Acknowledged(h, b.get("index").asLong(),
                                    Hash.fromBase64(b.get("leafHash").asText(), "leaf hash"), b.get("checkpoint").asText()));
                        }
                    } catch (Exception e) {
                        // Not acknowledged: the instance died under it, or answered nothing in time.
                    }
                    oneThird.countDown();
                }
            }, "client-" + lane);
            t.start();
            clients.add(t);
        }
        oneThird.await();
        kill(url, "truce-0", first);
        for (Thread t : clients) {
            t.join();
        }
        Node survivor = nodes.get(1);

        assertThat(acknowledged).as("most entries were acknowledged, after the kill too").hasSizeGreaterThan(LANES * PER_LANE / 2);
        assertThat(nodes.get(1).sequencing() || nodes.get(2).sequencing()).as("another instance took the role").isTrue();
        Store store = survivor.store();
        var verifier = first.checkpointKey().verifier();

        // Every acknowledged entry is in the log, once, where its receipt says.
        Map<Hash, List<Long>> byHeader = new HashMap<>();
        long size = store.read(tx -> tx.size());
        for (long from = 0; from < size; from += 1_000) {
            long f = from;
            for (StoredEntry e : store.read(tx -> tx.entries(f, 1_000))) {
                byHeader.computeIfAbsent(e.headerHash(), k -> new ArrayList<>()).add(e.index());
            }
        }
        for (Acknowledged a : acknowledged.values()) {
            assertThat(byHeader.get(a.headerHash())).as("entry %s", a.index()).containsExactly(a.index());
            assertThat(store.read(tx -> tx.entry(a.index())).orElseThrow().leafHash()).isEqualTo(a.leafHash());
        }

        // The log verifies, and every checkpoint any client was given is consistent with the next.
        AuditReport report = store.read(tx -> new Auditor(tx, verifier).audit(null, Auditor.Progress.NONE));
        assertThat(report).isInstanceOf(AuditReport.Verified.class);
        TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        List<String> notes = new ArrayList<>(acknowledged.values().stream().map(Acknowledged::checkpoint).toList());
        notes.add(new String(store.read(tx -> tx.read("checkpoint")).orElseThrow(), StandardCharsets.UTF_8));
        for (String note : notes) {
            Checkpoint c = Checkpoint.open(note.getBytes(StandardCharsets.UTF_8), verifier).checkpoint();
            Checkpoint same = checkpoints.putIfAbsent(c.size(), c);
            assertThat(same == null || same.root().equals(c.root())).as("one root for size %s", c.size()).isTrue();
        }
        assertThat(checkpoints.size()).isGreaterThan(2);
        Checkpoint previous = null;
        for (Checkpoint c : checkpoints.values()) {
            if (previous != null && previous.size() > 0) {
                Checkpoint old = previous;
                List<Hash> proof = store.read(tx -> Proofs.consistency(new TileNodeReader(tx, c.size(), 16), old.size(), c.size()));
                ProofVerifier.verifyConsistency(old.size(), c.size(), proof, old.root(), c.root());
            }
            previous = c;
        }
        assertThat(checkpoints.lastKey()).isEqualTo(size);

        // The state equals a rebuild from the log.
        try (Store rebuilt = Store.sqlite(tmp.resolve("rebuilt"))) {
            new Rebuild(Ledger.standard()).run(store, rebuilt, (done, total) -> { });
            assertThat(rebuilt.<Hash>read(StateDigest::of)).isEqualTo(store.<Hash>read(StateDigest::of));
        }
    }

    // ---- sessions ----

    @Test
    void session_challengeFromOneInstance_loginOnAnother_readsOnAThird_untilLogoutOnTheFirst() throws Exception {
        List<URI> apis = twoPartiesAndASecret(new TestClock(AT));
        String token = login(apis.get(1), ruKey, challenge(apis.get(0)));

        assertThat(secret(apis.get(2), token)).as("signed in on every instance").contains(SECRET);
        assertThat(secret(apis.get(2), null)).as("the public").doesNotContain(SECRET);
        try (Connection c = DriverManager.getConnection(url);
                ResultSet r = c.createStatement().executeQuery("SELECT token_hash, party, key_ref FROM sessions")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getBytes(1)).as("kept by its hash, never the token")
                    .isEqualTo(Rfc9162.newDigest().digest(token.getBytes(StandardCharsets.UTF_8)));
            assertThat(r.getString(2)).isEqualTo("ru");
            assertThat(r.getString(3)).isEqualTo(EntrySigner.fromPrivateKey(ruKey).keyRef());
            assertThat(r.next()).isFalse();
        }

        assertThat(post(apis.get(0), "/api/v1/logout", "", token).statusCode()).isEqualTo(204);
        assertThat(secret(apis.get(1), token)).as("logged out on another instance").doesNotContain(SECRET);
        assertThat(secret(apis.get(2), token)).doesNotContain(SECRET);
    }

    @Test
    void challenge_answeredOnOneInstance_isRefusedOnAnother() throws Exception {
        List<URI> apis = twoPartiesAndASecret(new TestClock(AT));
        String once = challenge(apis.get(0));
        login(apis.get(1), ruKey, once);
        assertThat(post(apis.get(2), "/api/v1/login", loginRequest(ruKey, once, ruKey), null).statusCode()).isEqualTo(401);

        String misused = challenge(apis.get(0));
        assertThat(post(apis.get(1), "/api/v1/login", loginRequest(ruKey, misused, usKey), null).statusCode())
                .as("signed with another party's key").isEqualTo(401);
        assertThat(post(apis.get(2), "/api/v1/login", loginRequest(ruKey, misused, ruKey), null).statusCode())
                .as("a challenge answered wrongly is used up too").isEqualTo(401);
    }

    @Test
    void session_afterItExpires_readsAsThePublicOnEveryInstance_andIsPurged() throws Exception {
        TestClock clock = new TestClock(AT);
        List<URI> apis = twoPartiesAndASecret(clock);
        String token = login(apis.get(0), ruKey, challenge(apis.get(0)));
        assertThat(secret(apis.get(1), token)).contains(SECRET);

        clock.advance(Sessions.SESSION_TTL.plusSeconds(1));
        login(apis.get(2), usKey, challenge(apis.get(2)));
        try (Connection c = DriverManager.getConnection(url);
                ResultSet r = c.createStatement().executeQuery("SELECT party FROM sessions")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).as("ru's expired session was purged when a challenge was handed out").isEqualTo("us");
            assertThat(r.next()).isFalse();
        }
        assertThat(secret(apis.get(1), token)).doesNotContain(SECRET);
        assertThat(secret(apis.get(2), token)).doesNotContain(SECRET);
    }

    /** us and ru registered, a message from us for ru only, and the base address of every instance's API. */
    private List<URI> twoPartiesAndASecret(TestClock clock) throws Exception {
        start(TestPostgres.newDatabase("sessions"), clock);
        Node first = nodes.get(0);
        long seq = first.operatorSeq();
        EntrySigner us = register(first, usKey, ++seq);
        register(first, ruKey, ++seq);
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("subject", "Corridor").put("text", SECRET);
        b.putArray("to").add("ru");
        secretIndex = first.submit(us, "message", b, Visibility.named("ru", "us"), 1);
        return serve();
    }

    private String challenge(URI api) throws Exception {
        HttpResponse<String> r = post(api, "/api/v1/login/challenge", "{}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("challenge").asText();
    }

    /** A login as the key {@code as}, with {@code challenge} signed by the key {@code signedBy}. */
    private static String loginRequest(String as, String challenge, String signedBy) throws Exception {
        byte[] sig = NoteKeys.parseSigner(signedBy).sign(Sessions.signedMessage(challenge));
        return JsonNodeFactory.instance.objectNode().put("key", EntrySigner.fromPrivateKey(as).keyRef())
                .put("challenge", challenge).put("sig", Base64.getEncoder().encodeToString(sig)).toString();
    }

    /** Logs in with {@code privateKey} on {@code api}; answers the session token. */
    private String login(URI api, String privateKey, String challenge) throws Exception {
        HttpResponse<String> r = post(api, "/api/v1/login", loginRequest(privateKey, challenge, privateKey), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("token").asText();
    }

    /** The secret message's entry as {@code api} shows it to the bearer of {@code token}. */
    private String secret(URI api, @Nullable String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve("/api/v1/entries/" + secretIndex)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> post(URI api, String path, String body, @Nullable String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Kills an instance: every database session it has ends at once, then its threads stop. */
    private static void kill(String url, String applicationName, Node node) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = ? AND datname = current_database()")) {
            s.setString(1, applicationName);
            s.executeQuery().close();
        }
        node.close();
    }

    // ---- set-up ----

    /** Three instances on the database at {@code url}, named truce-0 to truce-2 there; the first creates the log. */
    private void start(String url, Clock clock) {
        this.url = url;
        Path keys = tmp.resolve("keys");
        nodes.add(Node.init(keys, "instances.truce.example/log", "Instances", clock, url + "&ApplicationName=truce-0"));
        nodes.add(Node.open(keys, clock, url + "&ApplicationName=truce-1"));
        nodes.add(Node.open(keys, clock, url + "&ApplicationName=truce-2"));
    }

    /** Starts the HTTP API of every instance; answers their base addresses, in the same order. */
    private List<URI> serve() {
        return nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.serve("127.0.0.1", 0).port())).toList();
    }

    private String newKey(String party) {
        return NoteKeys.generate(party, NoteKeys.TYPE_ED25519, rng).privateKey();
    }

    /** Registers the party a new private key names, with that key, as the operator's entry {@code seq}. */
    private static EntrySigner register(Node node, String privateKey, long seq) throws Exception {
        EntrySigner s = EntrySigner.fromPrivateKey(privateKey);
        String id = s.party();
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id).put("name", id);
        b.putArray("roles").add("party");
        b.putArray("keys").add(s.vkey());
        node.submit(node.operator(), "party", b, Visibility.PUBLIC, seq);
        return s;
    }

    private static Submission message(EntrySigner from, long seq) {
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("subject", "Position report " + seq)
                .put("text", "Convoy at the Castello road checkpoint, waiting for clearance.");
        b.putArray("to").add("hub");
        return from.sign("message", b, Visibility.PUBLIC, List.of(), seq, AT);
    }
}
