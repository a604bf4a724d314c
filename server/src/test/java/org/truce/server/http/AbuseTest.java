package org.truce.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.core.ledger.Ledger;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;

/**
 * Hostile input on the real HTTP API, each answered with the right status, a problem naming what is
 * wrong, and nothing written: a flood from one key (429 with Retry-After, while another key goes on),
 * a flood from one address, an oversized body, deeply nested JSON, and polygons too large or crossing
 * themselves. Slow clients on raw sockets: headers or a body sent a byte at a time are cut off while
 * other clients are answered, oversized headers are refused, and at the connection cap idle
 * connections make room.
 */
class AbuseTest {
    private static final Instant T0 = Instant.parse("2016-09-12T16:00:00Z");

    @TempDir
    Path tmp;

    private final SecureRandom rng = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private Store store;
    private Sequencer sequencer;
    private ApiServer server;
    private String base;
    private EntrySigner operator;
    private EntrySigner us;
    private EntrySigner ru;

    private void start(RateLimits.Options limits) throws Exception {
        start(limits, ConnectionLimits.Options.DEFAULT);
    }

    private void start(RateLimits.Options limits, ConnectionLimits.Options connections) throws Exception {
        store = Store.sqlite(tmp);
        Signer checkpointKey = NoteKeys.parseSigner(NoteKeys.generate("truce.example/abuse", NoteKeys.TYPE_ED25519, rng).privateKey());
        sequencer = new Sequencer(store, Ledger.standard(), checkpointKey, Clock.systemUTC(), Sequencer.Options.DEFAULT);
        server = new ApiServer(store, sequencer, Kinds.standard(), Clock.systemUTC(), limits, connections).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        operator = EntrySigner.fromPrivateKey(NoteKeys.generate(PartyId.OPERATOR, NoteKeys.TYPE_ED25519, rng).privateKey());
        us = EntrySigner.fromPrivateKey(NoteKeys.generate("us", NoteKeys.TYPE_ED25519, rng).privateKey());
        ru = EntrySigner.fromPrivateKey(NoteKeys.generate("ru", NoteKeys.TYPE_ED25519, rng).privateKey());
        ObjectNode g = obj().put("origin", "truce.example/abuse").put("name", "Operator")
                .put("checkpointKey", checkpointKey.verifier().vkey()).put("entryKey", operator.vkey());
        assertThat(post(operator.sign("genesis", g, Visibility.PUBLIC, List.of(), 1, T0)).statusCode()).isEqualTo(201);
        long seq = 2;
        for (EntrySigner p : List.of(us, ru)) {
            ObjectNode b = obj().put("id", p == us ? "us" : "ru").put("name", p == us ? "US" : "RU");
            b.putArray("roles").add("party");
            b.putArray("keys").add(p.vkey());
            assertThat(post(operator.sign("party", b, Visibility.PUBLIC, List.of(), seq++, T0)).statusCode()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            sequencer.close();
            store.close();
        }
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private HttpResponse<String> post(Submission s) throws Exception {
        return postRaw("/api/v1/entries", s.toJson().toString().getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> postRaw(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private long size() {
        return store.read(tx -> tx.size());
    }

    private static ObjectNode message(String to, long n) {
        ObjectNode m = obj().put("subject", "flood " + n).put("text", "message " + n);
        m.putArray("to").add(to);
        return m;
    }

    @Test
    void floodFromOneKey_isRefused429WithRetryAfter_whileAnotherKeyGoesOn() throws Exception {
        start(new RateLimits.Options(10_000, 10_000, 1, 20, 120));
        long before = size();
        int accepted = 0;
        HttpResponse<String> limited = null;
        for (int i = 1; i <= 40; i++) {
            HttpResponse<String> r = post(us.sign("message", message("ru", i), Visibility.PUBLIC, List.of(), i, T0));
            if (r.statusCode() == 201) {
                accepted++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                limited = r;
            }
        }
        assertThat(limited).as("the flood is stopped").isNotNull();
        assertThat(json(limited).get("type").asText()).endsWith("rate-limited");
        assertThat(json(limited).get("detail").asText()).contains("key " + us.keyRef());
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(accepted).as("the burst, and what refilled while it ran").isBetween(20, 30);
        assertThat(size()).as("nothing of a refused submission is written").isEqualTo(before + accepted);
        assertThat(post(ru.sign("message", message("us", 1), Visibility.PUBLIC, List.of(), 1, T0)).statusCode())
                .as("another key is not held up").isEqualTo(201);
    }

    @Test
    void floodFromOneAddress_isRefused429() throws Exception {
        start(new RateLimits.Options(1, 60, 1_000, 1_000, 120));
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/log/checkpoint")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 429) {
                limited++;
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(limited).isGreaterThan(0);
    }

    @Test
    void oversizedBody_nestedJson_andHugeOrCrossingPolygons_refusedNamingWhy_withNothingWritten() throws Exception {
        start(RateLimits.Options.DEFAULT);
        long before = size();
        HttpResponse<String> big = postRaw("/api/v1/entries", new byte[ApiServer.MAX_BODY + 1]);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).get("detail").asText()).contains(Integer.toString(ApiServer.MAX_BODY));

        String nested = "[".repeat(10_000) + "]".repeat(10_000);
        HttpResponse<String> deep = postRaw("/api/v1/entries", nested.getBytes(StandardCharsets.UTF_8));
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(json(deep).get("detail").asText()).containsIgnoringCase("depth");

        // 10,001 vertices: far over the submission's size limit, refused before anything is parsed.
        ObjectNode site = obj().put("id", "huge").put("name", "Huge").put("category", "hospital")
                .put("ackBy", "2016-09-13T00:00:00Z");
        site.putArray("acknowledge").add("ru");
        ArrayNode ring = site.putObject("footprint").put("type", "polygon").putArray("coordinates");
        for (int i = 0; i <= 10_001; i++) {
            double a = 2 * Math.PI * (i % 10_001) / 10_001;
            ring.addArray().add(36.2 + 0.1 * Math.cos(a)).add(36.2 + 0.1 * Math.sin(a));
        }
        HttpResponse<String> huge = post(us.sign("notification.site", site, Visibility.PUBLIC, List.of(), 1, T0));
        assertThat(huge.statusCode()).isEqualTo(413);

        ObjectNode bowtie = site.deepCopy().put("id", "bowtie");
        ArrayNode crossing = bowtie.putObject("footprint").put("type", "polygon").putArray("coordinates");
        for (double[] p : new double[][] {{36.0, 36.0}, {36.2, 36.2}, {36.2, 36.0}, {36.0, 36.2}, {36.0, 36.0}}) {
            crossing.addArray().add(p[0]).add(p[1]);
        }
        HttpResponse<String> tie = post(us.sign("notification.site", bowtie, Visibility.PUBLIC, List.of(), 2, T0));
        assertThat(tie.statusCode()).isEqualTo(422);
        assertThat(json(tie).get("detail").asText()).contains("/footprint/coordinates", "crosses itself");
        assertThat(size()).isEqualTo(before);
    }

    /** Enough valid entries to go over the per-key batch limit: each batch counts once for its key. */
    @Test
    void batchesFromOneKey_areLimitedPerHour() throws Exception {
        start(new RateLimits.Options(10_000, 10_000, 1_000, 1_000, 2));
        List<Integer> statuses = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                long seq = b * 3L + i;
                ndjson.append(us.sign("message", message("ru", seq), Visibility.PUBLIC, List.of(), seq, T0).toJson()).append('\n');
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries/batch"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build(), HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
        }
        assertThat(statuses.subList(0, 2)).allMatch(s -> s < 300);
        assertThat(statuses.get(2)).isEqualTo(429);
    }

    /**
     * Found by ApiFuzzTest: Javalin decodes path parameters before any handler runs, and a % not followed
     * by two hexadecimal digits escaped it as an IllegalArgumentException, answered 500. Jetty refuses
     * such a path itself, except after a ';' (a segment's parameters), which Javalin still decodes.
     */
    @Test
    void pathWithAMalformedPercentEscape_isAnswered400_not500() throws Exception {
        start(RateLimits.Options.DEFAULT);
        for (String path : List.of("/api/v1/actors/isil;v%3", "/api/v1/actors/is;%zzil", "/web/1/a;b%3/c", "/log/proof/1;%")) {
            // On a raw socket: java.net.URI refuses such a path before sending it.
            try (Socket s = raw()) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("/problems/bad-path");
            }
        }
    }

    // ---- slow clients and connection bounds, on raw sockets

    /** Short deadlines, so that the tests take seconds: a 60 s idle timeout shows the others cut first. */
    private static final ConnectionLimits.Options SLOW = new ConnectionLimits.Options(Duration.ofSeconds(60), 8 * 1024,
            Duration.ofSeconds(2), 100, 16, Duration.ofSeconds(1));

    private Socket raw() throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(20_000);
        return s;
    }

