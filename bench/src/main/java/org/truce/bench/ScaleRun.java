package org.truce.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.server.sequencer.Receipt;
import org.truce.store.StoredEntry;
import org.truce.tlog.VerificationException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.tiles.TileNodeReader;

/**
 * How the cost of appending and of proving grows with the log: one log on embedded SQLite, grown by
 * {@link LogFill} to 10^4, 10^5, 10^6 and 10^7 entries in turn, and at each size
 * <ul>
 *   <li>durable appends through the sequencer, in process, as {@link SequencerBenchmark} measures them:
 *       two client threads (one per core) each submit {@value #BATCHES} batches of {@value #BATCH} signed
 *       hotline messages and wait for every answer (committed with {@code synchronous=FULL} and covered
 *       by a signed checkpoint); one round to settle, then {@value #ROUNDS} measured rounds, signed
 *       before each round starts;
 *   <li>inclusion proofs for {@value #PROOFS} uniformly random entries, computed from the hash tiles
 *       the store holds in one read transaction, each with a new {@link TileNodeReader} (as one
 *       request would), then as many with one reader reused (as a proof server would keep it); a
 *       sample of each is verified against the root.
 * </ul>
 * The proofs come first, at the round size; the appends that follow stay in the log (8,192 at each
 * size), and the next size is filled from there.
 *
 * <p>Usage: {@code ScaleRun [LARGEST] [REPORT]}; LARGEST (default 10,000,000) is the last size, REPORT
 * (default docs/benchmarks.md) receives the section, and the plot goes beside it.
 */
public final class ScaleRun {
    static final String START = "<!-- log-scaling: written by ./bench/scale -->";
    static final String END = "<!-- /log-scaling -->";
    static final String PLOT = "log-scaling.svg";
    private static final int BATCH = 512;
    private static final int BATCHES = 2;
    private static final int CLIENTS = 2;
    private static final int ROUNDS = 3;
    private static final int PROOFS = 20_000;
    private static final int VERIFIED = 200;
    private static final double APPEND_TARGET = 15_000;
    private static final double PROOF_TARGET_US = 1_000;

    /**
     * What was measured at one size: the proofs at {@code size} entries, then the appends that followed.
     * Every array is in increasing order: the proof times as given, the rounds' append rates sorted here.
     */
    record Figures(long size, double fillSeconds, long filled, double[] appendRates, long[] coldNanos, long[] reusedNanos, long bytes) {
        Figures {
            appendRates = appendRates.clone();
            Arrays.sort(appendRates);
        }

        /** The median round's rate. */
        double appendsPerSecond() {
            return appendRates[appendRates.length / 2];
        }

        double coldUs(double p) {
            return percentile(coldNanos, p) / 1e3;
        }

        double reusedUs(double p) {
            return percentile(reusedNanos, p) / 1e3;
        }

