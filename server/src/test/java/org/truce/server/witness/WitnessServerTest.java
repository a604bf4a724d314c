package org.truce.server.witness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.MemoryTree;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.witness.AddCheckpoint;
import org.truce.tlog.witness.Policy;
import org.truce.tlog.witness.Witness;
import org.truce.tlog.witness.WitnessClient;
import org.truce.tlog.witness.WitnessStore;

/** The witness over real HTTP: every status of the spec, restarts, and the log's client against it. */
class WitnessServerTest {
    private static final String ORIGIN = "example.org/truce-log";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Signer logKey = signer(ORIGIN);
    private final MemoryTree tree = new MemoryTree();
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    // ---- statuses ----

    @Test
    void addCheckpoint_overHttp_answersEveryStatusOfTheSpec() throws Exception {
        CosignatureV1.Cosigner w = cosigner("witness.example/w1");
        WitnessServer server = serve(w, dir, logKey);
        grow(5);

        HttpResponse<String> ok = post(server, request(0));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).startsWith("\u2014 witness.example/w1 ").endsWith("\n");
        SignedNote cosigned = SignedNote.parse((checkpoint(5).text() + "\n" + checkpoint(5).signatures().get(0).line()
                + ok.body()).getBytes(StandardCharsets.UTF_8));
        assertThat(Checkpoint.open(cosigned.encode(), logKey.verifier(), Verifiers.of(w.verifier())).verifiedBy()).hasSize(2);

        grow(9);
        HttpResponse<String> stale = post(server, request(0));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
        assertThat(stale.body()).isEqualTo("5\n");

        assertThat(post(server, new AddCheckpoint(10, List.of(), checkpoint(9)).encode()).statusCode()).isEqualTo(400);
        assertThat(post(server, "old 5\nnot a proof\n\n".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);

        Signer impostor = signer(ORIGIN);
        SignedNote forged = SignedNote.sign(checkpoint(9).text(), impostor);
        assertThat(post(server, new AddCheckpoint(5, proof(5, 9), forged).encode()).statusCode()).isEqualTo(403);

        Signer otherLog = signer("example.org/other");
        SignedNote unknown = SignedNote.sign(new Checkpoint("example.org/other", 9, tree.root(9)).text(), otherLog);
        assertThat(post(server, new AddCheckpoint(0, List.of(), unknown).encode()).statusCode()).isEqualTo(404);

        List<Hash> bad = new ArrayList<>(proof(5, 9));
        bad.set(bad.size() - 1, Hash.of(new byte[32]));
        assertThat(post(server, new AddCheckpoint(5, bad, checkpoint(9)).encode()).statusCode()).isEqualTo(422);

        assertThat(post(server, request(5)).statusCode()).isEqualTo(200);
    }

    @Test
    void addCheckpoint_splitView_isCaught() throws Exception {
        WitnessServer server = serve(cosigner("witness.example/w1"), dir, logKey);
        grow(6);
        assertThat(post(server, request(0)).statusCode()).isEqualTo(200);
        // The operator signs a second history that shares the first four entries.
        MemoryTree fork = new MemoryTree();
        for (int i = 0; i < 4; i++) {
            fork.appendLeafHash(tree.node(0, i));
        }
        while (fork.size() < 10) {
            fork.appendEntry(("fork-" + fork.size()).getBytes(StandardCharsets.UTF_8));
        }
        SignedNote forked = SignedNote.sign(new Checkpoint(ORIGIN, 10, fork.root(10)).text(), logKey);
        HttpResponse<String> r = post(server, new AddCheckpoint(6, fork.consistency(6, 10), forked).encode());
        assertThat(r.statusCode()).isEqualTo(422);
        SignedNote sameSize = SignedNote.sign(new Checkpoint(ORIGIN, 6, fork.root(6)).text(), logKey);
        assertThat(post(server, new AddCheckpoint(6, List.of(), sameSize).encode()).statusCode()).isEqualTo(422);
    }

    @Test
    void addCheckpoint_tooLargeBody_is413() throws Exception {
        WitnessServer server = serve(cosigner("witness.example/w1"), dir, logKey);
        assertThat(post(server, new byte[AddCheckpoint.MAX_SIZE + 10]).statusCode()).isEqualTo(413);
    }

