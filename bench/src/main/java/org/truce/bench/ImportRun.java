package org.truce.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.truce.cli.Truce;
import org.truce.core.incident.Acled;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;

/**
 * The import of a realistic ACLED-format file, timed whole as a user runs it: {@code truce import
 * acled} reads, checks and signs every row, sends the file as one batch to a running server on an
 * embedded SQLite database, and the server admits and sequences it in one transaction. Then the log
 * is audited and the incidents counted. Prints rows per second and the heap's peak, and writes them
 * into the import section of the benchmarks report.
 *
 * <p>Run: {@code ./bench/import [ROWS]} (default 100,000).
 */
public final class ImportRun {
    /** Governorates with a point inside each, for rows spread as ACLED's Syrian data is. */
    private static final Object[][] PLACES = {
        {"Aleppo", "Jebel Saman", 36.2021, 37.1343}, {"Idleb", "Idleb", 35.9306, 36.6339},
        {"Hama", "Hama", 35.1318, 36.7578}, {"Homs", "Homs", 34.7324, 36.7137},
        {"Deir-ez-Zor", "Deir-ez-Zor", 35.3359, 40.1408}, {"Damascus", "Damascus", 33.5138, 36.2765},
        {"Rural Damascus", "Duma", 33.5711, 36.4033}, {"Dar'a", "Dar'a", 32.6189, 36.1021},
        {"Lattakia", "Lattakia", 35.5317, 35.7901}, {"Ar-Raqqa", "Ar-Raqqa", 35.9594, 39.0079},
        {"Al-Hasakeh", "Al-Hasakeh", 36.5024, 40.7477}, {"Quneitra", "Quneitra", 33.1260, 35.8246}};
    private static final String[][] TYPES = {
        {"Explosions/Remote violence", "Shelling/artillery/missile attack"}, {"Explosions/Remote violence", "Air/drone strike"},
        {"Battles", "Armed clash"}, {"Explosions/Remote violence", "Remote explosive/landmine/IED"},
        {"Violence against civilians", "Attack"}, {"Battles", "Government regains territory"},
        {"Strategic developments", "Looting/property destruction"}, {"Protests", "Peaceful protest"}};
    private static final String[] ACTORS = {"Military Forces of Syria (2000-2024)", "Military Forces of Russia (2000-)",
        "Hayat Tahrir al Sham", "Islamic State (Syria)", "Syrian Democratic Forces", "Civilians (Syria)",
        "Unidentified Armed Group (Syria)", "Opposition Rebels (Syria)"};

    private ImportRun() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path report = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        Path dir = Files.createTempDirectory("truce-import-");
        Path csv = dir.resolve("acled.csv");
        long t0 = System.nanoTime();
        write(csv, rows);
        System.err.printf(Locale.ROOT, "import: wrote %,d rows, %,d bytes, in %.1f s%n", rows, Files.size(csv),
                (System.nanoTime() - t0) / 1e9);

