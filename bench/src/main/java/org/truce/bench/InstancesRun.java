package org.truce.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.Ledger;
import org.truce.server.http.ApiServer;
import org.truce.server.node.Node;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.tlog.note.NoteKeys;

/**
 * Durable appends over HTTP on PostgreSQL, in entries per second, with one and with three instances on
 * one database: an embedded PostgreSQL server, and on a new database for each configuration (1) one
 * instance with its in-process sequencer, the single-instance path, as the baseline; (2) one instance
 * through the shared submissions queue; (3) three instances through it, one of them holding the
 * sequencer role. {@value #LANES} client lanes, each a party signing hotline messages in seq order and
 * posting one at a time from a loopback address of its own (so that the server's limit per address
 * applies to each lane alone), spread round robin over the instances; an entry counts when its 200/201
 * answer has arrived. Everything (server, instances, clients) shares this machine, so the three
 * instances compete for the same cores: the figure shows the cost of the queue and that the single
 * sequencer is not slowed by more instances, not the gain of more machines.
 *
 * <p>Run: {@code ./bench/instances [SECONDS]} (default 20, after 5 s of warm-up).
 */
public final class InstancesRun {
    static final String START = "<!-- instances: written by ./bench/instances -->";
    static final String END = "<!-- /instances -->";
    static final int LANES = 64;
    private static final Instant AT = Instant.parse("2016-09-12T16:00:00Z");

    private InstancesRun() {}

