package org.truce.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.truce.core.entry.EntrySigner;
import org.truce.core.json.Json;
import org.truce.server.access.Sessions;
import org.truce.server.http.ApiServer;
import org.truce.server.http.RateLimits;
import org.truce.server.http.Route;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;
import org.truce.tlog.note.NoteKeys;

/**
 * The real HTTP API of a server on the demo scenario, started once for the class, under fuzzed
 * requests: no answer may be a 5xx, every request must be answered, and nothing may be written (the
 * log's size and the evidence stored stay as they were).
 *
 * <p>An input is a request written as text: a first line {@code METHOD TARGET} (the target is a path
 * with its query, sent as it is: the seeds give one per route of {@link Route#ALL}, with values in its
 * path segments and query parameters), then header lines {@code Name: value} up to an empty line, then
 * the body. The harness frames it: it adds {@code Host}, {@code Content-Length} and {@code Connection:
 * close} and drops the fuzzed headers that would change the framing, so that one input is one request
 * on one connection. {@code $TOKEN} in a header line of a request other than a POST stands for a live
 * session of the party us, so that the fuzzer reaches what a signed-in party reads (Authorization:
 * Bearer, the session cookie); a POST keeps it as it is, since a signed-in party may upload evidence
 * and log out, and nothing may be written. {@link #seeds_coverEveryRoute} keeps a seed for every route.
 * Not thread-safe: Jazzer runs one input at a time.
 */
class ApiFuzzTest {
    /** Stands for a live session token of the party us. */
    static final String TOKEN = "$TOKEN";
    /** The headers the harness owns: fuzzing them would change how one request is framed. */
    private static final Set<String> FRAMING = Set.of("host", "content-length", "transfer-encoding", "connection", "expect",
            "upgrade", "te", "http2-settings");
    private static final int MAX_HEADERS = 32;

    private static Path dir;
    private static Node node;
    private static int port;
    private static String token;
    private static long size;
    private static int evidence;

    @BeforeAll
    static void start() throws Exception {
        // Every refused request is logged at INFO; millions of lines would slow the fuzzer down.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ApiServer.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        dir = Files.createTempDirectory("truce-api-fuzz-");
        node = Node.init(dir.resolve("data"), "fuzz.truce.example/log", "Fuzz", Clock.systemUTC());
        Demo.load(node, dir.resolve("data/party-keys"));
        port = node.serve("127.0.0.1", 0, RateLimits.Options.NONE).port();
        token = login("us");
        size = node.store().read(tx -> tx.size());
        evidence = node.store().read(tx -> tx.evidenceHashes(null, 10_000).size());
    }

    @AfterAll
    static void stop() throws IOException {
        node.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @FuzzTest
    void request(byte @NotNull [] input) throws Exception {
        Request r = Request.parse(input, token);
        Answer a;
        // Only the API's own address: a request that made the server connect elsewhere is a finding. Set for
        // each input, since Jazzer's bug detectors load with the first and start again when fuzzing starts.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, p) -> (host.equals("127.0.0.1") || host.equals("localhost")) && p == port)) {
            a = send(r.bytes());
        }
        if (a.status() < 0) {
            throw new AssertionError("no answer to\n" + r + "\nbut: " + a.text());
        }
        if (a.status() >= 500) {
            throw new AssertionError("answered " + a.status() + " to\n" + r + "\n" + a.text());
        }
        long nowSize = node.store().read(tx -> tx.size());
        int nowEvidence = node.store().read(tx -> tx.evidenceHashes(null, 10_000).size());
        if (nowSize != size || nowEvidence != evidence) {
            throw new AssertionError("written: log size " + size + " -> " + nowSize + ", evidence " + evidence + " -> "
                    + nowEvidence + ", by\n" + r);
        }
    }

    @Test
    void seeds_coverEveryRoute() throws Exception {
        Path seeds = Path.of(ApiFuzzTest.class.getResource("ApiFuzzTestInputs/request").toURI());
        List<String> firstLines = new ArrayList<>();
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path f : files.toList()) {
                Request r = Request.parse(Files.readAllBytes(f), "");
                firstLines.add(r.method() + " " + r.target().replaceFirst("\\?.*", ""));
            }
        }
        for (Route r : Route.ALL) {
            String template = r.method() + " " + r.path().replaceAll("\\{[a-zA-Z0-9]+}", "[^/]+").replaceAll("<[a-zA-Z0-9]+>", ".+");
            assertThat(firstLines).as("a seed for %s %s", r.method(), r.path()).anyMatch(l -> l.matches(template));
        }
    }

    /** A request as the harness sends it: the fuzzed method, target, headers and body, framed. */
    record Request(String method, String target, String headers, byte[] body) {
        static Request parse(byte[] input, String token) {
            int end = indexOf(input, "\n\n".getBytes(StandardCharsets.US_ASCII));
            String head = new String(input, 0, end < 0 ? input.length : end, StandardCharsets.ISO_8859_1);
            byte[] body = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(input, end + 2, input.length);
            String[] lines = head.replace("\r", "").split("\n", -1);
            String first = lines[0];
            int space = first.indexOf(' ');
            String method = space < 0 ? "GET" : first.substring(0, space);
            // One token, so that the request line stays METHOD TARGET HTTP/1.1: an empty target or one with
            // spaces would be HTTP/0.9 to Jetty, which it rightly answers 505.
            String target = (space < 0 ? first : first.substring(space + 1)).replace(" ", "%20");
            if (target.isEmpty()) {
                target = "/";
            }
            StringBuilder headers = new StringBuilder();
            for (int i = 1; i < lines.length && i <= MAX_HEADERS; i++) {
                int colon = lines[i].indexOf(':');
                String name = colon < 0 ? lines[i] : lines[i].substring(0, colon);
                if (!FRAMING.contains(name.strip().toLowerCase(Locale.ROOT))) {
                    headers.append(method.equals("POST") ? lines[i] : lines[i].replace(TOKEN, token)).append("\r\n");
                }
            }
            return new Request(method.isEmpty() ? "GET" : method, target, headers.toString(), body);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return method + " " + target + "\n" + headers.replace("\r", "") + "\n"
                    + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** The status of an answer (-1 if there was none) and its text. */
    record Answer(int status, String text) {}

    private static Answer send(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return new Answer(-1, text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        } catch (java.net.SocketException e) {
            // The server may close a connection it refuses before reading the whole request.
            return new Answer(-1, e.toString());
        }
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Logs {@code party} in with its demo key and returns the session token. */
    private static String login(String party) throws Exception {
        String privateKey = Files.readString(dir.resolve("data/party-keys/" + party + ".key")).strip();
        Answer c = send(post("/api/v1/login/challenge", "{}"));
        String challenge = Json.parse(body(c)).get("challenge").asText();
        byte[] sig = NoteKeys.parseSigner(privateKey).sign(Sessions.signedMessage(challenge));
        ObjectNode req = JsonNodeFactory.instance.objectNode().put("key", EntrySigner.fromPrivateKey(privateKey).keyRef())
                .put("challenge", challenge).put("sig", Base64.getEncoder().encodeToString(sig));
        Answer a = send(post("/api/v1/login", req.toString()));
        if (a.status() != 200) {
            throw new IllegalStateException("cannot log in: " + a.text());
        }
        return Json.parse(body(a)).get("token").asText();
    }

    private static byte[] post(String path, String json) {
        return new Request("POST", path, "Content-Type: application/json\r\n", json.getBytes(StandardCharsets.UTF_8)).bytes();
    }

    private static byte[] body(Answer a) {
        return a.text().substring(a.text().indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
    }
}
