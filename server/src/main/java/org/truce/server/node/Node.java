package org.truce.server.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.Ledger;
import org.truce.server.http.ApiServer;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Logins;
import org.truce.store.Shared;
import org.truce.store.Store;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.KeyFiles;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.jspecify.annotations.Nullable;

/**
 * One running Truce log in a data directory: the embedded store, the operator's keys, the
 * sequencer and the HTTP API. {@link #init} creates the keys and the genesis entry; {@link #open}
 * opens what exists. Thread-safe.
 */
public final class Node implements AutoCloseable {
    public static final String CHECKPOINT_KEY = "checkpoint.key";
    public static final String ENTRY_KEY = "operator.key";
    public static final String DEFAULT_ORIGIN = "truce.example/log";
    private @Nullable Escalator escalator;
    private @Nullable Witnessing witnessing;
    private final List<AutoCloseable> attached = new java.util.ArrayList<>();

    private final Store store;
    private final Sequencer sequencer;
    private final Signer checkpointKey;
    private final EntrySigner operator;
    private final Clock clock;
    private ApiServer api;

    private final @Nullable Shared shared;

    /**
     * On PostgreSQL the node is one of any number of instances sharing the database: it queues what it
     * admits, and sequences the queue while it holds the sequencer role ({@code docs/scaling.md}).
     */
    private Node(Store store, Signer checkpointKey, EntrySigner operator, Clock clock) {
        this.store = store;
        this.checkpointKey = checkpointKey;
        this.operator = operator;
        this.clock = clock;
        this.shared = store.engine().equals("postgresql") ? Shared.of(store) : null;
        this.sequencer = new Sequencer(store, Ledger.standard(), checkpointKey, clock, Sequencer.Options.DEFAULT, shared);
    }

    /** Whether this node sequences: always alone on its database, or while it holds the role among several. */
    public boolean sequencing() {
        return shared == null || shared.leads();
    }

    /**
     * Deletes {@code dir} and everything under it: a data directory made for one run (a replay, a
     * restore being built, a throwaway log), once it is no longer needed.
     */
    public static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Whether {@code dir} already holds an initialised log. */
    public static boolean initialised(Path dir) {
        return Files.exists(dir.resolve(CHECKPOINT_KEY)) && Files.exists(dir.resolve(ENTRY_KEY));
    }

    /** Creates the keys and the genesis entry of a new log in {@code dir}. */
    public static Node init(Path dir, String origin, String name, Clock clock) {
        return init(dir, origin, name, clock, null);
    }

    /**
     * Creates a new log whose keys live in {@code dir} and whose store is the database at
     * {@code dbUrl}, or the embedded one in {@code dir} when null.
     */
    public static Node init(Path dir, String origin, String name, Clock clock, @Nullable String dbUrl) {
        if (initialised(dir)) {
            throw new IllegalStateException(dir + " already holds a log");
        }
        if (dbUrl != null) {
            // Another instance's database: new keys here would make this one sign with a key the log
            // does not have, once it held the sequencer role.
            try (Store existing = Store.open(dbUrl)) {
                if (existing.read(tx -> tx.size()) > 0) {
                    throw new IllegalStateException("the database already holds a log; copy the keys of an instance "
                            + "that serves it (" + CHECKPOINT_KEY + ", " + ENTRY_KEY + ") into " + dir + " to serve it too");
                }
            }
        }
        SecureRandom rng = new SecureRandom();
        try {
            Files.createDirectories(dir);
            KeyFiles.writeNew(dir.resolve(CHECKPOINT_KEY), NoteKeys.generate(origin, NoteKeys.TYPE_ED25519, rng).privateKey());
            KeyFiles.writeNew(dir.resolve(ENTRY_KEY), NoteKeys.generate(PartyId.OPERATOR, NoteKeys.TYPE_ED25519, rng).privateKey());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the operator's keys in " + dir + ": " + e.getMessage(), e);
        }
        Node node = open(dir, clock, dbUrl);
        ObjectNode g = JsonNodeFactory.instance.objectNode().put("origin", origin).put("name", name)
                .put("checkpointKey", node.checkpointKey.verifier().vkey()).put("entryKey", node.operator.vkey());
        node.submit(node.operator, "genesis", g, 1);
        return node;
    }

    /** Opens the log in {@code dir}. */
    public static Node open(Path dir, Clock clock) {
        return open(dir, clock, null);
    }

