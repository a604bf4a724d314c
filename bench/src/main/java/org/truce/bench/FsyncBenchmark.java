package org.truce.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The disk's baseline for durable appends: how many times a second one 4 KiB page can be written and
 * made durable ({@link FileChannel#force} without metadata, that is {@code fdatasync}) in the
 * directory where the other benchmarks keep their SQLite logs. A commit with {@code synchronous=FULL}
 * in WAL mode writes its pages to the write-ahead log and syncs it at least once, so this rate bounds
 * the commits a second of one writer, and the sequencer's rate of entries is at most this many
 * batches a second times the batch. The file is written once and synced before the measurement, and
 * the page moves through it as SQLite's log is rewritten from its start after each checkpoint, so
 * every sync is of data alone, not of a growing file.
 *
 * <p>Run: {@code ./bench/run Fsync}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class FsyncBenchmark {
    /** Pages in the file the writes go round: 4 MiB, the size SQLite's write-ahead log reaches between checkpoints. */
    static final int PAGES = 1024;
    static final int PAGE = 4096;

    private Path dir;
    private FileChannel file;
    private final ByteBuffer page = ByteBuffer.allocateDirect(PAGE);
    private long next;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("truce-bench-fsync-");
        file = FileChannel.open(dir.resolve("wal"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        byte[] bytes = new byte[PAGE];
        new SplittableRandom(4096).nextBytes(bytes);
        page.put(bytes).flip();
        for (int i = 0; i < PAGES; i++) {
            file.write(page.duplicate(), (long) i * PAGE);
        }
        file.force(true);
    }

    @TearDown
    public void close() throws IOException {
        file.close();
        Host.deleteTree(dir);
    }

    /** One page written in place and synced. */
    @Benchmark
    public int writeAndSync() throws IOException {
        int n = file.write(page.duplicate(), (next++ % PAGES) * PAGE);
        file.force(false);
        return n;
    }
}
