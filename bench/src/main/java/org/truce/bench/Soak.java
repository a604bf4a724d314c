package org.truce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.server.http.RateLimits;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;

/**
 * A mixed load held for a while against a real server on the demo scenario: parties writing hotline
 * messages (some restricted) and checking volumes against the deconfliction index, readers walking
 * the map, timeline, incidents, the daily report, the checkpoint and proofs. The server runs in a
 * child JVM ({@link SoakServer}) so that its heap is measured without the load's own (every receipt is
 * kept here); the load runs in this one. Every answer is counted by status; the server's least heap in
 * use over each twelfth of the run is sampled as it runs (no collection is forced). At the end, with the
 * server stopped, every acknowledged entry must be in the log at its index with its leaf hash, and the
 * whole log must audit.
 *
 * <p>Run: {@code ./bench/soak [MINUTES]} (default 60), which writes its section of docs/reliability.md.
 */
public final class Soak {
    static final String START = "<!-- soak: written by ./bench/soak -->";
    static final String END = "<!-- /soak -->";
    private static final int WRITERS = 3;
    private static final int READERS = 2;
    private static final java.time.format.DateTimeFormatter HH_MM = java.time.format.DateTimeFormatter.ofPattern("HH:mm");

    /** The server JVM's options in {@code ./bench/soak}. */
    static final List<String> SERVER_JVM = List.of("-Xmx1g");

    /**
     * One twelfth of a run: its end, in seconds from the start; the server's least heap in use over it, in
     * bytes (-1 if the server printed none); the machine's one-minute load average at its end.
     */
    public record Window(long seconds, long leastHeap, double load) {}

