package org.truce.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.truce.core.entry.Visibility;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.volume.VolumeRules;
import org.truce.store.Store;

/**
 * Deconfliction checks against 100,000 active volumes, as DESIGN.md's target states them: 40%
 * circles, 30% polygons, 30% corridors 5–100 km long, spread over 600 × 600 km around Aleppo, all
 * overlapping in time and altitude. The volumes are written straight into the state of an embedded
 * SQLite store, whose in-memory index the first check builds; each check is {@link VolumeRules#meets} on
 * one thread inside one read transaction, as the sequencer runs it. Prints checks per second and the
 * latency percentiles, and replaces the deconfliction section of the benchmarks report.
 *
 * <p>Run: {@code ./bench/deconflict [VOLUMES] [CHECKS]} (default 100,000 and 5,000).
 */
public final class DeconflictionRun {
    static final String START = "<!-- deconfliction: written by ./bench/deconflict -->";
    static final String END = "<!-- /deconfliction -->";
    private static final double LON0 = 33.7;
    private static final double LAT0 = 33.5;
    /** 600 km in degrees of latitude, and of longitude at 36° N. */
    private static final double SPAN_LAT = 5.4;
    private static final double SPAN_LON = 6.67;

    private DeconflictionRun() {}

    static ObjectNode footprint(SplittableRandom rng) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        double lon = LON0 + rng.nextDouble() * SPAN_LON;
        double lat = LAT0 + rng.nextDouble() * SPAN_LAT;
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

    public static void main(String[] args) throws Exception {
        int volumes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int checks = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Path report = Path.of(args.length > 2 ? args[2] : "docs/benchmarks.md");
        Path dir = Files.createTempDirectory("truce-deconflict-");
        Store store = Store.sqlite(dir);
        SplittableRandom rng = new SplittableRandom(2016);
        ObjectNode alt = JsonNodeFactory.instance.objectNode().put("lower", 0).put("upper", 5_000).put("reference", "W84");
        long t0 = System.nanoTime();
        for (int start = 0; start < volumes; start += 10_000) {
            int from = start;
            store.write(tx -> {
                for (int i = from; i < Math.min(volumes, from + 10_000); i++) {
                    ObjectNode v = JsonNodeFactory.instance.objectNode().put("id", "v" + i).put("state", "activated")
                            .put("version", "00".repeat(32)).put("by", "p" + (i % 10)).put("index", i);
                    v.set("footprint", footprint(rng));
                    v.set("altitude", alt);
                    v.putObject("time").put("from", "2016-09-20T10:00:00Z").put("to", "2016-09-20T12:00:00Z");
                    List<String> keys = List.of("all", "active");
                    tx.apply(new Change.Put(new Doc(VolumeRules.VOLUMES, "v" + i, v, keys, Visibility.PUBLIC, "p" + (i % 10), i)));
                }
                return null;
            });
        }
        System.err.printf(Locale.ROOT, "deconflict: %,d volumes written in %.1f s%n", volumes, (System.nanoTime() - t0) / 1e9);
        Instant from = Instant.parse("2016-09-20T10:30:00Z");
        // The first check builds the index the store keeps in memory; later ones find it there.
        long b0 = System.nanoTime();
        store.read(tx -> {
            try {
                return VolumeRules.meets(tx, "query", NotificationRules.footprint(footprint(rng), "/q"), alt, from, from.plusSeconds(60));
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        double build = (System.nanoTime() - b0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap = rt.totalMemory() - rt.freeMemory();
        Instant to = Instant.parse("2016-09-20T11:30:00Z");
        long[] nanos = new long[checks];
        long[] met = new long[1];
        int warmup = Math.max(500, checks / 5);
        long wall = store.read(tx -> {
            long w = 0;
            for (int i = -warmup; i < checks; i++) {
                org.truce.core.geo.Footprint q;
                try {
                    q = NotificationRules.footprint(footprint(rng), "/q");
                    long s = System.nanoTime();
                    int n = VolumeRules.meets(tx, "query", q, alt, from, to).size();
                    long e = System.nanoTime() - s;
                    if (i >= 0) {
                        nanos[i] = e;
                        w += e;
                        met[0] += n;
                    }
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            }
            return w;
        });
        store.close();
        Arrays.sort(nanos);
        double perSecond = checks / (wall / 1e9);
        String section = section(volumes, checks, perSecond, nanos, (double) met[0] / checks, build, heap);
        System.out.println(section);
        ImportRun.writeSection(report, section, START, END);
    }

    private static String pct(long[] sorted, double p) {
        return String.format(Locale.ROOT, "%.2f ms", sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6);
    }

    private static String section(int volumes, int checks, double perSecond, long[] sorted, double meanMet, double build, long heap) {
        Report.Machine m = Report.machine(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        return START + "\n## Deconfliction checks\n\n"
                + String.format(Locale.ROOT, "Measured %s UTC on %s, %s, JDK %s.%n%n",
                        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").format(Instant.now().atOffset(java.time.ZoneOffset.UTC)),
                        m.cpu(), m.os(), m.jdk())
                + "`./bench/deconflict` files " + String.format(Locale.ROOT, "%,d", volumes) + " active volumes (40% circles, 30% polygons, "
                + "30% corridors 5–100 km long, over 600 × 600 km around Aleppo, all overlapping in time and altitude) in the state "
                + "of an embedded SQLite store, then runs random checks on one thread in one read "
                + "transaction, as the sequencer does. The store keeps the index in memory: the first check builds it from the "
                + "state, the others find it there.\n\n"
                + "| figure | measured | target |\n|---|---|---|\n"
                + String.format(Locale.ROOT, "| checks per second, one core | %,.0f | ≥ 20,000 |%n", perSecond)
                + "| p50 / p99 / max latency | " + pct(sorted, 0.5) + " / " + pct(sorted, 0.99) + " / " + pct(sorted, 1.0) + " | p99 ≤ 1 ms |\n"
                + String.format(Locale.ROOT, "| volumes met per check, mean | %.1f | |%n", meanMet)
                + String.format(Locale.ROOT, "| checks measured | %,d | |%n", checks)
                + String.format(Locale.ROOT, "| index built in memory on the first check | %.1f s | |%n", build)
                + String.format(Locale.ROOT, "| heap in use with the index, after a collection | %,d MiB | |%n", heap >> 20)
                + String.format(Locale.ROOT, "| system load average over the last minute, at the end (other work on the machine) | %.2f on %d cores | |%n",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors())
                + "\n" + END + "\n";
    }
}
