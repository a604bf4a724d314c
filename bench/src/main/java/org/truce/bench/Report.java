package org.truce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns JMH's JSON results ({@code -rf json}) into {@code docs/benchmarks.md}: the run's date,
 * machine and JDK, each target figure with the baseline measured in the same run and whether it is
 * met, the baselines for later comparison, every result, and the command that reproduces them.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.truce.bench.Report RESULTS.json OUT.md
 * [--command CMD] [--jmh CMD] [--commit REV] [--other-cpu TEXT]}. {@code ./bench/run} calls it after the benchmarks.
 */
public final class Report {
    /** Durable appends in process must reach this many entries/s … */
    static final double DURABLE_TARGET = 15_000;
    /** … and this fraction of the Ed25519 verify rate on all cores, measured in the same run. */
    static final double DURABLE_TARGET_RATIO = 0.4;
    /** Durable appends over HTTP must reach this many entries/s. */
    static final double HTTP_TARGET = 5_000;
    /** Append entries/s must reach this fraction of SHA-256 digests/s of 64-byte inputs. */
    static final double APPEND_TARGET_RATIO = 0.25;
    /** A section written by another benchmark run, {@code <!-- NAME: written by ... -->} to {@code <!-- /NAME -->}. */
    static final Pattern SECTION = Pattern.compile("<!-- ([a-z-]+): written by [^>]*-->.*?<!-- /\\1 -->", Pattern.DOTALL);
    /** An inclusion proof from tiles must take at most this many microseconds on average. */
    static final double PROOF_TARGET_MICROS = 20.0;

    private static final String PKG = "org.truce.bench.";

    private Report() {}

    /** One JMH result: a benchmark method in one mode with one set of parameters. */
    record Result(String name, String mode, int threads, Map<String, String> params, double score, double error,
            String unit, Map<String, Double> percentiles) {
        String paramText() {
            return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        }

        /** The relative half-width of the 99.9% confidence interval, when JMH could compute one. */
        Optional<Double> relativeError() {
            return Double.isFinite(error) && score != 0 ? Optional.of(error / score) : Optional.empty();
        }
    }

    /** Where the benchmarks ran. */
    record Machine(int cores, String cpu, String memory, String os, String jdk) {}