        Node node = Node.init(dir.resolve("data"), "bench.truce.example/log", "Bench", Clock.systemUTC());
        Demo.load(node, dir.resolve("keys"));
        String server = "http://127.0.0.1:" + node.serve("127.0.0.1", 0, org.truce.server.http.RateLimits.Options.NONE).port();
        long before = node.store().<Long>read(tx -> tx.size());
        HeapPeak heap = new HeapPeak();
        heap.start();
        System.gc();
        long start = System.nanoTime();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = Truce.execute(out, err, "import", "acled", csv.toString(), "--key", dir.resolve("keys/ocha.key").toString(),
                "--server", server);
        double seconds = (System.nanoTime() - start) / 1e9;
        heap.interrupt();
        heap.join();
        long after = node.store().<Long>read(tx -> tx.size());
        if (code != 0 || after - before != rows) {
            throw new IllegalStateException("the import did not sequence every row: exit " + code + ", " + (after - before)
                    + " entries of " + rows);
        }
        long auditStart = System.nanoTime();
        AuditReport audit = node.store().read(tx -> new Auditor(tx, node.checkpointKey().verifier()).audit(null,
                Auditor.Progress.NONE));
        if (!(audit instanceof AuditReport.Verified)) {
            throw new IllegalStateException("the log does not audit after the import: " + audit);
        }
        double auditSeconds = (System.nanoTime() - auditStart) / 1e9;
        node.close();
        String section = section(rows, Files.size(csv), seconds, heap.peak, auditSeconds, after);
        System.out.println(section);
        writeSection(report, section);
    }

    /** A file in ACLED's 2023 layout with an HXL row, rows spread over 2016 and 2017. */
    static void write(Path csv, int rows) throws IOException {
        SplittableRandom rng = new SplittableRandom(2016);
        LocalDate first = LocalDate.parse("2016-01-01");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180)) {
            p.printRecord(Acled.ACLED_COLUMNS);
            List<String> hxl = new ArrayList<>();
            Acled.ACLED_COLUMNS.forEach(c -> hxl.add(Acled.HXL.get(c)));
            p.printRecord(hxl);
            for (int i = 0; i < rows; i++) {
                Object[] place = PLACES[rng.nextInt(PLACES.length)];
                String[] type = TYPES[rng.nextInt(TYPES.length)];
                LocalDate day = first.plusDays(rng.nextInt(731));
                String a1 = ACTORS[rng.nextInt(ACTORS.length)];
                String a2 = ACTORS[rng.nextInt(ACTORS.length)];
                double lat = (double) place[2] + (rng.nextDouble() - 0.5) * 0.4;
                double lon = (double) place[3] + (rng.nextDouble() - 0.5) * 0.4;
                int fatalities = rng.nextInt(10) < 6 ? 0 : rng.nextInt(1, 40);
                String notes = "On " + day + ", " + a1 + " " + type[1].toLowerCase(Locale.ROOT) + " reported near "
                        + place[1] + " (" + place[0] + "). " + (fatalities > 0 ? fatalities + " fatalities reported. " : "")
                        + "Sources give differing accounts; " + a2 + " involved according to local media.";
                p.printRecord("SYR" + (100000 + i), day.toString(), day.getYear(), 1 + rng.nextInt(3),
                        type[0].equals("Protests") ? "Demonstrations" : "Political violence", type[0], type[1], a1, "",
                        1 + rng.nextInt(8), a2, "", 1 + rng.nextInt(8), 10 + rng.nextInt(80), "", 760, "Middle East", "Syria",
                        place[0], place[1], "", place[1] + " " + (i % 97), String.format(Locale.ROOT, "%.4f", lat),
                        String.format(Locale.ROOT, "%.4f", lon), 1 + rng.nextInt(3), "SOHR; Local Media", "National",
                        notes, fatalities, "", 1_700_000_000L + i);
            }
        }
    }

    /** Samples the heap in use every 20 ms and keeps the highest. */
    private static final class HeapPeak extends Thread {
        volatile long peak;

        HeapPeak() {
            super("heap-peak");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        used += pool.getUsage().getUsed();
                    }
                }
                peak = Math.max(peak, used);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static final String START = "<!-- import: written by ./bench/import -->";
    static final String END = "<!-- /import -->";

    private static String section(int rows, long bytes, double seconds, long peak, double auditSeconds, long size) {
        Report.Machine m = Report.machine(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        return START + "\n## Import of ACLED-format CSV\n\n"
                + String.format(Locale.ROOT, "Measured %s UTC on %s, %s, %s, JDK %s, heap limit %,d MiB.%n%n",
                        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").format(Instant.now().atOffset(java.time.ZoneOffset.UTC)), m.cpu(), m.memory(), m.os(), m.jdk(),
                        Runtime.getRuntime().maxMemory() >> 20)
                + "`./bench/import` writes a file of ACLED's 2023 layout with an HXL row (rows spread over the Syrian "
                + "governorates, 2016–2017, every event type), starts a server on embedded SQLite with the demo, and runs "
                + "`truce import acled` against it in the same JVM: read, check and sign every row, send the file as one "
                + "batch, admit (Ed25519) and sequence it in one transaction. The time is the command's, end to end.\n\n"
                + "| figure | measured |\n|---|---|\n"
                + String.format(Locale.ROOT, "| rows | %,d (%,.1f MiB) |%n", rows, bytes / 1048576.0)
                + String.format(Locale.ROOT, "| import, end to end | %.1f s |%n", seconds)
                + String.format(Locale.ROOT, "| rows per second | %,.0f |%n", rows / seconds)
                + String.format(Locale.ROOT, "| peak heap in use (client and server together, sampled every 20 ms) | %,d MiB |%n",
                        peak >> 20)
                + String.format(Locale.ROOT, "| audit of the whole log afterwards (%,d entries) | %.1f s |%n", size, auditSeconds)
                + "\n" + END + "\n";
    }

    /** Replaces the import section of the report, or appends it. */
    static void writeSection(Path report, String section) throws IOException {
        writeSection(report, section, START, END);
    }

    /** Replaces the section between the two markers of the report, or appends it. */
    static void writeSection(Path report, String section, String start, String end) throws IOException {
        String md = Files.exists(report) ? Files.readString(report) : "";
        int a = md.indexOf(start);
        int b = md.indexOf(end);
        String next = a >= 0 && b > a ? md.substring(0, a) + section + md.substring(Math.min(md.length(), b + end.length() + 1))
                : md + (md.endsWith("\n") || md.isEmpty() ? "\n" : "\n\n") + section;
        Files.writeString(report, next);
    }
}
