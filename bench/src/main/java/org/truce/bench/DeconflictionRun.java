package org.truce.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.Visibility;
import org.truce.core.geo.Footprint;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Change;
import org.truce.core.state.Derived;
import org.truce.core.state.Doc;
import org.truce.core.state.Memory;
import org.truce.core.state.StateView;
import org.truce.core.volume.VolumeRules;
import org.truce.store.Store;

/**
 * Deconfliction checks against many active volumes, as DESIGN.md's target states them: 40% circles,
 * 30% polygons, 30% corridors 5–100 km long, spread over 600 × 600 km around Aleppo, all overlapping
 * in time and altitude. Each check is {@link VolumeRules#meets} on one thread, as the sequencer runs
 * it, against a committed state whose in-memory index the first check builds. Prints checks per
 * second (by the wall clock, and by the checking thread's CPU time, which other work on the machine
 * disturbs less) and the latency percentiles, and replaces a section of the benchmarks report.
 *
 * <p>The state is either an embedded SQLite store, the volumes written straight into it (the default),
 * or a state held in memory that the index reads through the same interface, {@link StateView} with
 * the store's {@link Memory} (option {@code --state memory}): filling and first reading a million
 * volumes through SQLite takes minutes, and neither is part of a check.
 *
 * <p>Run: {@code ./bench/deconflict [--state sqlite|memory] [VOLUMES] [CHECKS]} (default 100,000 and
 * 5,000), or {@code ./bench/deconflict --scaling [CHECKS]} for 10³ to 10⁶ volumes in memory, which
 * writes a table into the report and a plot beside it ({@code docs/deconfliction-scaling.svg}).
 */
public final class DeconflictionRun {
    static final String START = "<!-- deconfliction: written by ./bench/deconflict -->";
    static final String END = "<!-- /deconfliction -->";
    static final String SCALING_START = "<!-- deconfliction-scaling: written by ./bench/deconflict --scaling -->";
    static final String SCALING_END = "<!-- /deconfliction-scaling -->";
    static final Integer[] SIZES = {1_000, 10_000, 100_000, 1_000_000};
    /** The number of volumes whose density in the 600 km square the second scaling series keeps. */
    static final int DENSITY_OF = 100_000;
    static final double TARGET_PER_SECOND = 20_000;
    static final double TARGET_P99_MS = 1;
    private static final double LON0 = 33.7;
    private static final double LAT0 = 33.5;
    /** 600 km in degrees of latitude, and of longitude at 36° N. */
    private static final double SPAN_LAT = 5.4;
    private static final double SPAN_LON = 6.67;
    private static final ObjectNode ALT = JsonNodeFactory.instance.objectNode().put("lower", 0).put("upper", 5_000)
            .put("reference", "W84");
    private static final Instant FROM = Instant.parse("2016-09-20T10:30:00Z");
    private static final Instant TO = Instant.parse("2016-09-20T11:30:00Z");

    private DeconflictionRun() {}

