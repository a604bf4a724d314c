package org.truce.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.server.node.Node;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.NoteKeys;

/**
 * A real log for the append benchmarks: a node on an embedded SQLite database in a temporary
 * directory (WAL, {@code synchronous=FULL}, so every answered entry is on disk), with parties
 * registered as clients need them. Each client party signs hotline messages to one recipient under
 * its own key, in increasing seq.
 */
final class LogUnderLoad implements AutoCloseable {
    private static final Instant AT = Instant.parse("2016-09-12T16:00:00Z");

    final Path dir;
    final Node node;
    private final SecureRandom rng = new SecureRandom();
    private long operatorSeq;
    private int parties;

    LogUnderLoad() {
        try {
            dir = Files.createTempDirectory("truce-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node = Node.init(dir.resolve("data"), "bench.truce.example/log", "Bench", Clock.systemUTC());
        operatorSeq = node.operatorSeq();
        register("hub");
    }

    /** Registers a new party with a fresh key and returns its signer. */
    synchronized EntrySigner newParty() {
        return register("p" + ++parties);
    }

    private EntrySigner register(String id) {
        try {
            EntrySigner s = EntrySigner.fromPrivateKey(NoteKeys.generate(id, NoteKeys.TYPE_ED25519, rng).privateKey());
            ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id).put("name", id);
            b.putArray("roles").add("party");
            b.putArray("keys").add(s.vkey());
            node.submit(node.operator(), "party", b, Visibility.PUBLIC, ++operatorSeq);
            return s;
        } catch (FormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} hotline messages signed by {@code from} with seq {@code firstSeq} onward. */
    static List<Submission> messages(EntrySigner from, long firstSeq, int n) {
        List<Submission> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = firstSeq + i;
            ObjectNode b = JsonNodeFactory.instance.objectNode().put("subject", "Position report " + seq)
                    .put("text", "Convoy at the Castello road checkpoint, waiting for clearance.");
            b.putArray("to").add("hub");
            out.add(from.sign("message", b, Visibility.PUBLIC, List.of(), seq, AT));
        }
        return out;
    }

    @Override
    public void close() {
        node.close();
        Host.deleteTree(dir);
    }
}
