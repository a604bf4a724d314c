package org.truce.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.server.sequencer.Receipt;

/**
 * Durable appends of signed entries through the sequencer, in process, in entries per second. Two
 * client threads (one per core) each submit a batch of {@value #BATCH} signed hotline messages under
 * their own key and wait until every one is answered, which the sequencer does only once the entry
 * is committed to SQLite with {@code synchronous=FULL} and covered by a signed checkpoint. The
 * measured path is the whole of it: parsing is done, but each submission's schema check, body
 * digest and Ed25519 signature verification (on the client's thread, so in parallel), the batched
 * sequencing with the state rules, tiles, bodies and state changes in one transaction, and a
 * checkpoint signed per batch. Signing the entries is not measured: each batch is signed in an
 * invocation-level setup.
 *
 * <p>Target: at least 15,000 entries/s, and at least 0.4 × the Ed25519 verify rate on all cores
 * ({@code Ed25519Benchmark.noteVerify_2threads}) measured in the same run.
 *
 * <p>Run: {@code ./bench/run Sequencer Ed25519}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class SequencerBenchmark {
    static final int BATCH = 512;

    LogUnderLoad log;

    @Setup(Level.Trial)
    public void start() {
        log = new LogUnderLoad();
    }

    @TearDown(Level.Trial)
    public void stop() {
        log.close();
    }

    /** One client: its key, its next seq, and the batch it sends next. */
    @State(Scope.Thread)
    public static class Client {
        EntrySigner key;
        long seq = 1;
        List<Submission> batch;

        @Setup(Level.Trial)
        public void register(SequencerBenchmark b) {
            key = b.log.newParty();
        }

        @Setup(Level.Invocation)
        public void sign() {
            batch = LogUnderLoad.messages(key, seq, BATCH);
            seq += BATCH;
        }
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public long appendInProcess(Client c) throws EntryException {
        List<CompletableFuture<Receipt>> answers = new ArrayList<>(BATCH);
        for (Submission s : c.batch) {
            answers.add(log.node.sequencer().submit(s));
        }
        long last = 0;
        for (CompletableFuture<Receipt> a : answers) {
            last = a.join().index();
        }
        return last;
    }
}
