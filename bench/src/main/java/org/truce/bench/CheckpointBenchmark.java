package org.truce.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.SignedNote;

/**
 * Signed checkpoints, in operations per second.
 *
 * <ul>
 *   <li>{@code openCheckpoint}: {@link Checkpoint#open} of a signed checkpoint note as bytes: parse
 *       the note, verify its Ed25519 signature with the log key, parse the checkpoint body.
 *   <li>{@code parseOnly}: the same without the signature check, to show what parsing costs.
 *   <li>{@code sign}: sign a checkpoint's text with the log key and encode the note, as the appender
 *       does once per batch.
 * </ul>
 *
 * <p>Run: {@code ./bench/run CheckpointBenchmark}, or after a build
 * {@code java -jar bench/target/benchmarks.jar CheckpointBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CheckpointBenchmark {
    private Fixtures f;

    @Setup
    public void setup() {
        f = Fixtures.create();
    }

    @Benchmark
    public Checkpoint.Signed openCheckpoint() throws FormatException, VerificationException {
        return Checkpoint.open(f.noteBytes, f.verifier);
    }

    @Benchmark
    public Checkpoint parseOnly() throws FormatException {
        return Checkpoint.parse(SignedNote.parse(f.noteBytes).text());
    }

    @Benchmark
    public byte[] sign() {
        return SignedNote.sign(f.checkpoint.text(), f.signer).encode();
    }
}