    /** One configuration's result. */
    record Figure(String what, int instances, double perSecond, long refused) {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        Path report = Path.of(args[1]);
        String load0 = Host.loadAverage();
        List<Figure> figures = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            // A run whose figure is thrown away: the first configuration would otherwise also pay for
            // the JIT and the new server's cold caches.
            run(pg, "warm-up", 1, false, 10);
            figures.add(run(pg, "one instance, in-process sequencer (baseline)", 1, false, seconds));
            figures.add(run(pg, "one instance, shared queue", 1, true, seconds));
            figures.add(run(pg, "three instances, shared queue", 3, true, seconds));
        }
        String load1 = Host.loadAverage();
        String section = section(figures, seconds, load0, load1);
        System.out.println(section);
        ImportRun.writeSection(report, section, START, END);
    }

    private static Figure run(EmbeddedPostgres pg, String what, int instances, boolean shared, int seconds) throws Exception {
        String db = "bench_" + instances + (shared ? "_shared" : "_direct") + "_" + System.nanoTime();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = pg.getJdbcUrl("postgres", db);
        Path keys = Files.createTempDirectory("truce-instances-");
        List<AutoCloseable> open = new ArrayList<>();
        List<URI> entries = new ArrayList<>();
        List<EntrySigner> lanes = new ArrayList<>();
        SecureRandom rng = new SecureRandom();
        Node first = Node.init(keys, "bench.truce.example/log", "Bench", Clock.systemUTC(), url);
        long seq = first.operatorSeq();
        register(first, rng, "hub", ++seq);
        for (int i = 0; i < LANES; i++) {
            lanes.add(register(first, rng, "p" + i, ++seq));
        }
        try {
            if (!shared) {
                first.close();
                Store store = Store.open(url);
                Sequencer sequencer = new Sequencer(store, Ledger.standard(), first.checkpointKey(), Clock.systemUTC(),
                        Sequencer.Options.DEFAULT);
                ApiServer api = new ApiServer(store, sequencer, Ledger.standard().kinds(), Clock.systemUTC()).start("127.0.0.1", 0);
                open.add(store);
                open.add(sequencer);
                open.add(api);
                entries.add(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/entries"));
            } else {
                List<Node> nodes = new ArrayList<>(List.of(first));
                for (int i = 1; i < instances; i++) {
                    nodes.add(Node.open(keys, Clock.systemUTC(), url));
                }
                for (Node n : nodes) {
                    open.add(n);
                    entries.add(URI.create("http://127.0.0.1:" + n.serve("127.0.0.1", 0).port() + "/api/v1/entries"));
                }
            }
            return load(what, instances, entries, lanes, seconds);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static Figure load(String what, int instances, List<URI> entries, List<EntrySigner> lanes, int seconds)
            throws InterruptedException {
        long warm = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long end = warm + Duration.ofSeconds(seconds).toNanos();
        AtomicLong counted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < lanes.size(); l++) {
            EntrySigner key = lanes.get(l);
            int lane = l;
            Thread t = new Thread(() -> {
                // Each lane stands for a party's client: its own address, so the server's limit per
                // address applies to it alone, as it would to parties arriving from their own networks.
                List<LoopbackHttp> connections = new ArrayList<>();
                for (URI u : entries) {
                    connections.add(new LoopbackHttp(LoopbackHttp.address(lane), u.getPort()));
                }
                long seq = 0;
                try {
                    while (System.nanoTime() < end) {
                        ObjectNode b = JsonNodeFactory.instance.objectNode().put("subject", "Position report " + ++seq)
                                .put("text", "Convoy at the Castello road checkpoint, waiting for clearance.");
                        b.putArray("to").add("hub");
                        byte[] body = key.sign("message", b, Visibility.PUBLIC, List.of(), seq, AT).toJson().toString()
                                .getBytes(StandardCharsets.UTF_8);
                        int i = (int) ((lane + seq) % entries.size());
                        try {
                            LoopbackHttp.Response r = connections.get(i).post(entries.get(i).getPath(), body);
                            long now = System.nanoTime();
                            if (r.status() == 200 || r.status() == 201) {
                                if (now > warm && now <= end) {
                                    counted.incrementAndGet();
                                }
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (Exception e) {
                            refused.incrementAndGet();
                        }
                    }
                } finally {
                    connections.forEach(LoopbackHttp::close);
                }
            }, "lane-" + l);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double perSecond = counted.get() / (double) seconds;
        System.err.printf(Locale.ROOT, "%s: %,.0f entries/s (%d not acknowledged)%n", what, perSecond, refused.get());
        return new Figure(what, instances, perSecond, refused.get());
    }

    private static EntrySigner register(Node node, SecureRandom rng, String id, long seq) throws Exception {
        EntrySigner s = EntrySigner.fromPrivateKey(NoteKeys.generate(id, NoteKeys.TYPE_ED25519, rng).privateKey());
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id).put("name", id);
        b.putArray("roles").add("party");
        b.putArray("keys").add(s.vkey());
        node.submit(node.operator(), "party", b, Visibility.PUBLIC, seq);
        return s;
    }

    private static String section(List<Figure> figures, int seconds, String load0, String load1) {
        Report.Machine m = Report.machine(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        StringBuilder md = new StringBuilder(START).append("\n## Instances on one PostgreSQL database\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s UTC on %s, %s, JDK %s; load average before %s, after %s.%n%n",
                java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").format(Instant.now().atOffset(java.time.ZoneOffset.UTC)),
                m.cpu(), m.os(), m.jdk(), load0, load1));
        md.append("`./bench/instances` runs an embedded PostgreSQL server, the instances and ").append(LANES)
                .append(" HTTP client lanes in one JVM on this machine (each lane a party posting signed hotline messages one at a time from a loopback address of its own, "
                        + "round robin over the instances), for ").append(seconds).append(" s after 5 s of warm-up, "
                        + "a new database for each configuration, after a warm-up run of the first configuration whose figure is not kept. Every instance shares the same cores with the database and "
                        + "the clients, so three instances here show the cost of the queue and of the fence, not what three "
                        + "machines would give.\n\n");
        md.append("| configuration | appends/s, all instances | per instance | ratio to the baseline | not acknowledged |\n|---|---|---|---|---|\n");
        double base = figures.get(0).perSecond();
        for (Figure f : figures) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %d |%n", f.what(), f.perSecond(),
                    f.perSecond() / f.instances(), f.perSecond() / base, f.refused()));
        }
        return md.append("\n").append(END).append("\n").toString();
    }
}
