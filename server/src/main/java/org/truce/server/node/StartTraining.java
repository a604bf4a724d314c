package org.truce.server.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What a server loads to start and answer its first requests, run once on a throwaway log so that a
 * JVM can record it in a class-data sharing archive ({@code -XX:ArchiveClassesAtExit}). A later start
 * with that archive ({@code -XX:SharedArchiveFile}) maps those classes already parsed and verified
 * instead of loading about 5,000 of them from the jar, which was about a third of the server's start.
 * The {@code truce} launcher writes the archive beside the jar; {@code ./bench/targets} writes one the
 * same way for the server it measures.
 */
public final class StartTraining {
    /** The reads a client makes first: health, the log's checkpoint and an entry, a schema, the web page. */
    static final List<String> PATHS = List.of("/healthz", "/log/checkpoint", "/api/v1/entries/0", "/api/v1/entries/1",
            "/log/proof/1", "/api/v1/schemas/message", "/api/v1/openapi.json", "/", "/metrics");

    private StartTraining() {}

    /**
     * Creates a log in a new temporary directory, serves it on a free port of 127.0.0.1, sequences an
     * entry, asks each of {@link #PATHS} once, and deletes the log.
     *
     * @throws IllegalStateException if an answer is not 200, naming the path
     */
    public static void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("truce-start-training-");
        try (Node node = Node.init(dir.resolve("data"), Node.DEFAULT_ORIGIN, "start training", Clock.systemUTC())) {
            int port = node.serve("127.0.0.1", 0).port();
            // A submission through the sequencer, as the first party registration of a new log.
            ObjectNode party = JsonNodeFactory.instance.objectNode().put("id", "training").put("name", "Training party");
            party.putArray("roles").add("party");
            party.putArray("keys").add(org.truce.tlog.note.NoteKeys.generate("training", org.truce.tlog.note.NoteKeys.TYPE_ED25519,
                    new java.security.SecureRandom()).vkey());
            node.submit(node.operator(), "party", party, node.operatorSeq() + 1);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String path : PATHS) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
                }
            }
        } finally {
            Node.deleteTree(dir);
        }
    }
}