    /** What a slow client got: the first line of the answer (null if the server closed without one), and when. */
    private record Trickled(String firstLine, long millis) {}

    /**
     * On a new connection, writes {@code head}, then one byte every 250 ms until the server closes the
     * connection or answers; meanwhile another client must be answered.
     */
    private Trickled trickle(String head) throws Exception {
        try (Socket s = raw()) {
            long t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(250);
                    }
                } catch (Exception e) {
                    // The server closed the connection, or the test is done.
                }
            }, "slow-client");
            writer.start();
            try {
                Thread.sleep(500);
                assertThat(checkpointStatus()).as("another client, meanwhile").isEqualTo(200);
                String first = firstLine(s);
                return new Trickled(first, Duration.ofNanos(System.nanoTime() - t0).toMillis());
            } finally {
                writer.interrupt();
                writer.join();
            }
        }
    }

    /** The first line the server sends, or null if it closes (or resets) the connection first. */
    private static String firstLine(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        try {
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection within 20 s", e);
        } catch (SocketException e) {
            return null;
        }
        return line.length() == 0 ? null : line.toString().strip();
    }

    private int checkpointStatus() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/log/checkpoint")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void headersSentAByteAtATime_connectionClosedAfterTheHeaderTimeout_whileOthersAreAnswered() throws Exception {
        start(RateLimits.Options.DEFAULT, SLOW);
        Trickled t = trickle("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        assertThat(t.firstLine()).as("what the slow client got").isNull();
        // Closed between the header timeout and 1.25 times it, far short of the 60 s idle timeout.
        assertThat(t.millis()).isBetween(2_000L, 10_000L);
    }

    @Test
    void bodySentAByteAtATime_isAnswered408_andNothingWritten_whileOthersAreAnswered() throws Exception {
        start(RateLimits.Options.DEFAULT, SLOW);
        long before = size();
        Trickled t = trickle("POST /api/v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10000\r\n\r\n");
        // 4 bytes a second against at least 100: refused within a few seconds, not after 10,000 s.
        assertThat(t.firstLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        assertThat(t.millis()).isLessThan(10_000L);
        assertThat(checkpointStatus()).isEqualTo(200);
        assertThat(size()).isEqualTo(before);
    }

    @Test
    void headersOverTheLimit_areAnswered431() throws Exception {
        start(RateLimits.Options.DEFAULT, SLOW);
        try (Socket s = raw()) {
            s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(9 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(firstLine(s)).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void atTheConnectionCap_idleConnectionsMakeRoom_andTheNextClientIsAnswered() throws Exception {
        start(RateLimits.Options.DEFAULT, SLOW);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW.maxConnections(); i++) {
                idle.add(raw());
            }
            long t0 = System.nanoTime();
            try (Socket next = raw()) {
                next.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(firstLine(next)).isEqualTo("HTTP/1.1 200 OK");
            }
            // Idle for 1 s once the server was full, not the 60 s of its idle timeout.
            assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isLessThan(15_000L);
            int closed = 0;
            for (Socket s : idle) {
                s.setSoTimeout(1);
                try {
                    closed += s.getInputStream().read() == -1 ? 1 : 0;
                } catch (SocketTimeoutException e) {
                    // Still open: the cap only needed room for one.
                } catch (SocketException e) {
                    closed++;
                }
            }
            assertThat(closed).as("idle connections the server closed").isPositive();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