    /** A random footprint of the mix, placed in the square 600 km × {@code spread} on a side. */
    static ObjectNode footprint(SplittableRandom rng, double spread) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        double lon = LON0 + rng.nextDouble() * SPAN_LON * spread;
        double lat = LAT0 + rng.nextDouble() * SPAN_LAT * spread;
        double kind = rng.nextDouble();
        ObjectNode o = f.objectNode();
        if (kind < 0.4) {
            o.put("type", "circle").put("radius", 500 + rng.nextDouble() * 9_500);
            o.putArray("center").add(lon).add(lat);
        } else if (kind < 0.7) {
            o.put("type", "polygon");
            ArrayNode ring = o.putArray("coordinates");
            double r = 0.01 + rng.nextDouble() * 0.09;
            int n = 4 + rng.nextInt(9);
            for (int i = 0; i <= n; i++) {
                double a = 2 * Math.PI * (i % n) / n;
                ring.addArray().add(lon + r * Math.cos(a)).add(lat + r * Math.sin(a) * 0.8);
            }
        } else {
            o.put("type", "corridor").put("halfWidth", 100 + rng.nextDouble() * 1_900);
            double len = (5_000 + rng.nextDouble() * 95_000) / 111_000;
            double az = rng.nextDouble() * 2 * Math.PI;
            ArrayNode line = o.putArray("coordinates");
            line.addArray().add(lon).add(lat);
            line.addArray().add(lon + len * Math.cos(az) / 0.8).add(lat + len * Math.sin(az));
        }
        return o;
    }

    /** Active volume {@code i}, as the rules would have written it, at log index {@code i}. */
    static Doc volume(int i, SplittableRandom rng, double spread) {
        ObjectNode v = JsonNodeFactory.instance.objectNode().put("id", "v" + i).put("state", "activated")
                .put("version", "00".repeat(32)).put("by", "p" + (i % 10)).put("index", i);
        v.set("footprint", footprint(rng, spread));
        v.set("altitude", ALT);
        v.putObject("time").put("from", "2016-09-20T10:00:00Z").put("to", "2016-09-20T12:00:00Z");
        return new Doc(VolumeRules.VOLUMES, "v" + i, v, List.of("all", "active"), Visibility.PUBLIC, "p" + (i % 10), i);
    }

    /**
     * A committed state of volumes alone, held in memory in log order, read by the index as a store's
     * read transaction is: through {@link StateView}, with the store's {@link Memory} for the index it
     * keeps. Every document carries the keys {@code all} and {@code active}.
     */
    static final class MemoryState implements StateView {
        private final List<Doc> inLogOrder;
        private final Map<String, Doc> byId = new HashMap<>();
        private final Memory memory = new Memory();

        MemoryState(List<Doc> inLogOrder) {
            this.inLogOrder = inLogOrder;
            for (Doc d : inLogOrder) {
                byId.put(d.id(), d);
            }
        }

        @Override
        public Optional<Doc> get(String collection, String id) {
            return collection.equals(VolumeRules.VOLUMES) ? Optional.ofNullable(byId.get(id)) : Optional.empty();
        }

        @Override
        public List<Doc> find(String collection, String key, @Nullable String afterId, int limit) {
            if (!collection.equals(VolumeRules.VOLUMES)) {
                return List.of();
            }
            return byId.values().stream().filter(d -> afterId == null || d.id().compareTo(afterId) > 0)
                    .sorted((a, b) -> a.id().compareTo(b.id())).limit(limit).toList();
        }

        @Override
        public List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit) {
            if (!collection.equals(VolumeRules.VOLUMES)) {
                return List.of();
            }
            // Indexes are unique here, so the cursor is the first document after afterIndex.
            int at = firstAfter(afterIndex);
            return inLogOrder.subList(at, Math.min(inLogOrder.size(), at + limit));
        }

        @Override
        public List<Doc> inLogOrder(String collection, long afterIndex, String afterId, int limit) {
            // Every document here carries the key "all".
            return findInLogOrder(collection, "all", afterIndex, afterId, limit);
        }

        private int firstAfter(long index) {
            int lo = 0;
            int hi = inLogOrder.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (inLogOrder.get(mid).index() <= index) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        @Override
        public Derived derived() {
            return Derived.committed(memory, 1, this);
        }
    }

    /** The figures of one run; {@code spread} scales the side of the square the volumes and checks fall in. */
    record Figures(int volumes, double spread, String state, int checks, double perSecond, double perCpuSecond, double onCpu, long[] sorted,
            double fastestPerSecond, long[] fastest, double meanMet, long met, double fill, double build, long heap, long index) {
        double ms(double p) {
            return ms(sorted, p);
        }

        /** A percentile of each check's fastest time over the passes. */
        double fastestMs(double p) {
            return ms(fastest, p);
        }

        private static double ms(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }

    /**
     * Passes over the same checks after the first: each check's fastest time over all passes is what
     * it costs when nothing else on the machine interrupts it. Between two passes of a check come all
     * the others, so its data has left the processor's caches and it is not favoured.
     */
    static final int PASSES = 3;

    /**
     * Fills a state with {@code volumes} volumes over a square 600 km × {@code spread} on a side,
     * builds its index with a first check, then times {@code checks} checks in the same square.
     */
    static Figures run(int volumes, int checks, boolean sqlite, double spread) throws Exception {
        SplittableRandom rng = new SplittableRandom(2016);
        long t0 = System.nanoTime();
        Path dir = null;
        Store store = null;
        MemoryState memory = null;
        if (sqlite) {
            dir = Files.createTempDirectory("truce-deconflict-");
            Store s = Store.sqlite(dir);
            store = s;
            for (int start = 0; start < volumes; start += 10_000) {
                int from = start;
                s.write(tx -> {
                    for (int i = from; i < Math.min(volumes, from + 10_000); i++) {
                        tx.apply(new Change.Put(volume(i, rng, spread)));
                    }
                    return null;
                });
            }
        } else {
            List<Doc> docs = new ArrayList<>(volumes);
            for (int i = 0; i < volumes; i++) {
                docs.add(volume(i, rng, spread));
            }
            memory = new MemoryState(docs);
        }
        double fill = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "deconflict: %,d volumes written (%s) in %.1f s%n", volumes, sqlite ? "SQLite" : "memory", fill);
        // The queries, made before the clock starts: the first builds the index the store keeps in memory.
        int warmup = Math.max(500, checks / 5);
        Footprint[] queries = new Footprint[1 + warmup + checks];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = NotificationRules.footprint(footprint(rng, spread), "/q");
        }
        long before = heapAfterCollection();
        long b0 = System.nanoTime();
        read(store, memory, tx -> check(tx, queries[0]));
        double build = (System.nanoTime() - b0) / 1e9;
        long heap = heapAfterCollection();
        long[] nanos = new long[checks];
        long[] fastest = new long[checks];
        long[] totals = read(store, memory, tx -> {
            for (int i = 1; i <= warmup; i++) {
                check(tx, queries[i]);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long met = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < checks; i++) {
                long s = System.nanoTime();
                met += check(tx, queries[1 + warmup + i]);
                nanos[i] = System.nanoTime() - s;
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            System.arraycopy(nanos, 0, fastest, 0, checks);
            for (int pass = 1; pass < PASSES; pass++) {
                for (int i = 0; i < checks; i++) {
                    long s = System.nanoTime();
                    check(tx, queries[1 + warmup + i]);
                    fastest[i] = Math.min(fastest[i], System.nanoTime() - s);
                }
            }
            return new long[] {met, cpu, wall};
        });
        if (store != null) {
            store.close();
            Host.deleteTree(dir);
        }
        long sum = Arrays.stream(nanos).sum();
        long least = Arrays.stream(fastest).sum();
        Arrays.sort(nanos);
        Arrays.sort(fastest);
        return new Figures(volumes, spread, sqlite ? "SQLite" : "memory", checks, checks / (sum / 1e9), checks / (totals[1] / 1e9),
                (double) totals[1] / totals[2], nanos, checks / (least / 1e9), fastest, (double) totals[0] / checks, totals[0], fill, build, heap, heap - before);
    }

    private static long heapAfterCollection() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static int check(StateView tx, Footprint q) {
        return VolumeRules.meets(tx, "query", q, ALT, FROM, TO).size();
    }

    private static <T> T read(@Nullable Store store, @Nullable MemoryState memory, Function<StateView, T> work) throws Exception {
        return store != null ? store.read(work::apply) : work.apply(memory);
    }

    /**
     * Checks per CPU second of the checking thread, and the p99 of each check's fastest time, against the
     * number of active volumes, for both series: the same square growing denser, the same density over a
     * growing square.
     */
    static String plot(List<Figures> sameArea, List<Figures> sameDensity) {
        List<ScalingPlot.Series> rates = List.of(
                new ScalingPlot.Series("same 600 km square", "#1f77b4", ScalingPlot.points(sameArea, Figures::volumes, Figures::perCpuSecond)),
                new ScalingPlot.Series("same density, growing square", "#ff7f0e",
                        ScalingPlot.points(sameDensity, Figures::volumes, Figures::perCpuSecond)));
        List<ScalingPlot.Series> p99 = List.of(
                new ScalingPlot.Series("same 600 km square", "#1f77b4", ScalingPlot.points(sameArea, Figures::volumes, f -> f.fastestMs(0.99))),
                new ScalingPlot.Series("same density, growing square", "#ff7f0e",
                        ScalingPlot.points(sameDensity, Figures::volumes, f -> f.fastestMs(0.99))));
        return ScalingPlot.svg(List.of(
                new ScalingPlot.Panel("Checks per CPU second, one thread", "active volumes", rates, TARGET_PER_SECOND, "target ≥ 20,000", true),
                new ScalingPlot.Panel("p99 of each check's fastest, ms", "active volumes", p99, TARGET_P99_MS, "target p99 ≤ 1 ms", false)));
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean scaling = rest.remove("--scaling");
        boolean sqlite = true;
        int s = rest.indexOf("--state");
        if (s >= 0) {
            sqlite = !rest.get(s + 1).equals("memory");
            rest.subList(s, s + 2).clear();
        }
        if (scaling) {
            int checks = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 5_000;
            Path report = Path.of(rest.size() > 1 ? rest.get(1) : "docs/benchmarks.md");
            // The same square, ever denser; then the density of 100,000 volumes in it, over a square that grows.
            List<Figures> sameArea = new ArrayList<>();
            List<Figures> sameDensity = new ArrayList<>();
            for (int volumes : SIZES) {
                sameArea.add(run(volumes, checks, false, 1));
                System.err.println(row(sameArea.get(sameArea.size() - 1)));
                System.gc();
            }
            for (int volumes : SIZES) {
                double spread = Math.sqrt(volumes / (double) DENSITY_OF);
                sameDensity.add(spread == 1 ? sameArea.get(List.of(SIZES).indexOf(volumes)) : run(volumes, checks, false, spread));
                System.err.println(row(sameDensity.get(sameDensity.size() - 1)));
                System.gc();
            }
            String section = scalingSection(sameArea, sameDensity);
            System.out.println(section);
            ImportRun.writeSection(report, section, SCALING_START, SCALING_END);
            Path svg = report.resolveSibling("deconfliction-scaling.svg");
            Files.writeString(svg, plot(sameArea, sameDensity));
            System.err.println("wrote " + svg);
            return;
        }
        int volumes = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 100_000;
        int checks = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 5_000;
        Path report = Path.of(rest.size() > 2 ? rest.get(2) : "docs/benchmarks.md");
        Figures f = run(volumes, checks, sqlite, 1);
        String section = section(f);
        System.out.println(section);
        ImportRun.writeSection(report, section, START, END);
    }

    private static String measured() {
        Report.Machine m = Report.machine(MissingNode.getInstance());
        double[] load = load();
        return String.format(Locale.ROOT, "Measured %s UTC on %s, %s, JDK %s; load average at the end %.2f %.2f %.2f on %d cores "
                + "(other work on the machine).%n%n",
                DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").format(Instant.now().atOffset(ZoneOffset.UTC)), m.cpu(), m.os(), m.jdk(),
                load[0], load[1], load[2], Runtime.getRuntime().availableProcessors());
    }

    /** The load averages over 1, 5 and 15 minutes, from /proc/loadavg (or the JVM's one-minute figure elsewhere). */
    static double[] load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (Exception e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new double[] {one, Double.NaN, Double.NaN};
        }
    }

    private static String row(Figures f) {
        return String.format(Locale.ROOT, "| %,d | %,.0f km | %,.0f | %,.0f | %.0f%% | %.2f / %.2f / %.2f | %,.0f | %.2f / %.2f | %.1f | %.1f s | "
                + "%.1f s | %,d MiB |", f.volumes(), 600 * f.spread(), f.perSecond(), f.perCpuSecond(), 100 * f.onCpu(), f.ms(0.5),
                f.ms(0.99), f.ms(1.0), f.fastestPerSecond(), f.fastestMs(0.5), f.fastestMs(0.99), f.meanMet(), f.fill(), f.build(),
                f.index() >> 20);
    }

    static String section(Figures f) {
        return START + "\n## Deconfliction checks\n\n" + measured()
                + "`./bench/deconflict` files " + String.format(Locale.ROOT, "%,d", f.volumes()) + " active volumes (40% circles, 30% "
                + "polygons, 30% corridors 5–100 km long, over 600 × 600 km around Aleppo, all overlapping in time and altitude) in the "
                + "state of " + (f.state().equals("SQLite") ? "an embedded SQLite store" : "memory") + ", then runs random checks on "
                + "one thread in one read transaction, as the sequencer does. The store keeps the index in memory: the first check "
                + "builds it from the state, the others find it there. Per CPU second counts only the time the checking thread was "
                + "on a processor, which the other work on the machine disturbs less than the wall clock.\n\n"
                + "| figure | measured | target |\n|---|---|---|\n"
                + String.format(Locale.ROOT, "| checks per second, one core (wall clock) | %,.0f | ≥ %,.0f |%n", f.perSecond(), TARGET_PER_SECOND)
                + String.format(Locale.ROOT, "| checks per CPU second of the checking thread | %,.0f | |%n", f.perCpuSecond())
                + String.format(Locale.ROOT, "| p50 / p99 / max latency | %.2f ms / %.2f ms / %.2f ms | p99 ≤ %.0f ms |%n", f.ms(0.5),
                        f.ms(0.99), f.ms(1.0), TARGET_P99_MS)
                + String.format(Locale.ROOT, "| share of the wall time the checking thread was on a processor | %.0f%% | |%n", 100 * f.onCpu())
                + String.format(Locale.ROOT, "| checks per second, each check's fastest of %d passes | %,.0f | |%n", PASSES, f.fastestPerSecond())
                + String.format(Locale.ROOT, "| p50 / p99 / max of each check's fastest | %.2f ms / %.2f ms / %.2f ms | |%n", f.fastestMs(0.5),
                        f.fastestMs(0.99), f.fastestMs(1.0))
                + String.format(Locale.ROOT, "| volumes met per check, mean (total) | %.1f (%,d) | |%n", f.meanMet(), f.met())
                + String.format(Locale.ROOT, "| checks measured | %,d | |%n", f.checks())
                + String.format(Locale.ROOT, "| index built in memory on the first check | %.1f s | |%n", f.build())
                + String.format(Locale.ROOT, "| heap in use with the index, after a collection (the index alone) | %,d MiB (%,d MiB) | |%n",
                        f.heap() >> 20, f.index() >> 20)
                + "\n" + END + "\n";
    }

    static String scalingSection(List<Figures> sameArea, List<Figures> sameDensity) {
        StringBuilder b = new StringBuilder(SCALING_START).append("\n## Deconfliction checks as the volumes grow\n\n").append(measured());
        b.append("`./bench/deconflict --scaling` fills a state held in memory with each number of volumes in turn (the mix above), "
                + "builds the index with a first check and times ")
                .append(String.format(Locale.ROOT, "%,d", sameArea.get(0).checks()))
                .append(" random checks on one thread, each three times; first over the same 600 km square, so that the density, "
                        + "and what each check meets and must name, grows with the number; then at the density of ")
                .append(String.format(Locale.ROOT, "%,d", DENSITY_OF))
                .append(" volumes in that square, over a square that grows with the number. Latencies are by the wall clock "
                        + "in the first pass, and each check's fastest of the three. Heap is the index's alone.\n\n")
                .append("![checks per CPU second and p99 latency against active volumes](deconfliction-scaling.svg)\n\n")
                .append("| active volumes | square | checks/s (wall) | checks per CPU second | on a processor | p50 / p99 / max ms | "
                        + "checks/s, fastest of " + PASSES + " | p50 / p99 ms, fastest | met per check | filled in | index built in | "
                        + "heap of the index |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (List<Figures> series : List.of(sameArea, sameDensity)) {
            for (Figures f : series) {
                if (series == sameDensity && sameArea.contains(f)) {
                    continue;
                }
                b.append(row(f)).append('\n');
            }
        }
        return b.append('\n').append(SCALING_END).append('\n').toString();
    }
}