    /** Opens the log whose keys live in {@code dir}, on {@code dbUrl} or the embedded database in {@code dir}. */
    public static Node open(Path dir, Clock clock, @Nullable String dbUrl) {
        try {
            Signer cp = NoteKeys.parseSigner(Files.readString(dir.resolve(CHECKPOINT_KEY)).strip());
            EntrySigner op = EntrySigner.fromPrivateKey(Files.readString(dir.resolve(ENTRY_KEY)).strip());
            return new Node(dbUrl == null ? Store.sqlite(dir) : Store.open(dbUrl), cp, op, clock);
        } catch (IOException | FormatException e) {
            throw new IllegalStateException("cannot read the operator's keys in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Signs and sequences an entry as {@code author}, waiting until it is durable. */
    public long submit(EntrySigner author, String kind, ObjectNode body, long seq) {
        return submit(author, kind, body, Visibility.PUBLIC, seq);
    }

    public long submit(EntrySigner author, String kind, ObjectNode body, Visibility visibility, long seq) {
        return submit(author, kind, body, visibility, seq, java.time.Instant.now());
    }

    /** Signs and sequences an entry with the author's time {@code at}, waiting until it is durable. */
    public long submit(EntrySigner author, String kind, ObjectNode body, Visibility visibility, long seq,
            java.time.Instant at) {
        try {
            return sequencer.submit(author.sign(kind, body, visibility, List.of(), seq, at))
                    .get(30, TimeUnit.SECONDS).index();
        } catch (EntryException e) {
            throw new IllegalStateException(kind + " refused: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(kind + " not sequenced: " + e.getMessage(), e);
        }
    }

    /** The operator's next seq, from the state. */
    public long operatorSeq() {
        return store.read(tx -> tx.get("key", operator.keyRef()).map(d -> d.body().path("lastSeq").asLong()).orElse(0L));
    }

    public EntrySigner operator() {
        return operator;
    }

    public Signer checkpointKey() {
        return checkpointKey;
    }

    public Store store() {
        return store;
    }

    /** The log's single writer, for submitting without waiting for each answer. */
    public Sequencer sequencer() {
        return sequencer;
    }

    /** Starts the HTTP API and the escalation of unacknowledged notifications, checked every 30 s. */
    public ApiServer serve(String host, int port) {
        return serve(host, port, org.truce.server.http.RateLimits.Options.DEFAULT);
    }

    /** As {@link #serve(String, int)}, holding clients to {@code limits}. */
    public ApiServer serve(String host, int port, org.truce.server.http.RateLimits.Options limits) {
        // Among several instances a party signs in on one and reads from any: sessions live in the database.
        Logins logins = shared != null ? shared.logins() : Logins.inMemory();
        api = new ApiServer(store, sequencer, Ledger.standard().kinds(), clock, limits, logins).start(host, port);
        escalator = new Escalator(this, clock).start(java.time.Duration.ofSeconds(30));
        return api;
    }

    /**
     * Has the witnesses of {@code policy} cosign each new checkpoint (looking every 200 ms, waiting at
     * most 5 s for their answers); the published checkpoint then carries their cosignatures.
     *
     * @throws IllegalArgumentException if the policy does not name this log or no witness with a URL
     */
    public Witnessing witnessedBy(org.truce.tlog.witness.Policy policy) {
        if (witnessing != null) {
            witnessing.close();
        }
        witnessing = new Witnessing(store, checkpointKey.verifier(), policy, java.time.Duration.ofSeconds(5))
                .start(java.time.Duration.ofMillis(200));
        return witnessing;
    }

    /**
     * Publishes the log's tiles and checkpoint to {@code target} in the C2SP layout, looking for a new
     * checkpoint every second, until the node closes.
     */
    public org.truce.server.publish.Publication publishTo(org.truce.tlog.tiles.TileStorage target) {
        org.truce.server.publish.Publication p = new org.truce.server.publish.Publication(store, target,
                checkpointKey.verifier()).start(java.time.Duration.ofSeconds(1));
        attach(p);
        return p;
    }

    /** Closes {@code c} when the node closes, after the log stops asking it anything (a local witness, say). */
    public void attach(AutoCloseable c) {
        attached.add(c);
    }

    /** The escalation of unacknowledged notifications, without its schedule: for running a check now. */
    public Escalator escalator() {
        return new Escalator(this, clock);
    }

    @Override
    public void close() {
        if (witnessing != null) {
            witnessing.close();
        }
        if (escalator != null) {
            escalator.close();
        }
        // The sequencer first: it answers whoever still waits (with 503 if it cannot sequence), so that
        // the HTTP server then stops without waiting on them.
        sequencer.close();
        if (api != null) {
            api.close();
        }
        if (shared != null) {
            shared.close();
        }
        store.close();
        for (AutoCloseable c : attached) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Node.class).atWarn().setCause(e).log("closing {} failed", c);
            }
        }
    }
}