    /** How the run was made: the commands that reproduce it, the code revision and JMH's settings. */
    record Run(String command, String jmhCommand, String commit, String settings, String otherCpu) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.println("usage: Report RESULTS.json OUT.md [--command CMD] [--jmh CMD] [--commit REV] [--other-cpu TEXT]");
            System.exit(args.length < 2 ? 2 : 0);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String command = "./bench/run";
        String jmh = "";
        String commit = "";
        String otherCpu = "";
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--command" -> command = args[i + 1];
                case "--jmh" -> jmh = args[i + 1];
                case "--commit" -> commit = args[i + 1];
                case "--other-cpu" -> otherCpu = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        JsonNode json = new ObjectMapper().readTree(in.toFile());
        List<Result> results = parse(json);
        if (results.isEmpty()) {
            throw new IllegalArgumentException(in + " holds no benchmark results");
        }
        Run run = new Run(command, jmh, commit, settings(json), otherCpu);
        Instant ran = Files.getLastModifiedTime(in).toInstant();
        String md = render(results, machine(json.get(0)), run, ran);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String kept = Files.exists(out) ? keptSections(Files.readString(out, StandardCharsets.UTF_8)) : "";
        Files.writeString(out, md + kept, StandardCharsets.UTF_8);
        System.err.println("wrote " + out);
    }

    /** The sections other runs wrote in a report (import, deconfliction, instances, ...), in their order. */
    static String keptSections(String report) {
        StringBuilder kept = new StringBuilder();
        Matcher m = SECTION.matcher(report);
        while (m.find()) {
            kept.append('\n').append(m.group()).append('\n');
        }
        return kept.toString();
    }

    /** The results of a JMH JSON report, in its order. */
    static List<Result> parse(JsonNode json) {
        List<Result> out = new ArrayList<>();
        for (JsonNode r : json) {
            String name = r.path("benchmark").asText();
            if (name.startsWith(PKG)) {
                name = name.substring(PKG.length());
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode m = r.path("primaryMetric");
            Map<String, Double> pct = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.path("scorePercentiles").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                pct.put(e.getKey(), e.getValue().asDouble());
            }
            out.add(new Result(name, r.path("mode").asText(), r.path("threads").asInt(1), params,
                    number(m.path("score")), number(m.path("scoreError")), m.path("scoreUnit").asText(), pct));
        }
        return out;
    }

    /** JMH writes "NaN" as a string when it has no error estimate (a single iteration). */
    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : n.isTextual() ? parseOrNaN(n.asText()) : Double.NaN;
    }

    private static double parseOrNaN(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The forks, warm-up and measurement iterations of the run: those most of the benchmarks had, then
     * any other, with the benchmarks (class names) that had it.
     */
    static String settings(JsonNode results) {
        Map<String, java.util.Set<String>> classesBySettings = new java.util.LinkedHashMap<>();
        for (JsonNode r : results) {
            String s = String.format(Locale.ROOT, "%d fork(s), %d warmup iteration(s) of %s, %d measurement iteration(s) of %s",
                    r.path("forks").asInt(), r.path("warmupIterations").asInt(), r.path("warmupTime").asText(),
                    r.path("measurementIterations").asInt(), r.path("measurementTime").asText());
            String name = r.path("benchmark").asText();
            String[] parts = name.split("\\.");
            classesBySettings.computeIfAbsent(s, k -> new java.util.TreeSet<>()).add(parts.length > 1 ? parts[parts.length - 2] : name);
        }
        List<Map.Entry<String, java.util.Set<String>>> sorted = new ArrayList<>(classesBySettings.entrySet());
        sorted.sort((a, b) -> b.getValue().size() - a.getValue().size());
        StringBuilder out = new StringBuilder(sorted.isEmpty() ? "" : sorted.get(0).getKey());
        for (Map.Entry<String, java.util.Set<String>> e : sorted.subList(Math.min(1, sorted.size()), sorted.size())) {
            out.append("; ").append(String.join(", ", e.getValue())).append(": ").append(e.getKey());
        }
        return out.toString();
    }

    /** This machine, with the JDK the benchmarks' JVM reported. */
    static Machine machine(JsonNode first) {
        String cpu = "unknown";
        int cpus = 0;
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name") && cpu.equals("unknown")) {
                cpu = line.substring(line.indexOf(':') + 1).strip();
            }
            if (line.startsWith("processor")) {
                cpus++;
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        String coreText = cpus > 0 && cpus != cores ? cores + " available to the JVM, " + cpus + " online" : Integer.toString(cores);
        String memory = "unknown";
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.substring(9).strip().split("\\s+");
                memory = String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(f[0]) / (1024.0 * 1024.0));
            }
        }
        String distro = "";
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) {
                distro = line.substring(12).replace("\"", "") + ", ";
            }
        }
        String os = distro + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String jdk = first.path("jdkVersion").asText(System.getProperty("java.version")) + " ("
                + first.path("vmName").asText(System.getProperty("java.vm.name")) + " "
                + first.path("vmVersion").asText(System.getProperty("java.vm.version")) + ")";
        return new Machine(cores, cpu + " (" + coreText + " cores)", memory, os, jdk);
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The Markdown report. */
    static String render(List<Result> results, Machine machine, Run run, Instant now) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `./bench/run` (`org.truce.bench.Report`) from the JMH results of one run; ")
                .append("run it again rather than editing this file. The benchmarks and what each measures are ")
                .append("described in the Javadoc of the classes in `bench/src/main/java/org/truce/bench`.\n\n");

        md.append("## The run\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(now))
                .append(" |\n");
        md.append("| CPU | ").append(machine.cpu()).append(" |\n");
        md.append("| memory | ").append(machine.memory()).append(" |\n");
        md.append("| JDK | ").append(machine.jdk()).append(" |\n");
        md.append("| OS | ").append(machine.os()).append(" |\n");
        if (!run.otherCpu().isEmpty()) {
            md.append("| CPU used by other work during the run | ").append(run.otherCpu())
                    .append(" (anything well above 0 means the figures shared the machine) |\n");
        }
        if (!run.commit().isEmpty()) {
            md.append("| code | ").append(run.commit()).append(" |\n");
        }
        md.append("| JMH | ").append(run.settings()).append(" |\n\n");
        md.append("Reproduce it with\n\n```sh\n").append(run.command()).append("\n```\n\n");
        if (!run.jmhCommand().isEmpty()) {
            md.append("which ran\n\n```sh\n").append(run.jmhCommand()).append("\n```\n\n");
        }

        md.append("## Targets\n\n");
        md.append("Ratios are against the baseline measured in the same run. The ± figures are JMH's 99.9% ")
                .append("confidence half-widths.\n\n");
        md.append("| figure | measured | baseline (same run) | ratio | target | met? |\n");
        md.append("|---|---|---|---|---|---|\n");
        Optional<Result> sha = find(results, "Sha256Benchmark.sha256", "thrpt");
        for (String[] a : new String[][] {
                {"AppendBenchmark.append256", "`Appender.append`, batches of 256"},
                {"AppendBenchmark.append1024", "`Appender.append`, batches of 1,024"},
                {"AppendBenchmark.append4096", "`Appender.append`, batches of 4,096"},
                {"AppendBenchmark.tileBuilderAdd", "`TileBuilder.add` alone (no checkpoint, no consistency check)"}}) {
            boolean target = !a[0].endsWith("tileBuilderAdd");
            Optional<Result> r = find(results, a[0], "thrpt");
            md.append("| ").append(a[1]).append(" | ");
            md.append(r.map(x -> rate(x, "entries/s")).orElse("not run")).append(" | ");
            md.append(sha.map(x -> rate(x, "SHA-256/s") + " of 64 B").orElse("not run")).append(" | ");
            if (r.isPresent() && sha.isPresent()) {
                double ratio = r.get().score() / sha.get().score();
                md.append(String.format(Locale.ROOT, "%.3f", ratio)).append(" | ");
                md.append(target ? "≥ " + APPEND_TARGET_RATIO : "(breakdown)").append(" | ");
                md.append(target ? verdict(ratio >= APPEND_TARGET_RATIO) : "").append(" |\n");
            } else {
                md.append("| ").append(target ? "≥ " + APPEND_TARGET_RATIO : "(breakdown)").append(" | |\n");
            }
        }
        Optional<Result> verify = find(results, "Ed25519Benchmark.noteVerify_2threads", "thrpt");
        Optional<Result> durable = find(results, "SequencerBenchmark.appendInProcess", "thrpt");
        md.append("| durable appends of signed entries through the sequencer, in process, SQLite | ")
                .append(durable.map(x -> rate(x, "entries/s")).orElse("not run")).append(" | ")
                .append(verify.map(x -> rate(x, "Ed25519 verifies/s") + " on 2 threads").orElse("not run")).append(" | ");
        if (durable.isPresent() && verify.isPresent()) {
            double ratio = durable.get().score() / verify.get().score();
            md.append(String.format(Locale.ROOT, "%.3f", ratio)).append(" | ≥ ").append(fmt(DURABLE_TARGET))
                    .append("/s and ≥ ").append(DURABLE_TARGET_RATIO).append(" | ")
                    .append(verdict(durable.get().score() >= DURABLE_TARGET && ratio >= DURABLE_TARGET_RATIO)).append(" |\n");
        } else {
            md.append("| ≥ ").append(fmt(DURABLE_TARGET)).append("/s and ≥ ").append(DURABLE_TARGET_RATIO).append(" | |\n");
        }
        Optional<Result> http = find(results, "HttpAppendBenchmark.appendOverHttp", "thrpt");
        md.append("| durable appends of signed entries over HTTP, end to end, SQLite | ")
                .append(http.map(x -> rate(x, "entries/s")).orElse("not run")).append(" | | ")
                .append(http.map(x -> String.format(Locale.ROOT, "%.2f of the target", x.score() / HTTP_TARGET)).orElse(""))
                .append(" | ≥ ").append(fmt(HTTP_TARGET)).append("/s | ")
                .append(http.map(x -> verdict(x.score() >= HTTP_TARGET)).orElse("")).append(" |\n");
        List<Result> proofs = all(results, r -> r.name().equals("InclusionProofBenchmark.proof") && r.mode().equals("avgt"));
        if (proofs.isEmpty()) {
            md.append("| inclusion proof from tiles, reused reader, mean | not run | | | ≤ ")
                    .append(fmt(PROOF_TARGET_MICROS)).append(" µs | |\n");
        }
        for (Result p : proofs) {
            md.append("| inclusion proof from tiles, reused reader, mean").append(logSize(p)).append(" | ")
                    .append(time(p)).append(" | | ").append(String.format(Locale.ROOT, "%.2f", p.score() / PROOF_TARGET_MICROS))
                    .append(" of the target | ≤ ").append(fmt(PROOF_TARGET_MICROS)).append(" µs | ")
                    .append(verdict(p.unit().equals("us/op") && p.score() <= PROOF_TARGET_MICROS)).append(" |\n");
        }
        for (Result p : all(results, r -> r.name().equals("InclusionProofBenchmark.proofSample"))) {
            Double p99 = p.percentiles().get("99.0");
            md.append("| inclusion proof, reused reader, p99").append(logSize(p)).append(" | ")
                    .append(p99 == null ? "—" : fmt(p99) + " " + unitOf(p)).append(" (p50 ")
                    .append(fmt(p.percentiles().getOrDefault("50.0", Double.NaN))).append(", p99.9 ")
                    .append(fmt(p.percentiles().getOrDefault("99.9", Double.NaN))).append(") | | | (reported) | |\n");
        }
        for (Result p : all(results, r -> r.name().equals("InclusionProofBenchmark.proofCold"))) {
            md.append("| inclusion proof, new reader per proof (cold), mean").append(logSize(p)).append(" | ")
                    .append(time(p)).append(" | | | (reported) | |\n");
        }
        md.append('\n');
        appendBreakdown(md, results, sha);

        List<Result> crypto = all(results, r -> r.name().startsWith("Ed25519Benchmark.") || r.name().startsWith("CheckpointBenchmark."));
        if (!crypto.isEmpty()) {
            md.append("## Signature baselines\n\n");
            md.append("For later issues to compare against. Rates with two threads are the sum over both.\n\n");
            md.append("| benchmark | threads | rate | time per operation and thread |\n|---|---|---|---|\n");
            for (Result r : crypto) {
                md.append("| `").append(r.name()).append("` | ").append(r.threads()).append(" | ").append(rate(r, "ops/s"))
                        .append(" | ");
                md.append(r.unit().equals("ops/s") ? fmt(r.threads() * 1e6 / r.score()) + " µs" : "").append(" |\n");
            }
            md.append('\n');
        }

        diskBaseline(md, results);
        comparableLogs(md);

        md.append("## Every result\n\n");
        md.append("| benchmark | mode | threads | parameters | score | ± (99.9%) | unit |\n|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append("| `").append(r.name()).append("` | ").append(r.mode()).append(" | ").append(r.threads()).append(" | ")
                    .append(r.paramText()).append(" | ").append(fmt(r.score()));
            if (r.mode().equals("sample") && r.percentiles().containsKey("99.0")) {
                md.append(" (p50 ").append(fmt(r.percentiles().get("50.0"))).append(", p99 ")
                        .append(fmt(r.percentiles().get("99.0"))).append(")");
            }
            md.append(" | ").append(fmt(r.error())).append(" | ").append(r.unit()).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The disk's sync rate, and what it bounds: a durable commit syncs the write-ahead log at least
     * once, so the sequencer's entries a second need batches of at least that rate over this one.
     */
    private static void diskBaseline(StringBuilder md, List<Result> results) {
        Optional<Result> fsync = find(results, "FsyncBenchmark.writeAndSync", "thrpt");
        if (fsync.isEmpty()) {
            return;
        }
        double perSync = 1e6 / fsync.get().score();
        md.append("## Disk baseline\n\n");
        md.append("| benchmark | rate | time per sync |\n|---|---|---|\n");
        md.append("| `FsyncBenchmark.writeAndSync`: a 4 KiB page written in place and `fdatasync`ed, in the benchmarks' temporary "
                + "directory | ").append(rate(fsync.get(), "syncs/s")).append(" | ").append(fmt(perSync)).append(" µs |\n\n");
        md.append("A commit with `synchronous=FULL` in WAL mode syncs the write-ahead log at least once (more when it checkpoints), "
                + "so one writer commits at most ").append(fmt(fsync.get().score())).append(" times a second on this disk");
        find(results, "SequencerBenchmark.appendInProcess", "thrpt").ifPresent(d -> md.append(". One sync per entry at the "
                + "sequencer's ").append(fmt(d.score())).append(" entries/s in process would take ")
                .append(String.format(Locale.ROOT, "%.2f", d.score() / fsync.get().score()))
                .append(" s of each second, which is why it commits its entries in batches (up to 1,024 a commit), one sync each. "
                        + "A real commit's sync also carries the commit's pages, which this baseline's single page does not"));
        md.append(".\n\n");
    }

    /**
     * Published figures of other transparency logs, for scale. They are the projects' own measurements
     * on their own machines, of logs that check less per entry (a CT log checks a certificate chain
     * once per submission; none checks an author signature against state and rules), so they are a
     * reference, not a target.
     */
    private static void comparableLogs(StringBuilder md) {
        md.append("## Comparable logs, as their projects published them\n\n");
        md.append("Not measured here: each project's own figures on its own machines, for scale. None of these logs verifies "
                + "an author's signature and applies rules to a state before it sequences an entry, as Truce does.\n\n");
        md.append("| log | machine and storage | writes/s | time to a checkpoint | source |\n|---|---|---|---|---|\n");
        md.append("| Tessera (POSIX) | 12-core VM, 8 GB, local file system on mirrored SAS disks | about 2,900 (1,600 with "
                + "antispam) | 0.6–6.6 s observed to integrate | transparency-dev/tessera `docs/performance.md` |\n");
        md.append("| Tessera (POSIX) | GCP e2-micro (2 shared vCPUs, 1 GB) | over 1,500 | 0.6–1.9 s | the same |\n");
        md.append("| Tessera (MySQL) | GCP e2-micro with MySQL on the same VM | about 300 | 0.5–2.5 s | the same |\n");
        md.append("| Tessera (MySQL) | GCP e2-micro with Cloud SQL | about 2,000 | 0.6–0.8 s | the same |\n");
        md.append("| Sunlight (CT) | Let's Encrypt's production logs | about 75 submissions/s per log at the time of writing | "
                + "sequenced once a second; the 75th percentile of a submission just under 1 s | FiloSottile/sunlight README "
                + "and issue 33 |\n\n");
    }

    /** Splits an append's time per entry into its parts, from the figures of the same run. */
    private static void appendBreakdown(StringBuilder md, List<Result> results, Optional<Result> sha) {
        Optional<Result> add = find(results, "AppendBenchmark.tileBuilderAdd", "thrpt");
        Optional<Result> sign = find(results, "CheckpointBenchmark.sign", "thrpt");
        if (sha.isEmpty() || add.isEmpty()) {
            return;
        }
        double shaNs = 1e9 / sha.get().score();
        double addNs = 1e9 / add.get().score();
        md.append("### Where an append's time goes\n\n");
        md.append("One SHA-256 of 64 bytes takes ").append(fmt(shaNs)).append(" ns. Each entry costs a leaf hash and, ")
                .append("on average, one node hash, each of the same two compression rounds as the baseline, so ")
                .append("appending cannot exceed a ratio of 0.5. `TileBuilder.add` takes ").append(fmt(addNs))
                .append(" ns per entry (the time of ").append(String.format(Locale.ROOT, "%.2f", addNs / shaNs))
                .append(" SHA-256): the two hashes, their digest objects, and the tiles and bundles it hands to storage.\n\n");
        md.append("Each batch then costs a fixed amount more: its partial tiles, the consistency check of the new tree ")
                .append("against the last checkpoint from the stored tiles, and signing and writing the checkpoint");
        sign.ifPresent(s -> md.append(" (signing alone: ").append(fmt(1e6 / s.score())).append(" µs, `CheckpointBenchmark.sign`)"));
        md.append(".\n\n| batch | ns per entry | fixed cost per batch (beyond `TileBuilder.add`) | signing's share per entry |\n|---|---|---|---|\n");
        for (int batch : new int[] {256, 1024, 4096}) {
            Optional<Result> r = find(results, "AppendBenchmark.append" + batch, "thrpt");
            if (r.isEmpty()) {
                continue;
            }
            double ns = 1e9 / r.get().score();
            double fixedMicros = batch * (ns - addNs) / 1000;
            md.append("| ").append(fmt(batch)).append(" | ").append(fmt(ns)).append(" | ")
                    .append(fixedMicros > 0 ? fmt(fixedMicros) + " µs" : "— (within the noise)").append(" | ")
                    .append(sign.map(s -> fmt(1e9 / s.score() / batch) + " ns").orElse("")).append(" |\n");
        }
        md.append("\nThe fixed cost is the batch size times the difference of two measured rates, so it carries both ")
                .append("their errors multiplied by the batch: read it at 256 and 1,024; at 4,096 it is mostly noise.\n\n");
    }

    private static Optional<Result> find(List<Result> results, String name, String mode) {
        return results.stream().filter(r -> r.name().equals(name) && r.mode().equals(mode)).findFirst();
    }

    private static List<Result> all(List<Result> results, Predicate<Result> p) {
        return results.stream().filter(p).collect(Collectors.toList());
    }

    private static String logSize(Result r) {
        String size = r.params().get("size");
        return size == null ? "" : ", " + fmt(Double.parseDouble(size)) + " entries";
    }

    private static String verdict(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    private static String rate(Result r, String unit) {
        String u = r.unit().equals("ops/s") ? unit : r.unit();
        return fmt(r.score()) + " " + u + r.relativeError().map(e -> String.format(Locale.ROOT, " ± %.1f%%", 100 * e)).orElse("");
    }

    private static String time(Result r) {
        return fmt(r.score()) + " " + unitOf(r) + r.relativeError().map(e -> " ± " + fmt(r.error())).orElse("");
    }

    private static String unitOf(Result r) {
        return r.unit().replace("/op", "").replace("us", "µs");
    }

    /** Three significant figures below 1,000, whole numbers with separators above. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
