package org.truce.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.Ledger;
import org.truce.server.TestPostgres;
import org.truce.server.node.Node;
import org.truce.server.rebuild.Rebuild;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;

/**
 * Storage faults under a running server: a full disk (a small tmpfs filled up, which needs the
 * privilege to mount one; skipped without it) and a read-only PostgreSQL. Writes are refused with a
 * 503 naming the fault and a Retry-After, reads go on, and once the fault is cleared the refused entry
 * sent again unchanged is sequenced, with every acknowledged entry still in a log that audits.
 */
class StorageFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Ack> acks = new ArrayList<>();
    private @Nullable Node node;

    /** An acknowledged entry's receipt. */
    private record Ack(long index, String leafHash) {}
    private @Nullable Path mount;
    private String base;
    private EntrySigner party;
    private long seq;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    // ---- a full disk ----

    @Test
    void sqlite_diskFull_refusesWritesWith503AndRecoversWithNothingLost() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString()) == 0,
                "mounting a small tmpfs needs root with CAP_SYS_ADMIN");
        mount = small;
        Path data = small.resolve("data");
        start(data, null);
        for (int i = 0; i < 20; i++) {
            assertThat(accept(next())).isEqualTo(201);
        }

        Path filler = small.resolve("filler");
        fill(filler);
        // The WAL reuses the space it already has: writes fail once it must grow.
        Submission refused = null;
        HttpResponse<String> r = null;
        for (int i = 0; i < 5_000 && refused == null; i++) {
            Submission s = next();
            r = post(s);
            if (r.statusCode() == 503) {
                refused = s;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                ack(r);
            }
        }
        assertThat(refused).as("a write refused on the full disk").isNotNull();
        assertRefused(r, "storage-full");
        assertReadsWork();
        assertRefused(post(refused), "storage-full");

        Files.delete(filler);
        assertThat(accept(refused)).as("the refused entry sent again once there is space").isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            assertThat(accept(next())).isEqualTo(201);
        }
        assertNothingLost(data, null, () -> Store.sqlite(tmp.resolve("rebuilt")));
    }

    @Test
    void postgres_diskFull_refusesWritesWith503AndRecoversWithNothingLost() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", small.toString()) == 0,
                "mounting a small tmpfs needs root with CAP_SYS_ADMIN");
        mount = small;
        // A database of its own whose tables live in a tablespace on the small file system; its
        // write-ahead log stays in the server's data directory.
        String any = TestPostgres.newDatabase("faults_admin");
        String name = "faults_full_" + System.nanoTime();
        String db = any.replaceFirst("/faults_admin_[0-9]+", "/" + name);
        try (Connection admin = DriverManager.getConnection(any); Statement s = admin.createStatement()) {
            java.sql.ResultSet r = s.executeQuery("SHOW data_directory");
            r.next();
            Path tablespace = Files.createDirectories(small.resolve("pg"));
            Files.setOwner(tablespace, Files.getOwner(Path.of(r.getString(1))));
            s.execute("CREATE TABLESPACE " + name + " LOCATION '" + tablespace + "'");
            s.execute("CREATE DATABASE " + name + " TABLESPACE " + name);
        }
        try {
            Path data = tmp.resolve("data");
            start(data, db);
            for (int i = 0; i < 20; i++) {
                assertThat(accept(next())).isEqualTo(201);
            }
            Path filler = small.resolve("filler");
            fill(filler);
            Submission refused = null;
            HttpResponse<String> r = null;
            for (int i = 0; i < 5_000 && refused == null; i++) {
                Submission s = next();
                r = post(s);
                if (r.statusCode() == 503) {
                    refused = s;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    ack(r);
                }
            }
            assertThat(refused).as("a write refused on the full disk").isNotNull();
            assertRefused(r, "storage-full");
            assertReadsWork();
            Files.delete(filler);
            assertThat(accept(refused)).as("the refused entry sent again once there is space").isEqualTo(201);
            for (int i = 0; i < 10; i++) {
                assertThat(accept(next())).isEqualTo(201);
            }
            assertNothingLost(data, db, () -> TestPostgres.newStore("faults_full_rebuilt"));
        } finally {
            if (node != null) {
                node.close();
                node = null;
            }
            try (Connection admin = DriverManager.getConnection(any); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("DROP TABLESPACE IF EXISTS " + name);
            }
        }
    }

    // ---- a read-only database ----

    @Test
    void postgres_readOnly_refusesWritesWith503AndRecoversWithNothingLost() throws Exception {
        String db = TestPostgres.newDatabase("faults");
        Path data = tmp.resolve("data");
        start(data, db);
        for (int i = 0; i < 20; i++) {
            assertThat(accept(next())).isEqualTo(201);
        }
        try (Connection admin = DriverManager.getConnection(db); Statement s = admin.createStatement()) {
            // Every session of the cluster, the server's pooled ones included, turns read-only at its next statement.
            s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            s.execute("SELECT pg_reload_conf()");
            Submission refused;
            try {
                Refusal r = awaitRefusal(next());
                refused = r.submission();
                assertRefused(r.response(), "storage-read-only");
                assertReadsWork();
            } finally {
                s.execute("ALTER SYSTEM RESET default_transaction_read_only");
                s.execute("SELECT pg_reload_conf()");
            }
            assertThat(acceptWithin(refused, 10)).as("the refused entry sent again once writable").isEqualTo(201);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(accept(next())).isEqualTo(201);
        }
        assertNothingLost(data, db, () -> TestPostgres.newStore("faults_rebuilt"));
    }

    // ---- helpers ----

    private void start(Path data, @Nullable String db) throws Exception {
        Node n = Node.init(data, "truce.example/faults", "Fault test operator", Clock.systemUTC(), db);
        node = n;
        party = EntrySigner.fromPrivateKey(NoteKeys.generate("us", NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", "us").put("name", "United States");
        b.putArray("roles").add("party");
        b.putArray("keys").add(party.vkey());
        n.submit(n.operator(), "party", b, n.operatorSeq() + 1);
        ObjectNode ru = JsonNodeFactory.instance.objectNode().put("id", "ru").put("name", "Russian Federation");
        ru.putArray("roles").add("party");
        ru.putArray("keys").add(EntrySigner.fromPrivateKey(NoteKeys.generate("ru", NoteKeys.TYPE_ED25519,
                new SecureRandom()).privateKey()).vkey());
        n.submit(n.operator(), "party", ru, n.operatorSeq() + 1);
        base = "http://127.0.0.1:" + n.serve("127.0.0.1", 0).port();
    }

    private Submission next() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("subject", "fault " + (seq + 1))
                .put("text", "message " + (seq + 1) + " ".repeat(200));
        body.putArray("to").add("ru");
        return party.sign("message", body, Visibility.PUBLIC, List.of(), ++seq, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private HttpResponse<String> post(Submission s) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(s.toJson().toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int accept(Submission s) throws Exception {
        HttpResponse<String> r = post(s);
        if (r.statusCode() == 201 || r.statusCode() == 200) {
            ack(r);
        }
        return r.statusCode();
    }

    /** Sends {@code s} until it is no longer refused for the fault, for the reload to reach every session. */
    private int acceptWithin(Submission s, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int status;
        while ((status = accept(s)) == 503 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        return status;
    }

    /** The answer that refused a submission, and that submission. */
    private record Refusal(HttpResponse<String> response, Submission submission) {}

    /**
     * Sends {@code s}, then new submissions, until one is refused (or 10 s pass): the storage fault may
     * take effect a moment after it is caused, and the submissions accepted before it are acknowledged.
     * Returns the one refused, which is the one to send again once the fault clears.
     */
    private Refusal awaitRefusal(Submission s) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> r = post(s);
            if (r.statusCode() == 503 || System.nanoTime() > end) {
                return new Refusal(r, s);
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ack(r);
            s = next();
        }
    }

    private void ack(HttpResponse<String> r) throws IOException {
        JsonNode j = JSON.readTree(r.body());
        acks.add(new Ack(j.path("index").asLong(), j.path("leafHash").asText()));
    }

    private static void assertRefused(HttpResponse<String> r, String slug) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("type").asText()).isEqualTo("https://truce.example/problems/" + slug);
        assertThat(p.path("title").asText()).startsWith("the log's storage is");
    }

    private void assertReadsWork() throws Exception {
        assertThat(get("/log/checkpoint").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/entries/1").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/entries/" + acks.get(acks.size() - 1).index()).statusCode()).isEqualTo(200);
    }

    /** Stops the server and checks every acknowledged entry, a full audit and a rebuild. */
    private void assertNothingLost(Path data, @Nullable String db, java.util.function.Supplier<Store> empty) throws Exception {
        Verifier logKey = node.checkpointKey().verifier();
        node.close();
        node = null;
        try (Store store = db == null ? Store.sqlite(data) : Store.open(db)) {
            store.read(tx -> {
                for (Ack a : acks) {
                    assertThat(tx.entry(a.index())).as("acknowledged entry %d", a.index())
                            .hasValueSatisfying(e -> assertThat(e.leafHash().base64()).isEqualTo(a.leafHash()));
                    assertThat(tx.body(a.index())).isPresent();
                }
                assertThat(tx.size()).isEqualTo(acks.size() + 3);
                assertThat(new Auditor(tx, logKey).audit(null, Auditor.Progress.NONE)).isInstanceOf(AuditReport.Verified.class);
                return null;
            });
            var live = store.read(StateDigest::of);
            try (Store target = empty.get()) {
                new Rebuild(Ledger.standard()).run(store, target, (done, total) -> { });
                assertThat(target.read(StateDigest::of)).isEqualTo(live);
            }
        }
    }

    /** Writes to {@code file} until the file system has no space left. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