    /** What a soak saw. */
    public record Result(Instant started, Duration ran, Map<String, Long> byStatus, long acknowledged, long errors, long entriesAtEnd,
            List<Window> windows, boolean audited, long missing) {
        long requests() {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Soak() {}

    /**
     * Runs the load for {@code length} against a new demo log in {@code dir}, served by a {@link SoakServer}
     * in a child JVM started with {@code serverJvmOptions} and this JVM's class path.
     */
    public static Result run(Path dir, Duration length, List<String> serverJvmOptions) throws Exception {
        Path data = dir.resolve("data");
        List<EntrySigner> writers = new ArrayList<>();
        AtomicLong logSize = new AtomicLong();
        try (Node node = Node.init(data, "soak.truce.example/log", "Soak", Clock.systemUTC())) {
            Demo.load(node, data.resolve("party-keys"));
            long operatorSeq = node.operatorSeq();
            java.security.SecureRandom keys = new java.security.SecureRandom();
            for (int w = 0; w < WRITERS; w++) {
                EntrySigner s = EntrySigner.fromPrivateKey(org.truce.tlog.note.NoteKeys.generate("soak" + w,
                        org.truce.tlog.note.NoteKeys.TYPE_ED25519, keys).privateKey());
                ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", "soak" + w).put("name", "Soak " + w);
                b.putArray("roles").add("party");
                b.putArray("keys").add(s.vkey());
                node.submit(node.operator(), "party", b, Visibility.PUBLIC, ++operatorSeq);
                writers.add(s);
            }
            logSize.set(node.store().read(tx -> tx.size()));
        }
        Map<String, Long> byStatus = new ConcurrentHashMap<>();
        Map<Long, String> receipts = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        List<Window> windows = new ArrayList<>();
        Instant started;
        Duration ran;
        try (SoakServer.Child server = SoakServer.Child.start(data, serverJvmOptions)) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            Instant start = Instant.now();
            started = start;
            Instant end = start.plus(length);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                EntrySigner me = writers.get(w);
                SplittableRandom rng = new SplittableRandom(w);
                threads.add(new Thread(() -> {
                    long seq = 0;
                    while (Instant.now().isBefore(end)) {
                        try {
                            if (rng.nextInt(4) == 0) {
                                ObjectNode v = DeconflictionRun.footprint(rng, 1).deepCopy();
                                ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", "check").put("state", "accepted");
                                body.set("footprint", v);
                                body.putObject("altitude").put("lower", 0).put("upper", 3000).put("reference", "W84");
                                Instant from = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                                body.putObject("time").put("from", from.toString()).put("to", from.plusSeconds(3600).toString());
                                body.putArray("key");
                                HttpResponse<String> checked = send(http, base + "/api/v1/deconflict", body.toString());
                                count(byStatus, errors, checked);
                                if (checked.statusCode() == 429) {
                                    Thread.sleep(1000L * Long.parseLong(checked.headers().firstValue("Retry-After").orElse("1")));
                                }
                                continue;
                            }
                            seq++;
                            ObjectNode m = JsonNodeFactory.instance.objectNode().put("subject", "Soak " + seq)
                                    .put("text", "Position report " + seq + " from " + me.keyRef());
                            m.putArray("to").add(rng.nextBoolean() ? "us" : "ru");
                            Visibility vis = rng.nextInt(3) == 0 ? Visibility.named(m.get("to").get(0).asText(), me.keyRef().split("\\+")[0])
                                    : Visibility.PUBLIC;
                            HttpResponse<String> r = send(http, base + "/api/v1/entries",
                                    me.sign("message", m, vis, List.of(), seq, Instant.now()).toJson().toString());
                            count(byStatus, errors, r);
                            if (r.statusCode() == 201 || r.statusCode() == 200) {
                                JsonNode j = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
                                receipts.put(j.get("index").asLong(), j.get("leafHash").asText());
                                logSize.accumulateAndGet(j.get("index").asLong() + 1, Math::max);
                            } else if (r.statusCode() == 429) {
                                seq--;
                                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                            } else {
                                seq--;
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }, "soak-writer-" + w));
            }
            List<String> reads = List.of("/api/v1/map", "/api/v1/timeline", "/api/v1/incidents", "/api/v1/incidents?contested=true",
                    "/api/v1/reports/daily?date=2016-09-19", "/log/checkpoint", "/api/v1/areas?point=40.17,35.26",
                    "/api/v1/notifications/sites", "/api/v1/agreements");
            for (int r = 0; r < READERS; r++) {
                SplittableRandom rng = new SplittableRandom(100 + r);
                threads.add(new Thread(() -> {
                    while (Instant.now().isBefore(end)) {
                        try {
                            String path = rng.nextInt(4) == 0 ? "/log/proof/" + rng.nextLong(logSize.get()) : reads.get(rng.nextInt(reads.size()));
                            HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                                    HttpResponse.BodyHandlers.ofString());
                            count(byStatus, errors, got);
                            if (got.statusCode() == 429) {
                                Thread.sleep(1000L * Long.parseLong(got.headers().firstValue("Retry-After").orElse("1")));
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }, "soak-reader-" + r));
            }
            threads.forEach(Thread::start);
            // The server's least heap in use over each twelfth of the run (no collection is forced, so it
            // includes garbage not yet collected), and the machine's load average, which tells how much
            // other work shared it.
            long window = Math.max(1000, length.toMillis() / 12);
            for (long at = window; at <= length.toMillis(); at += window) {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), start.plusMillis(at)).toMillis()));
                windows.add(new Window(at / 1000, server.takeLeastHeap(), loadAverage()));
            }
            for (Thread t : threads) {
                t.join();
            }
            ran = Duration.between(start, Instant.now());
        }
        try (Node node = Node.open(data, Clock.systemUTC())) {
            long missing = node.store().read(tx -> receipts.entrySet().stream().filter(e -> tx.entry(e.getKey())
                    .map(x -> !x.leafHash().base64().equals(e.getValue())).orElse(true)).count());
            AuditReport audit = node.store().read(tx -> new Auditor(tx, node.checkpointKey().verifier()).audit(null, Auditor.Progress.NONE));
            long size = node.store().read(tx -> tx.size());
            return new Result(started, ran, new java.util.TreeMap<>(byStatus), receipts.size(), errors.get(), size, List.copyOf(windows),
                    audit instanceof AuditReport.Verified, missing);
        }
    }

    private static HttpResponse<String> send(HttpClient http, String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void count(Map<String, Long> byStatus, AtomicLong errors, HttpResponse<String> r) {
        byStatus.merge(Integer.toString(r.statusCode()), 1L, Long::sum);
        if (r.statusCode() >= 500) {
            errors.incrementAndGet();
        }
    }

    /** The machine's one-minute load average, or -1 where {@code /proc/loadavg} cannot be read. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String section(Result r) {
        Report.Machine m = Report.machine(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        StringBuilder windows = new StringBuilder("| minutes into the run | server's least heap in use | load average (1 min) |\n|---|---|---|\n");
        for (Window w : r.windows()) {
            windows.append(String.format(Locale.ROOT, "| %.1f | %,.1f MiB | %.2f |%n", w.seconds() / 60.0,
                    w.leastHeap() / (1024.0 * 1024.0), w.load()));
        }
        return START + "\n## Soak\n\n" + String.format(Locale.ROOT, "Measured %s from %s to %s UTC on %s, %s, JDK %s: %d min %d s.%n%n",
                java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.format(r.started().atOffset(java.time.ZoneOffset.UTC)),
                HH_MM.format(r.started().atOffset(java.time.ZoneOffset.UTC)),
                HH_MM.format(r.started().plus(r.ran()).atOffset(java.time.ZoneOffset.UTC)),
                m.cpu(), m.os(), m.jdk(), r.ran().toMinutes(), r.ran().toSecondsPart())
                + "`./bench/soak` runs a server on the demo scenario (SQLite, default rate limits) in a JVM of its own ("
                + String.join(" ", SERVER_JVM) + "), and holds against it, from its own JVM, " + WRITERS + " writers "
                + "(hotline messages, a third of them restricted, and deconfliction checks) and " + READERS + " readers (map, timeline, "
                + "incidents, daily report, areas, sites, agreements, checkpoint, proofs of random entries). The server samples its "
                + "heap in use every 100 ms and prints the least each second; the table after the figures gives the least over each "
                + "twelfth of the run (no collection is forced, so it holds garbage not yet collected too), and the machine's load average then (2 cores: "
                + "anything above 2 means the run shared the machine with other work).\n\n"
                + "| figure | measured |\n|---|---|\n"
                + String.format(Locale.ROOT, "| requests answered | %,d |%n", r.requests())
                + "| by status | " + r.byStatus() + " |\n"
                + String.format(Locale.ROOT, "| server errors (5xx) and failed requests | %,d |%n", r.errors())
                + String.format(Locale.ROOT, "| entries acknowledged, all found at their index with their leaf hash | %,d (%,d missing) |%n",
                        r.acknowledged(), r.missing())
                + String.format(Locale.ROOT, "| log size at the end, audited whole | %,d (%s) |%n", r.entriesAtEnd(),
                        r.audited() ? "verified" : "FAILED")
                + "\n" + windows + "\n"
                + END + "\n";
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path report = Path.of(args.length > 1 ? args[1] : "docs/reliability.md");
        Path dir = Files.createTempDirectory("truce-soak-");
        Result r = run(dir, Duration.ofMinutes(minutes), SERVER_JVM);
        String s = section(r);
        System.out.println(s);
        ImportRun.writeSection(report, s, START, END);
        if (r.errors() > 0 || r.missing() > 0 || !r.audited()) {
            System.exit(1);
        }
    }
}
