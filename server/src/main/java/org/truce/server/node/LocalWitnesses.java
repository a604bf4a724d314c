package org.truce.server.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.witness.Policy;
import org.truce.tlog.witness.Witness;
import org.truce.tlog.witness.WitnessStore;
import org.truce.server.witness.WitnessServer;

/**
 * Witnesses run beside a log in the same process, as the demo runs two: each with a new key and its
 * own state directory, following that log, served over HTTP; and the policy that requires all of them,
 * with their submission URLs, for the log to send its checkpoints to and for clients to verify with.
 */
public final class LocalWitnesses implements AutoCloseable {
    private final List<WitnessServer> servers = new ArrayList<>();
    private final List<WitnessStore> stores = new ArrayList<>();
    private final String policy;

    private LocalWitnesses(Node node, Path dir, String host, int count) throws IOException, FormatException {
        StringBuilder p = new StringBuilder("# The demo log and the two witnesses that run beside it; both must cosign.\n");
        p.append("log ").append(node.checkpointKey().verifier().vkey()).append('\n');
        StringBuilder group = new StringBuilder("group demo-witnesses all");
        SecureRandom random = new SecureRandom();
        for (int i = 1; i <= count; i++) {
            Path home = dir.resolve("witness-" + i);
            Files.createDirectories(home);
            NoteKeys.KeyPair key = CosignatureV1.generate("witness-" + i + ".demo.truce.example", random);
            Files.writeString(home.resolve("witness.key"), key.privateKey() + "\n", StandardCharsets.US_ASCII);
            WitnessStore store = WitnessStore.directory(home);
            stores.add(store);
            Witness w = new Witness(NoteKeys.parseCosigner(key.privateKey(), Clock.systemUTC()),
                    List.of(Witness.Log.of(node.checkpointKey().verifier())), store);
            WitnessServer server = new WitnessServer(w).start(host, 0);
            servers.add(server);
            p.append("witness w").append(i).append(' ').append(w.vkey()).append(" http://").append(host).append(':')
                    .append(server.port()).append('\n');
            group.append(" w").append(i);
        }
        p.append(group).append('\n').append("quorum demo-witnesses\n");
        this.policy = p.toString();
    }

    /** Starts {@code count} witnesses of the node's log, their state under {@code dir}, listening on {@code host}. */
    public static LocalWitnesses start(Node node, Path dir, String host, int count) {
        try {
            return new LocalWitnesses(node, dir, host, count);
        } catch (IOException | FormatException e) {
            throw new IllegalStateException("cannot start the witnesses: " + e.getMessage(), e);
        }
    }

    /** The tlog-policy file requiring every one of these witnesses. */
    public String policy() {
        return policy;
    }

    /** The policy, parsed. */
    public Policy parsedPolicy() {
        try {
            return Policy.parse(policy.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        servers.forEach(WitnessServer::close);
        stores.forEach(WitnessStore::close);
    }
}
