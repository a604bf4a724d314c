package org.truce.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.truce.tlog.VerificationException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.tiles.TileBuilder;
import org.truce.tlog.tiles.TileNodeReader;
import org.truce.tlog.tiles.TileStorage;

/**
 * Inclusion proofs computed from hash tiles alone, {@code Proofs.inclusion(new TileNodeReader(storage,
 * size), index, size)}, for uniformly random leaves of a 10,000,000-entry log in
 * {@link TileStorage#inMemory()}. Target: at most 20 µs per proof on average.
 *
 * <ul>
 *   <li>{@code proof}: the average time with one {@link TileNodeReader} reused across proofs, as a
 *       proof server holds it: its cache of per-tile summaries (about 1 KiB per tile, 40 MB for this
 *       log) fills during warmup.
 *   <li>{@code proofSample}: the same, sampled per call, for the p99.
 *   <li>{@code proofCold}: a new reader per proof, so every tile is read and summarised afresh.
 * </ul>
 *
 * <p>The log (entries are 8-byte counters, hash tiles only, no entry bundles: proofs never read them)
 * is built once per trial with a {@link TileBuilder}, with progress on stderr: about 20 million
 * SHA-256 and 40,000 tile writes. It holds about 330 MB of tiles; the setup prints the heap in use
 * once built. Each fork runs with a fixed heap touched before the run
 * ({@code -Xms4g -Xmx4g -XX:+AlwaysPreTouch}): without it, first-touch page faults on fresh heap
 * memory (slow on a virtual machine) more than double the time per proof. A smaller log for a quick
 * run: {@code -p size=1000000}.
 *
 * <p>Run: {@code ./bench/run InclusionProofBenchmark}, or after a build
 * {@code java -jar bench/target/benchmarks.jar InclusionProofBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class InclusionProofBenchmark {

    /** The log in memory and the long-lived reader over it; shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class Log {
        @Param("10000000")
        public long size;

        TileStorage storage;
        TileNodeReader reader;
        Hash root;

        @Setup(Level.Trial)
        public void build() throws VerificationException {
            long start = System.nanoTime();
            storage = TileStorage.inMemory();
            TileStorage s = storage;
            TileBuilder.Sink sink = (path, data) -> s.write(path.path(), data);
            TileBuilder builder = TileBuilder.empty(false);
            byte[] entry = new byte[8];
            long step = Math.max(1, size / 10);
            for (long i = 0; i < size; i++) {
                for (int b = 0; b < 8; b++) {
                    entry[b] = (byte) (i >>> (56 - 8 * b));
                }
                builder.add(entry, sink);
                if ((i + 1) % step == 0) {
                    System.err.printf("building the log: %,d of %,d entries, %.1f s%n",
                            i + 1, size, (System.nanoTime() - start) / 1e9);
                }
            }
            builder.flushPartials(sink);
            root = builder.root();
            reader = new TileNodeReader(storage, size);

            Hash fromTiles = Proofs.root(reader, size);
            if (!fromTiles.equals(root)) {
                throw new IllegalStateException("the tiles lead to " + fromTiles + ", not " + root);
            }
            long last = size - 1;
            ProofVerifier.verifyInclusion(last, size, Rfc9162.leafHash(Fixtures.counter(last)),
                    Proofs.inclusion(reader, last, size), root);

            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.err.printf("built a %,d-entry log in %.1f s; heap in use %,d MiB of %,d MiB max%n",
                    size, (System.nanoTime() - start) / 1e9,
                    (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
        }
    }

    /** Each thread's own random leaf indexes. */
    @State(Scope.Thread)
    public static class Indexes {
        private final SplittableRandom random = new SplittableRandom(20);

        long next(long size) {
            return random.nextLong(size);
        }
    }

    @Benchmark
    public List<Hash> proof(Log log, Indexes indexes) {
        return Proofs.inclusion(log.reader, indexes.next(log.size), log.size);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public List<Hash> proofSample(Log log, Indexes indexes) {
        return Proofs.inclusion(log.reader, indexes.next(log.size), log.size);
    }

    @Benchmark
    public List<Hash> proofCold(Log log, Indexes indexes) {
        return Proofs.inclusion(new TileNodeReader(log.storage, log.size), indexes.next(log.size), log.size);
    }
}
