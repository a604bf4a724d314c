package org.truce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.truce.core.entry.EntrySigner;
import org.truce.core.json.Json;
import org.truce.server.audit.LogAudit;
import org.truce.store.Store;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.Verifier;

/**
 * The server's targets on a large log, as DESIGN.md states them: start and memory with a million
 * records, public reads by id over HTTP, and the time from a submission until a signed checkpoint
 * covers it at 1,000 entries/s. A {@link LogFill} grows a log on embedded SQLite to the size asked
 * (hotline messages from {@value LogFill#SENDERS} parties); a {@link SoakServer} then serves it in a
 * JVM of its own ({@link #SERVER_JVM}) with the default rate limits, and this JVM holds the load:
 * <ol>
 *   <li>start: from launching the server's JVM to its first answer over HTTP ({@code /healthz}), and
 *       the part of it from {@code main} to listening, with a class-data archive written the way the
 *       {@code truce} launcher writes one ({@link #classArchive}), and once without it for comparison;
 *   <li>public reads: {@value #READERS} connections, each from its own loopback address, each asking
 *       for random entries by index ({@code GET /api/v1/entries/{index}}, as any client does with an
 *       index from a receipt) one after another, for {@value #READ_SECONDS} s after
 *       warm-up (see {@link #WARM_SECONDS});
 *   <li>memory: the server's heap in use after a full collection, and its resident set, sampled while
 *       it serves, against the limit;
 *   <li>submission to checkpoint: {@value #SUBMITTERS} parties, each from its own address, each
 *       sending a signed hotline message every {@value #SUBMITTERS} ms, so {@value #RATE} entries/s in
 *       all on a schedule kept by the clock whatever the answers (open loop), for
 *       {@value #SUBMIT_SECONDS} s after warm-up. The server answers a
 *       submission only once it is committed, with the signed checkpoint of the batch that holds it
 *       (DESIGN.md's flow), so the latency is the round trip from the time the entry was due to be
 *       sent, and each answer's checkpoint is verified with the log's key and must cover its index.
 * </ol>
 * The server is limited per remote address (500 requests/s after a burst of 2,000) and per key (100
 * submissions/s): the load keeps within them by standing for many clients, as the figure is meant,
 * rather than by turning them off. The CPU time of the server's process, of this one, and of the rest
 * of the machine is counted over each measured window, so that the figure can be read as the
 * server's on a shared machine.
 *
 * <p>Run: {@code ./bench/targets [ENTRIES]} (default 1,000,000), which writes its section of
 * docs/benchmarks.md.
 */
public final class TargetsRun {
    static final String START = "<!-- targets: written by ./bench/targets -->";
    static final String END = "<!-- /targets -->";
    /** The server JVM's options: the memory target is 512 MB. */
    static final List<String> SERVER_JVM = List.of("-Xmx512m");
    static final int READERS = 64;
    static final int SUBMITTERS = 100;
    static final int RATE = 1_000;
    /**
     * Warm-up before each measured window: at least {@value #WARM_SECONDS} s, then until the server's
     * JIT compilers used less than {@value #SETTLED_PERCENT}% of a core over {@value #SETTLE_STEP_SECONDS}
     * s, and at most {@value #MAX_WARM_SECONDS} s. After a fixed 5 s, profiles of the server (perf, every
     * thread) showed its C2 compiler thread still taking 11% of the machine through the reads and 29%
     * through the submissions: with 64 request threads runnable on two cores, the compiler thread gets a
     * small share of the processors, and the server ran in part as interpreted and C1 code for about a
     * minute. The figures were of a JIT still at work, not of the server a party would meet.
     */
    static final int WARM_SECONDS = 20;
    static final int MAX_WARM_SECONDS = 180;
    static final int SETTLE_STEP_SECONDS = 5;
    static final int SETTLED_PERCENT = 2;
    static final int READ_SECONDS = 20;
    static final int SUBMIT_SECONDS = 30;
    static final int VERIFY_SECONDS = 5;
    private static final long MIB = 1024 * 1024;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Linux counts CPU time in /proc in ticks of 1/100 s (USER_HZ) on every architecture it runs on. */
    private static final double TICKS = 100;

    private TargetsRun() {}

