package org.truce.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.truce.tlog.append.Appender;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.tiles.TileBuilder;
import org.truce.tlog.tiles.TileStorage;

/**
 * Appending 64-byte entries to an in-memory log ({@link TileStorage#inMemory()}), in entries per
 * second. Target: {@link Appender#append} with tile updates reaches at least 0.25 × the
 * {@link Sha256Benchmark} rate measured in the same run.
 *
 * <ul>
 *   <li>{@code append256}, {@code append1024}, {@code append4096}: {@link Appender#append} of a
 *       batch of 256, 1,024 or 4,096 entries: leaf and node hashes, full and partial tiles, entry
 *       bundles, the consistency check of the new tree against the last checkpoint from the stored
 *       tiles, and one signed checkpoint per batch. The batch size is a method rather than a {@code @Param} because
 *       {@code @OperationsPerInvocation} must be a constant, and that is what makes JMH report
 *       entries rather than batches per second.
 *   <li>{@code tileBuilderAdd}: {@link TileBuilder#add} of one entry, its full tiles and bundles
 *       written to the same kind of storage, with no partial tiles, consistency check or signing:
 *       the part of an append that grows with the number of entries.
 * </ul>
 *
 * <p>Each iteration starts from an empty log, and the log starts again empty whenever it reaches
 * {@value #MAX_LOG} entries (about 100 bytes each in memory, so under 500 MB held), which costs one
 * more signature every few million entries. The heap is fixed and touched before the run
 * ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}): without that, first-touch page faults on fresh heap
 * memory, which are slow on a virtual machine, dominate the first iterations.
 *
 * <p>Run: {@code ./bench/run AppendBenchmark}, or after a build
 * {@code java -jar bench/target/benchmarks.jar AppendBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class AppendBenchmark {
    static final int ENTRY_SIZE = 64;
    /** The most entries one in-memory log grows to before the benchmark starts a new one. */
    static final long MAX_LOG = 1L << 22;

    private Fixtures fixtures;
    private List<byte[]> batch256;
    private List<byte[]> batch1024;
    private List<byte[]> batch4096;
    private byte[][] entries;
    private int next;

    private TileStorage storage;
    private Appender appender;
    private TileBuilder builder;
    private TileBuilder.Sink sink;

    @Setup(Level.Trial)
    public void entries() {
        fixtures = Fixtures.create();
        SplittableRandom random = new SplittableRandom(4096);
        entries = new byte[4096][];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new byte[ENTRY_SIZE];
            random.nextBytes(entries[i]);
        }
        batch4096 = List.of(entries);
        batch256 = new ArrayList<>(List.of(entries).subList(0, 256));
        batch1024 = new ArrayList<>(List.of(entries).subList(0, 1024));
    }

    @Setup(Level.Iteration)
    public void emptyLog() {
        storage = TileStorage.inMemory();
        appender = Appender.open(storage, fixtures.signer);
        builder = TileBuilder.empty(true);
        TileStorage s = storage;
        sink = (path, data) -> s.write(path.path(), data);
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public Appender.Result append256() {
        if (appender.checkpoint().checkpoint().size() >= MAX_LOG) {
            emptyLog();
        }
        return appender.append(batch256);
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public Appender.Result append1024() {
        if (appender.checkpoint().checkpoint().size() >= MAX_LOG) {
            emptyLog();
        }
        return appender.append(batch1024);
    }

    @Benchmark
    @OperationsPerInvocation(4096)
    public Appender.Result append4096() {
        if (appender.checkpoint().checkpoint().size() >= MAX_LOG) {
            emptyLog();
        }
        return appender.append(batch4096);
    }

    @Benchmark
    public Hash tileBuilderAdd() {
        if (builder.size() >= MAX_LOG) {
            emptyLog();
        }
        byte[] e = entries[next];
        next = (next + 1) & (entries.length - 1);
        return builder.add(e, sink);
    }
}