        private static double percentile(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1))];
        }
    }

    private ScaleRun() {}

    public static void main(String[] args) throws Exception {
        long largest = args.length > 0 ? Long.parseLong(args[0].replace("_", "").replace(",", "")) : 10_000_000L;
        Path report = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        if (largest < 10_000) {
            throw new IllegalArgumentException("the largest size must be at least 10,000, not " + largest);
        }
        String load0 = Host.loadAverage();
        List<Figures> runs = new ArrayList<>();
        // The JIT warms up on a log of its own, so that the measured log starts empty.
        System.err.println("scale: warming up the sequencer");
        try (LogUnderLoad warm = new LogUnderLoad()) {
            List<Client> clients = clients(warm);
            for (int i = 0; i < 6; i++) {
                appendRound(warm, clients);
            }
        }
        try (LogUnderLoad log = new LogUnderLoad()) {
            LogFill fill = new LogFill(log);
            List<Client> clients = clients(log);
            for (long size = 10_000; size <= largest; size *= 10) {
                long before = log.node.store().read(tx -> tx.size());
                long t0 = System.nanoTime();
                fill.growTo(size, LogFill.printing("scale", before));
                double fillSeconds = (System.nanoTime() - t0) / 1e9;
                long filled = Math.max(0, size - before);
                ProofTimes proofs = proofs(log);
                appendRound(log, clients);
                double[] rates = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    rates[r] = appendRound(log, clients);
                }
                Figures f = new Figures(proofs.size(), fillSeconds, filled, rates, proofs.cold(), proofs.reused(), Host.diskBytes(log.dir));
                runs.add(f);
                System.err.println("scale: " + row(f));
            }
        }
        String load1 = Host.loadAverage();
        String section = section(runs, load0, load1);
        System.out.println(section);
        ImportRun.writeSection(report, section, START, END);
        Path svg = report.resolveSibling(PLOT);
        Files.writeString(svg, plot(runs));
        System.err.println("wrote " + report + " and " + svg);
    }

    /** A client of the appends: its key and next seq. Used by one thread at a time. */
    private static final class Client {
        final EntrySigner key;
        long seq = 1;

        Client(EntrySigner key) {
            this.key = key;
        }
    }

    private static List<Client> clients(LogUnderLoad log) {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new Client(log.newParty()));
        }
        return clients;
    }

    /** One round of appends by every client at once, signed beforehand; entries per second from start to the last answer. */
    private static double appendRound(LogUnderLoad log, List<Client> clients) throws Exception {
        List<List<Submission>> signed = new ArrayList<>();
        for (Client c : clients) {
            signed.add(LogUnderLoad.messages(c.key, c.seq, BATCH * BATCHES));
            c.seq += BATCH * BATCHES;
        }
        CyclicBarrier start = new CyclicBarrier(clients.size() + 1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (List<Submission> mine : signed) {
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    for (int b = 0; b < BATCHES; b++) {
                        List<CompletableFuture<Receipt>> answers = new ArrayList<>(BATCH);
                        for (Submission s : mine.subList(b * BATCH, (b + 1) * BATCH)) {
                            answers.add(log.node.sequencer().submit(s));
                        }
                        for (CompletableFuture<Receipt> a : answers) {
                            a.join();
                        }
                    }
                } catch (EntryException | InterruptedException | java.util.concurrent.BrokenBarrierException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> {
                Thread t = new Thread(runnable, "scale-client");
                t.start();
            }));
        }
        start.await();
        long t0 = System.nanoTime();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        return clients.size() * (double) BATCH * BATCHES / ((System.nanoTime() - t0) / 1e9);
    }

    /** Proof times at one size, sorted, in nanoseconds. */
    private record ProofTimes(long size, long[] cold, long[] reused) {}

    /** Times the proofs at the log's current size and verifies a sample of them. */
    private static ProofTimes proofs(LogUnderLoad log) {
        return log.node.store().read(tx -> {
            long size = tx.size();
            SplittableRandom rng = new SplittableRandom(size);
            long[] cold = new long[PROOFS];
            long[] reused = new long[PROOFS];
            Hash root = Proofs.root(new TileNodeReader(tx, size), size);
            for (int i = 0; i < PROOFS; i++) {
                long index = rng.nextLong(size);
                long t0 = System.nanoTime();
                List<Hash> proof = Proofs.inclusion(new TileNodeReader(tx, size, 16), index, size);
                cold[i] = System.nanoTime() - t0;
                if (i < VERIFIED) {
                    verify(tx.entry(index).orElseThrow(), size, proof, root);
                }
            }
            TileNodeReader kept = new TileNodeReader(tx, size);
            for (int i = 0; i < PROOFS; i++) {
                long index = rng.nextLong(size);
                long t0 = System.nanoTime();
                List<Hash> proof = Proofs.inclusion(kept, index, size);
                reused[i] = System.nanoTime() - t0;
                if (i < VERIFIED) {
                    verify(tx.entry(index).orElseThrow(), size, proof, root);
                }
            }
            Arrays.sort(cold);
            Arrays.sort(reused);
            return new ProofTimes(size, cold, reused);
        });
    }

    private static void verify(StoredEntry e, long size, List<Hash> proof, Hash root) {
        try {
            ProofVerifier.verifyInclusion(e.index(), size, e.leafHash(), proof, root);
        } catch (VerificationException x) {
            throw new IllegalStateException("the proof of entry " + e.index() + " does not verify", x);
        }
    }

    private static String row(Figures f) {
        double[] r = f.appendRates();
        return String.format(Locale.ROOT, "| %,d | %s | %,.0f (%,.0f–%,.0f) | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %,.0f MiB (%,.0f B) |",
                f.size(), f.filled() == 0 ? "–" : String.format(Locale.ROOT, "%.0f s (%,.0f/s)", f.fillSeconds(), f.filled() / f.fillSeconds()),
                f.appendsPerSecond(), r[0], r[r.length - 1],
                f.coldUs(0.5), f.coldUs(0.99), f.coldUs(1.0), f.reusedUs(0.5), f.reusedUs(0.99), f.reusedUs(1.0),
                f.bytes() / 1048576.0, f.bytes() / (double) f.size());
    }

    static String section(List<Figures> runs, String load0, String load1) {
        Report.Machine m = Report.machine(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        StringBuilder b = new StringBuilder(START).append("\n## Appends and proofs as the log grows\n\n");
        b.append(String.format(Locale.ROOT, "Measured %s UTC on %s, %s, %s, JDK %s; load average before %s, after %s on %d cores.%n%n",
                DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").format(Instant.now().atOffset(ZoneOffset.UTC)), m.cpu(), m.memory(), m.os(), m.jdk(),
                load0, load1, Runtime.getRuntime().availableProcessors()));
        b.append("`./bench/scale` grows one log on embedded SQLite to each size in turn with a filler that signs hotline messages on every core "
                + "and writes them through the store's own append path, 10,000 to a transaction with their tiles and a signed checkpoint "
                + "(`LogFill`: it does not project them into the state). At each size: durable appends through the sequencer in process, "
                + "two client threads each submitting 2 batches of 512 signed messages and waiting for every answer (one round to settle, "
                + "the median of 3 measured rounds, with the slowest and fastest), after 20,000 inclusion proofs of random entries computed "
                + "from the hash tiles in the store in one read transaction, each with a new tile reader (as one request computes it), then "
                + "20,000 with one reader kept (as a proof server would keep it), 200 of each verified against the root. The sequencer "
                + "warmed up on a log of its own first.\n\n");
        b.append("![appends per second and proof p99 against the log's size](" + PLOT + ")\n\n");
        b.append("| entries | filled in | appends/s, median (slowest–fastest) | proof, new reader: p50 / p99 / max µs | proof, kept reader: p50 / p99 / max µs "
                + "| database on disk (per entry) |\n|---|---|---|---|---|---|\n");
        for (Figures f : runs) {
            b.append(row(f)).append('\n');
        }
        b.append(String.format(Locale.ROOT, "%nTargets: appends ≥ %,.0f/s in process (at any size); an inclusion proof in a 10,000,000-entry log p99 ≤ 1 ms.%n",
                APPEND_TARGET));
        return b.append('\n').append(END).append('\n').toString();
    }

    static String plot(List<Figures> runs) {
        List<ScalingPlot.Series> appends = List.of(new ScalingPlot.Series("durable appends, in process", "#1f77b4",
                ScalingPlot.points(runs, f -> f.size(), Figures::appendsPerSecond)));
        List<ScalingPlot.Series> proofs = List.of(
                new ScalingPlot.Series("new tile reader per proof", "#1f77b4", ScalingPlot.points(runs, f -> f.size(), f -> f.coldUs(0.99))),
                new ScalingPlot.Series("tile reader kept", "#ff7f0e", ScalingPlot.points(runs, f -> f.size(), f -> f.reusedUs(0.99))));
        return ScalingPlot.svg(List.of(
                new ScalingPlot.Panel("Durable appends per second", "entries in the log", appends, APPEND_TARGET, "target ≥ 15,000", true),
                new ScalingPlot.Panel("Inclusion proof p99, µs", "entries in the log", proofs, PROOF_TARGET_US, "target p99 ≤ 1 ms", false)));
    }
}