    @Test
    void restart_onTheSameDirectory_keepsTheCosignedSizeAndServesTheCheckpoint() throws Exception {
        CosignatureV1.Cosigner w = cosigner("witness.example/w1");
        grow(7);
        WitnessServer first = serve(w, dir, logKey);
        assertThat(post(first, request(0)).statusCode()).isEqualTo(200);
        closeAll();

        WitnessServer again = serve(w, dir, logKey);
        HttpResponse<String> r = post(again, request(0));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).isEqualTo("7\n");
        HttpResponse<String> monitor = get(again, "/" + Witness.originHash(ORIGIN) + "/checkpoint");
        assertThat(monitor.statusCode()).isEqualTo(200);
        SignedNote served = SignedNote.parse(monitor.body().getBytes(StandardCharsets.UTF_8));
        assertThat(Checkpoint.open(served.encode(), logKey.verifier(), Verifiers.of(w.verifier())).verifiedBy()).hasSize(2);
        assertThat(get(again, "/" + "0".repeat(64) + "/checkpoint").statusCode()).isEqualTo(404);
    }

    // ---- the log's client ----

    @Test
    void client_twoWitnessesOneBehind_collectsBothAfterA409AndMeetsThePolicy() throws Exception {
        CosignatureV1.Cosigner w1 = cosigner("w1.example");
        CosignatureV1.Cosigner w2 = cosigner("w2.example");
        WitnessServer s1 = serve(w1, dir.resolve("w1"), logKey);
        WitnessServer s2 = serve(w2, dir.resolve("w2"), logKey);
        grow(3);
        // w2 has seen size 3 already, from an earlier run of the log the client does not remember.
        assertThat(post(s2, request(0)).statusCode()).isEqualTo(200);
        grow(12);
        String policyText = "log " + logKey.verifier().vkey() + "\n"
                + "witness a " + w1.vkey() + " http://127.0.0.1:" + s1.port() + "\n"
                + "witness b " + w2.vkey() + " http://127.0.0.1:" + s2.port() + "/\n"
                + "group both all a b\nquorum both\n";
        Policy policy = Policy.parse(policyText.getBytes(StandardCharsets.UTF_8));
        WitnessClient client = new WitnessClient(policy.targets(), Duration.ofSeconds(10));

        WitnessClient.Collected c = client.cosign(checkpoint(12), this::proof);
        assertThat(c.byWitness().values()).allMatch(r -> r instanceof WitnessClient.Result.Cosigned, c.byWitness().toString());
        assertThat(c.cosignatures()).hasSize(2);
        assertThat(policy.verify(c.note().encode()).checkpoint().size()).isEqualTo(12);

        grow(20);
        WitnessClient.Collected next = client.cosign(checkpoint(20), this::proof);
        assertThat(next.cosignatures()).hasSize(2);
    }

    @Test
    void client_witnessDownOrSilent_isLeftOutWithinTheTimeout() throws Exception {
        CosignatureV1.Cosigner w1 = cosigner("w1.example");
        WitnessServer s1 = serve(w1, dir, logKey);
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            List<WitnessClient.Target> targets = List.of(
                    new WitnessClient.Target(w1.verifier(), URI.create("http://127.0.0.1:" + s1.port())),
                    new WitnessClient.Target(cosigner("silent.example").verifier(),
                            URI.create("http://127.0.0.1:" + silent.getLocalPort())));
            grow(4);
            long start = System.nanoTime();
            WitnessClient.Collected c = new WitnessClient(targets, Duration.ofMillis(700)).cosign(checkpoint(4), this::proof);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(c.byWitness().get("w1.example")).isInstanceOf(WitnessClient.Result.Cosigned.class);
            assertThat(c.byWitness().get("silent.example")).isInstanceOf(WitnessClient.Result.Failed.class);
            assertThat(c.cosignatures()).hasSize(1);
        }
    }

    // ---- helpers ----

    private WitnessServer serve(CosignatureV1.Cosigner w, Path state, Signer log) {
        WitnessStore store = WitnessStore.directory(state);
        open.add(store);
        WitnessServer s = new WitnessServer(new Witness(w, List.of(Witness.Log.of(log.verifier())), store)).start("127.0.0.1", 0);
        open.add(s);
        return s;
    }

    private void closeAll() throws Exception {
        close();
        open.clear();
    }

    private HttpResponse<String> post(WitnessServer s, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(WitnessServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void grow(long size) {
        while (tree.size() < size) {
            tree.appendEntry(("entry-" + tree.size()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private SignedNote checkpoint(long size) {
        return SignedNote.sign(new Checkpoint(ORIGIN, size, tree.root(size)).text(), logKey);
    }

    private List<Hash> proof(long from, long to) {
        return from == 0 || from == to ? List.of() : tree.consistency(from, to);
    }

    private byte[] request(long old) {
        return new AddCheckpoint(old, proof(old, tree.size()), checkpoint(tree.size())).encode();
    }

    private static Signer signer(String name) {
        try {
            return NoteKeys.parseSigner(NoteKeys.generate(name, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static CosignatureV1.Cosigner cosigner(String name) {
        try {
            return NoteKeys.parseCosigner(CosignatureV1.generate(name, new SecureRandom()).privateKey(), Clock.systemUTC());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