    /**
     * CPU time so far, in ticks: the machine's busy time and steal, the server's process, its JIT
     * compiler threads (part of the server's), and this process.
     */
    record Cpu(long nanos, long busy, long steal, long server, long jit, long self) {
        static Cpu now(long serverPid) {
            long[] stat = machine();
            String pid = Long.toString(serverPid);
            return new Cpu(System.nanoTime(), stat[0], stat[1], process(pid), compilers(pid), process("self"));
        }

        /** The core-seconds spent between {@code from} and this. */
        Used since(Cpu from) {
            double server = (this.server - from.server) / TICKS;
            double self = (this.self - from.self) / TICKS;
            double busy = (this.busy - from.busy) / TICKS;
            return new Used((nanos - from.nanos) / 1e9, server, (jit - from.jit) / TICKS, self, Math.max(0, busy - server - self),
                    (steal - from.steal) / TICKS);
        }

        /** The CPU ticks of a process's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"), from {@code /proc}. */
        static long compilers(String pid) {
            long sum = 0;
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String name = Files.readString(t.resolve("comm"));
                        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                            sum += ticks(Files.readString(t.resolve("stat")));
                        }
                    } catch (IOException e) {
                        // The thread ended between the listing and the read.
                    }
                }
            } catch (IOException e) {
                return 0;
            }
            return sum;
        }

        private static long[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // user + nice + system + irq + softirq, as ./bench/run counts them; then steal.
                return new long[] {Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]), Long.parseLong(f[8])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }

        private static long process(String pid) {
            try {
                return ticks(Files.readString(Path.of("/proc", pid, "stat")));
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** User and system ticks from a {@code stat} line of {@code /proc}. */
        private static long ticks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
    }

    /**
     * Core-seconds over a window of {@code seconds}: the server, the part of it its JIT compilers took,
     * the load (this JVM), other work, and steal.
     */
    record Used(double seconds, double server, double jit, double clients, double other, double steal) {
        String text() {
            return String.format(Locale.ROOT, "server %.1f (JIT %.1f), clients %.1f, other work %.1f (%.0f%% of the machine), steal %.1f, of %.0f",
                    server, jit, clients, other, 100 * other / (CORES * seconds), steal, CORES * seconds);
        }
    }

    /** What a measured window saw: completions, latency percentiles in ms, answers by status, CPU. */
    record Load(long done, double seconds, double p50, double p99, double max, Map<String, Long> byStatus, long failed, Used cpu,
            Warm warm) {
        double perSecond() {
            return done / seconds;
        }
    }

    /** Every figure of a run. */
    record Figures(long entries, double fillSeconds, long diskBytes, Start start, Start bareStart, Load reads,
            long heapAfterReads, Load submissions, long heapAfterSubmissions, long peakRss, String load0, String load1, Instant started,
            @org.jspecify.annotations.Nullable Audit audit) {
        Figures withAudit(Audit a) {
            return new Figures(entries, fillSeconds, diskBytes, start, bareStart, reads, heapAfterReads, submissions,
                    heapAfterSubmissions, peakRss, load0, load1, started, a);
        }
    }

    /** A start: seconds from launching the JVM to its first HTTP answer, and milliseconds from {@code main} to listening. */
    record Start(double firstAnswer, long listeningMillis) {}

    /** Waits for the server launched at {@code launch} (System.nanoTime) to answer {@code /healthz}. */
    private static Start firstAnswer(SoakServer.Child server, long launch) throws IOException, InterruptedException {
        try (LoopbackHttp probe = new LoopbackHttp(LoopbackHttp.address(0), server.port())) {
            while (true) {
                try {
                    if (probe.get("/healthz").status() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // Not answering yet.
                }
                Thread.sleep(2);
            }
        }
        return new Start((System.nanoTime() - launch) / 1e9, server.listeningMillis());
    }

    /** What the truce launcher gives every JVM it starts with an archive: the JVM's notes on classes it could not archive, off. */
    static final List<String> QUIET_CDS = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /** The JVM options that start a server with the class-data archive at {@code archive}, as the truce launcher gives them. */
    static List<String> archiveOptions(Path archive) {
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(QUIET_CDS);
        return options;
    }

    /**
     * Writes a class-data archive for this JVM's class path into {@code dir} the way the truce launcher
     * does: {@code truce start-training} under {@code -XX:ArchiveClassesAtExit}, then a start that
     * must map it ({@code -Xshare:on}).
     */
    static Path classArchive(Path dir) throws IOException, InterruptedException {
        Path archive = dir.resolve("server.jsa");
        System.err.println("targets: recording the server's classes in a class-data archive (truce start-training)");
        truce(List.of("-XX:ArchiveClassesAtExit=" + archive), "start-training");
        truce(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"), "--version");
        return archive;
    }

    /** Runs a truce command in a JVM of its own on this JVM's class path; fails unless it exits 0. */
    private static void truce(List<String> jvmOptions, String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(QUIET_CDS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.truce.cli.Truce", command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the class-data archive was not written: " + String.join(" ", cmd) + "\n" + out);
        }
    }

    /**
     * The full offline audit of the served log and, measured just before and after it in this JVM, the
     * machine's Ed25519 verify rate on every core: entries audited, seconds, the two verify rates, and
     * the audit's CPU.
     */
    record Audit(long entries, long signatures, double seconds, double verifyBefore, double verifyAfter, Used cpu) {
        double perSecond() {
            return entries / seconds;
        }

        /** The verify rate the audit is held to: the better of the two, so that the ratio is not flattered. */
        double verifyRate() {
            return Math.max(verifyBefore, verifyAfter);
        }
    }

    /** How long a load ran before its measured window, and the core-seconds the server's JIT compilers took in that time. */
    record Warm(double seconds, double jit) {}

    /**
     * A measured window, set once the server has warmed up: the loads count what falls between
     * {@code warm} and {@code end} (System.nanoTime), both in the far future until then.
     */
    static final class Window {
        volatile long warm = Long.MAX_VALUE;
        volatile long end = Long.MAX_VALUE;
    }

    /**
     * Warms the server up under the load started at {@code begin} (see {@link #WARM_SECONDS}), opens
     * {@code window} for {@code seconds}, and returns the CPU used in it once the load's threads have
     * ended, with the warm-up it took.
     */
    private static Map.Entry<Used, Warm> measure(Window window, long begin, int seconds, long serverPid, List<Thread> threads)
            throws InterruptedException {
        String pid = Long.toString(serverPid);
        long jit0 = Cpu.compilers(pid);
        sleepUntil(begin + WARM_SECONDS * 1_000_000_000L);
        long step = SETTLE_STEP_SECONDS * 1_000_000_000L;
        for (long jit = Cpu.compilers(pid); System.nanoTime() - begin < MAX_WARM_SECONDS * 1_000_000_000L; ) {
            sleepUntil(System.nanoTime() + step);
            long now = Cpu.compilers(pid);
            boolean settled = (now - jit) / TICKS < SETTLED_PERCENT / 100.0 * SETTLE_STEP_SECONDS;
            jit = now;
            if (settled) {
                break;
            }
        }
        Cpu c0 = Cpu.now(serverPid);
        Warm warm = new Warm((c0.nanos() - begin) / 1e9, (c0.jit() - jit0) / TICKS);
        window.end = c0.nanos() + seconds * 1_000_000_000L;
        window.warm = c0.nanos();
        sleepUntil(window.end);
        Cpu c1 = Cpu.now(serverPid);
        for (Thread t : threads) {
            t.join();
        }
        return Map.entry(c1.since(c0), warm);
    }

    /** Audits the log in the data directory with {@code truce audit}'s code on every core, between two verify-rate measurements. */
    private static Audit audit(Path data, Verifier logKey) throws Exception {
        System.err.printf(Locale.ROOT, "targets: Ed25519 verify rate on %d threads for %d s%n", CORES, VERIFY_SECONDS);
        double before = verifyRate();
        LogAudit.Result r;
        Cpu c0;
        Cpu c1;
        try (Store store = Store.sqlite(data)) {
            System.err.println("targets: auditing the log (every hash and every author's signature)");
            c0 = Cpu.now(0);
            r = LogAudit.of(logKey, CORES).run(store, Auditor.Progress.NONE);
            c1 = Cpu.now(0);
        }
        if (!r.passed()) {
            throw new IllegalStateException("the log does not audit: " + r.failure());
        }
        double seconds = (c1.nanos() - c0.nanos()) / 1e9;
        double after = verifyRate();
        Audit a = new Audit(r.entries(), r.signatures(), seconds, before, after, c1.since(c0));
        System.err.printf(Locale.ROOT, "targets: audited %,d entries (%,d signatures) in %.1f s, %,.0f/s; verify rate %,.0f/s before, %,.0f/s after%n",
                a.entries(), a.signatures(), seconds, a.perSecond(), before, after);
        return a;
    }

    /** Ed25519 verifications per second of a checkpoint note's signature, one thread per core, as {@code Ed25519Benchmark.noteVerify}. */
    private static double verifyRate() throws Exception {
        Fixtures fx = Fixtures.create();
        org.truce.tlog.note.Verifiers known = org.truce.tlog.note.Verifiers.of(fx.verifier);
        long warm = System.nanoTime() + 3_000_000_000L;
        long end = warm + VERIFY_SECONDS * 1_000_000_000L;
        java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CORES; t++) {
            Thread th = new Thread(() -> {
                try {
                    while (System.nanoTime() < warm) {
                        fx.note.verify(known);
                    }
                    long n = 0;
                    while (System.nanoTime() < end) {
                        fx.note.verify(known);
                        n++;
                    }
                    done.add(n);
                } catch (org.truce.tlog.VerificationException e) {
                    throw new IllegalStateException(e);
                }
            }, "targets-verify-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        return done.sum() / (double) VERIFY_SECONDS;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.err.println("usage: TargetsRun [ENTRIES] [REPORT.md]");
            return;
        }
        long entries = args.length > 0 ? Long.parseLong(args[0].replace(",", "").replace("_", "")) : 1_000_000;
        Path report = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        Instant started = Instant.now();
        String load0 = Host.loadAverage();
        LogUnderLoad log = new LogUnderLoad();
        Figures f;
        try {
            List<EntrySigner> submitters = new ArrayList<>();
            for (int i = 0; i < SUBMITTERS; i++) {
                submitters.add(log.newParty());
            }
            Verifier logKey = log.node.checkpointKey().verifier();
            LogFill fill = new LogFill(log);
            long from = log.node.store().read(tx -> tx.size());
            long t0 = System.nanoTime();
            fill.growTo(entries, LogFill.printing("targets", from));
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            long size = log.node.store().read(tx -> tx.size());
            log.node.close();
            Path data = log.dir.resolve("data");
            long disk = Host.diskBytes(data);
            Figures served = serve(data, size, fillSeconds, disk, submitters, logKey, load0, started);
            f = served.withAudit(audit(data, logKey));
        } finally {
            // Not log.close(): its node was closed before the server opened the data directory.
            Host.deleteTree(log.dir);
        }
        String section = section(f);
        System.out.println(section);
        ImportRun.writeSection(report, section, START, END);
    }

    private static Figures serve(Path data, long size, double fillSeconds, long disk, List<EntrySigner> submitters, Verifier logKey,
            String load0, Instant started) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(SERVER_JVM);
        // Options added for one run, such as a profiler: -XX:StartFlightRecording=filename=server.jfr
        String extra = System.getenv("TRUCE_BENCH_SERVER_JVM");
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.strip().split("\\s+")));
        }
        Path archive = classArchive(data.getParent());
        System.err.printf(Locale.ROOT, "targets: starting the server (%s) on %,d entries without a class-data archive%n",
                String.join(" ", SERVER_JVM), size);
        Start bare;
        long bareLaunch = System.nanoTime();
        try (SoakServer.Child server = SoakServer.Child.start(data, jvm)) {
            bare = firstAnswer(server, bareLaunch);
        }
        System.err.printf(Locale.ROOT, "targets: first answer %.2f s after launch (main to listening %.2f s)%n", bare.firstAnswer(),
                bare.listeningMillis() / 1e3);
        System.err.printf(Locale.ROOT, "targets: starting it again with the class-data archive, as the truce launcher does%n");
        List<String> withArchive = new java.util.ArrayList<>(jvm);
        withArchive.addAll(archiveOptions(archive));
        long launch = System.nanoTime();
        try (SoakServer.Child server = SoakServer.Child.start(data, withArchive)) {
            int port = server.port();
            Start start = firstAnswer(server, launch);
            System.err.printf(Locale.ROOT, "targets: first answer %.2f s after launch (main to listening %.2f s)%n", start.firstAnswer(),
                    start.listeningMillis() / 1e3);
            AtomicLong peakRss = new AtomicLong();
            Thread rss = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakRss.accumulateAndGet(status(server.pid(), "VmRSS:"), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "targets-rss");
            rss.setDaemon(true);
            rss.start();
            Load reads = reads(port, size, server.pid());
            long heapAfterReads = server.heapAfterGc();
            System.err.printf(Locale.ROOT, "targets: heap in use after a full collection %,d MiB, resident %,d MiB%n",
                    heapAfterReads / MIB, status(server.pid(), "VmRSS:") / MIB);
            Load submissions = submissions(port, submitters, logKey, server.pid());
            long heapAfterSubmissions = server.heapAfterGc();
            rss.interrupt();
            long peak = Math.max(peakRss.get(), status(server.pid(), "VmHWM:"));
            return new Figures(size, fillSeconds, disk, start, bare, reads, heapAfterReads, submissions, heapAfterSubmissions,
                    peak, load0, Host.loadAverage(), started, null);
        }
    }

    /** Random entries by index, one request after another on each connection. */
    private static Load reads(int port, long size, long serverPid) throws InterruptedException {
        System.err.printf(Locale.ROOT, "targets: %d connections reading entries for %d s after warming up%n", READERS, READ_SECONDS);
        long begin = System.nanoTime();
        Window w = new Window();
        Map<String, Long> byStatus = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < READERS; c++) {
            int me = c;
            long[][] mine = {new long[1 << 16]};
            int[] n = {0};
            Thread t = new Thread(() -> {
                SplittableRandom rng = new SplittableRandom(me);
                try (LoopbackHttp http = new LoopbackHttp(LoopbackHttp.address(1 + me), port)) {
                    for (long i = 0; System.nanoTime() < w.end; i++) {
                        long index = rng.nextLong(size);
                        long s = System.nanoTime();
                        LoopbackHttp.Response r;
                        try {
                            r = http.get("/api/v1/entries/" + index);
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            continue;
                        }
                        long e = System.nanoTime();
                        if (s < w.warm || e > w.end) {
                            continue;
                        }
                        byStatus.merge(Integer.toString(r.status()), 1L, Long::sum);
                        if (r.status() != 200 || (i % 997 == 0 && !isPublicEntry(r.body(), index))) {
                            failed.incrementAndGet();
                            continue;
                        }
                        if (n[0] == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                        }
                        mine[0][n[0]++] = e - s;
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], n[0]));
                }
            }, "targets-reader-" + c);
            t.start();
            threads.add(t);
        }
        Map.Entry<Used, Warm> used = measure(w, begin, READ_SECONDS, serverPid, threads);
        Load l = load(latencies, READ_SECONDS, byStatus, failed.get(), used.getKey(), used.getValue());
        System.err.printf(Locale.ROOT, "targets: %,.0f reads/s, p50 %.2f ms, p99 %.2f ms, by status %s, %d failed; core-seconds: %s; %s%n",
                l.perSecond(), l.p50(), l.p99(), l.byStatus(), l.failed(), l.cpu().text(), warmText(l.warm()));
        return l;
    }

    /** Whether an entry's answer is the entry asked for, with its body served to the public. */
    private static boolean isPublicEntry(byte[] body, long index) {
        try {
            JsonNode j = Json.parse(body);
            return j.path("index").asLong(-1) == index && j.has("body") && !j.has("bodyWithheld");
        } catch (Exception e) {
            return false;
        }
    }

    /** Signed hotline messages on a schedule kept by the clock; each answer's checkpoint must cover its entry. */
    private static Load submissions(int port, List<EntrySigner> parties, Verifier logKey, long serverPid) throws InterruptedException {
        System.err.printf(Locale.ROOT, "targets: %d parties submitting %,d entries/s in all for %d s after warming up%n",
                parties.size(), RATE, SUBMIT_SECONDS);
        long period = parties.size() * 1_000_000_000L / RATE;
        long begin = System.nanoTime() + 100_000_000L;
        Window w = new Window();
        Map<String, Long> byStatus = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        AtomicLong inWindow = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < parties.size(); p++) {
            EntrySigner key = parties.get(p);
            long offset = p * 1_000_000_000L / RATE;
            int me = p;
            Thread t = new Thread(() -> {
                long[] mine = new long[(int) (SUBMIT_SECONDS * 1_000_000_000L / period) + 2];
                int n = 0;
                long seq = 1;
                byte[] body = null;
                try (LoopbackHttp http = new LoopbackHttp(LoopbackHttp.address(1 + READERS + me), port)) {
                    for (long k = 0; ; k++) {
                        long due = begin + offset + k * period;
                        if (due >= w.end) {
                            break;
                        }
                        if (body == null) {
                            body = LogUnderLoad.messages(key, seq, 1).get(0).toJson().toString().getBytes(StandardCharsets.UTF_8);
                        }
                        sleepUntil(due);
                        LoopbackHttp.Response r;
                        try {
                            r = http.post("/api/v1/entries", body);
                        } catch (IOException e) {
                            if (due >= w.warm) {
                                failed.incrementAndGet();
                            }
                            continue;
                        }
                        long done = System.nanoTime();
                        // Read after the answer: the window may have opened while the entry was on its way.
                        boolean counted = due >= w.warm;
                        boolean ok = (r.status() == 201 || r.status() == 200) && covered(r.body(), logKey);
                        if (r.status() == 201 || r.status() == 200) {
                            // Sequenced: the next message takes the next seq. Anything else is sent again.
                            seq++;
                            body = null;
                        }
                        if (ok && done >= w.warm && done <= w.end) {
                            inWindow.incrementAndGet();
                        }
                        if (!counted) {
                            continue;
                        }
                        byStatus.merge(Integer.toString(r.status()), 1L, Long::sum);
                        if (ok) {
                            mine[n++] = done - due;
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, n));
                }
            }, "targets-submitter-" + p);
            t.start();
            threads.add(t);
        }
        Map.Entry<Used, Warm> used = measure(w, begin, SUBMIT_SECONDS, serverPid, threads);
        Load due = load(latencies, SUBMIT_SECONDS, byStatus, failed.get(), used.getKey(), used.getValue());
        // The rate is of the answers that arrived within the window: entries due in it but answered
        // later (a server slower than the schedule) are in the latencies, not in the rate.
        Load l = new Load(inWindow.get(), due.seconds(), due.p50(), due.p99(), due.max(), due.byStatus(), due.failed(), due.cpu(),
                due.warm());
        System.err.printf(Locale.ROOT, "targets: %,.0f entries/s covered, p50 %.2f ms, p99 %.2f ms, max %.2f ms, by status %s, %d failed; "
                + "core-seconds: %s; %s%n", l.perSecond(), l.p50(), l.p99(), l.max(), l.byStatus(), l.failed(), l.cpu().text(),
                warmText(l.warm()));
        return l;
    }

    /** Whether the answer's checkpoint is signed by the log and covers the answer's index. */
    private static boolean covered(byte[] answer, Verifier logKey) {
        try {
            JsonNode j = Json.parse(answer);
            long index = j.path("index").asLong(-1);
            Checkpoint c = Checkpoint.open(j.path("checkpoint").asText("").getBytes(StandardCharsets.UTF_8), logKey).checkpoint();
            return index >= 0 && c.size() > index;
        } catch (Exception e) {
            return false;
        }
    }

    private static Load load(List<long[]> latencies, int seconds, Map<String, Long> byStatus, long failed, Used cpu, Warm warm) {
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Load(all.length, seconds, pct(all, 0.50), pct(all, 0.99), pct(all, 1.0), new TreeMap<>(byStatus), failed, cpu, warm);
    }

    static String warmText(Warm w) {
        return String.format(Locale.ROOT, "after %.0f s of warm-up, in which the server's JIT compilers took %.1f core-seconds", w.seconds(),
                w.jit());
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void sleepUntil(long nanoTime) {
        for (long w; (w = nanoTime - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(w);
        }
    }

    /** A size line of /proc/PID/status (VmRSS:, VmHWM:) in bytes, or 0. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process is gone.
        }
        return 0;
    }

    private static String verdict(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    static String section(Figures f) {
        Report.Machine m = Report.machine(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        Load r = f.reads();
        Load s = f.submissions();
        StringBuilder md = new StringBuilder(START).append("\n## Server targets on a log of ")
                .append(String.format(Locale.ROOT, "%,d", f.entries())).append(" entries\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s UTC on %s, %s, %s, JDK %s; load average before %s, after %s.%n%n",
                DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").format(f.started().atOffset(ZoneOffset.UTC)), m.cpu(), m.memory(), m.os(),
                m.jdk(), f.load0(), f.load1()));
        md.append(String.format(Locale.ROOT, "`./bench/targets` grows a log on embedded SQLite to %,d entries with `LogFill` (signed hotline "
                + "messages from %d parties, written through the store's append path, not projected into the state) in %.0f s "
                + "(%,.0f entries/s; %,d MiB on disk), then serves it in a JVM of its own (`%s`, the default rate limits) and "
                + "loads it from this one. The database was just written, so its pages are in the operating system's cache: a "
                + "restart of the process, not of the machine.%n%n", f.entries(), LogFill.SENDERS, f.fillSeconds(),
                f.entries() / f.fillSeconds(), f.diskBytes() / MIB, String.join(" ", SERVER_JVM)));
        md.append(String.format(Locale.ROOT, "- **Public reads by id** are `GET /api/v1/entries/{index}` with no session: the entry's signed "
                + "leaf and its public body, which is what a client does with the index of a receipt or a link, and a mirror with "
                + "every index. Every entry of the log is such a record. State documents by id (an incident, a message) are not "
                + "measured here, because the fill does not project its messages into the state. %d connections, each from its "
                + "own loopback address, each asking for random indexes one request after another, %d s after warming up.%n",
                READERS, READ_SECONDS));
        md.append(String.format(Locale.ROOT, "- **The rate limits** stay at their defaults (500 requests/s per remote address after a burst of "
                + "2,000; 100 submissions/s per key): the load stands for many clients, each connection from an address of its own "
                + "in 127.0.0.0/8, as %,d readers or parties would arrive, so none of them is limited. Answers 429 would show in "
                + "the statuses.%n", READERS));
        md.append(String.format(Locale.ROOT, "- **Submission to checkpoint**: the server answers a submission only after the batch that "
                + "holds it is committed, with the signed checkpoint of that batch, so the answer is the moment a signed checkpoint "
                + "covers the entry. %d parties, each from its own address, each send a signed hotline message every %d ms, %,d "
                + "entries/s in all, on a schedule kept by the clock whatever the answers (open loop); latency runs from the time "
                + "each entry was due to be sent to its answer, so a slow answer also counts against the entries queued behind "
                + "it. Each answer's checkpoint is verified with the log's key and must cover its index; %d s after warming "
                + "up.%n", SUBMITTERS, SUBMITTERS * 1000 / RATE, RATE, SUBMIT_SECONDS));
        md.append(String.format(Locale.ROOT, "- **Warm-up**: each load runs at least %d s before its window opens, and then until the server's "
                + "JIT compilers used less than %d%% of a core over %d s (at most %d s): with %d request threads runnable on %d cores "
                + "the compiler thread gets a small share of the processors, so a loaded server runs partly as interpreted code for "
                + "its first minute or so. The figures are of the server once compiled, as a party meets it after its first minute; "
                + "the warm-up and the compilers' CPU in it are in the table.%n", WARM_SECONDS, SETTLED_PERCENT, SETTLE_STEP_SECONDS,
                MAX_WARM_SECONDS, READERS, CORES));
        md.append("- **Start**: the `truce` launcher records the classes a server loads in a class-data sharing archive once per "
                + "build (`truce start-training` under `-XX:ArchiveClassesAtExit`) and starts the JVM with it; this run writes one "
                + "the same way for its class path, starts the server once without it and then with it, and measures the second.\n");
        md.append("- **Memory**: the server's resident set (`VmRSS`, with its peak `VmHWM`, from `/proc`) is what the machine gives it: "
                + "heap, metaspace, code, threads and SQLite's page cache. The heap in use is taken after a full collection.\n\n");
        md.append("| figure | measured | target | met? |\n|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| server start: launching its JVM to its first HTTP answer, with the class-data archive the "
                + "`truce` launcher writes | %.2f s | ≤ 2 s | %s |%n", f.start().firstAnswer(), verdict(f.start().firstAnswer() <= 2)));
        md.append(String.format(Locale.ROOT, "| of which inside the JVM, from `main` to listening | %.2f s | | |%n",
                f.start().listeningMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| the same start without the archive (`TRUCE_CLASS_ARCHIVE=off`); from `main` to listening | %.2f s; "
                + "%.2f s | | |%n", f.bareStart().firstAnswer(), f.bareStart().listeningMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| server's peak resident memory while serving the reads and the submissions | %,d MiB | ≤ 512 MiB | %s |%n",
                f.peakRss() / MIB, verdict(f.peakRss() <= 512 * MIB)));
        md.append(String.format(Locale.ROOT, "| server's heap in use after a full collection, after the reads / after the submissions | %,d / %,d MiB | | |%n",
                f.heapAfterReads() / MIB, f.heapAfterSubmissions() / MIB));
        md.append(String.format(Locale.ROOT, "| public reads by id over HTTP | %,.0f/s | ≥ 10,000/s | %s |%n", r.perSecond(),
                verdict(r.perSecond() >= 10_000)));
        md.append(String.format(Locale.ROOT, "| read latency p50 / p99 / max, %d connections at full speed | %.2f / %.2f / %.2f ms | | |%n",
                READERS, r.p50(), r.p99(), r.max()));
        md.append("| reads answered, by status; failed or wrong | " + r.byStatus() + "; " + r.failed() + " | | |\n");
        md.append(String.format(Locale.ROOT, "| reads' warm-up; the server's JIT compilers' CPU in it | %.0f s; %.1f core-s | | |%n",
                r.warm().seconds(), r.warm().jit()));
        md.append(String.format(Locale.ROOT, "| submission to signed checkpoint, p99, at %,d entries/s | %.1f ms | ≤ 100 ms | %s |%n", RATE,
                s.p99(), verdict(s.p99() <= 100 && s.perSecond() >= 0.99 * RATE && s.failed() == 0)));
        md.append(String.format(Locale.ROOT, "| p50 / max | %.1f / %.1f ms | | |%n", s.p50(), s.max()));
        md.append(String.format(Locale.ROOT, "| entries answered, covered, per second within the window (asked: %,d) | %,.0f | | |%n", RATE,
                s.perSecond()));
        md.append("| submissions answered, by status; failed or not covered | " + s.byStatus() + "; " + s.failed() + " | | |\n");
        md.append(String.format(Locale.ROOT, "| submissions' warm-up; the server's JIT compilers' CPU in it | %.0f s; %.1f core-s | | |%n",
                s.warm().seconds(), s.warm().jit()));
        Audit a = f.audit();
        if (a != null) {
            double ratio = a.perSecond() / a.verifyRate();
            md.append(String.format(Locale.ROOT, "| full offline audit of the log (`truce audit`'s code: every hash and every author signature, %d threads) "
                    + "| %,.0f entries/s (%,d entries, %,d signatures, %.1f s) | ≥ 0.8 × the machine's verify rate: %,.0f/s "
                    + "(Ed25519 on %d threads, the better of %,.0f before and %,.0f after) | %s, %.2f |%n", CORES, a.perSecond(), a.entries(),
                    a.signatures(), a.seconds(), 0.8 * a.verifyRate(), CORES, a.verifyBefore(), a.verifyAfter(), verdict(ratio >= 0.8), ratio));
        }
        md.append('\n');
        md.append("Where the CPU went during each measured window, in core-seconds (" + CORES + " cores; other work is the machine's busy time less the "
                + "server's and the clients', from `/proc`):\n\n");
        md.append("| window | server | of which its JIT compilers | clients (this JVM) | other work | hypervisor steal |\n|---|---|---|---|---|---|\n");
        cpuRow(md, "reads", r.cpu(), true);
        cpuRow(md, "submissions", s.cpu(), true);
        if (a != null) {
            cpuRow(md, "audit (in the clients' JVM)", a.cpu(), false);
        }
        return md.append("\n").append(END).append("\n").toString();
    }

    /** A row of the CPU table; the server's cells are blank for a window the server took no part in. */
    private static void cpuRow(StringBuilder md, String window, Used u, boolean server) {
        md.append(String.format(Locale.ROOT, "| %s, %.0f s | %s | %s | %.1f | %.1f (%.0f%%) | %.1f |%n", window, u.seconds(),
                server ? String.format(Locale.ROOT, "%.1f", u.server()) : "", server ? String.format(Locale.ROOT, "%.1f", u.jit()) : "",
                u.clients(), u.other(), 100 * u.other() / (CORES * u.seconds()), u.steal()));
    }
}
