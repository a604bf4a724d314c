package org.truce.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline of the append target: SHA-256 of a 64-byte input with the JDK's {@link MessageDigest}
 * (which uses the CPU's SHA extensions where the JIT has an intrinsic for them), in digests per
 * second. A 64-byte input and a leaf or node hash (65 bytes) both take two compression rounds, so an
 * append that costs one leaf hash and, on average, one node hash per entry could at best reach half
 * this rate; the target asks for a quarter.
 *
 * <p>Run: {@code ./bench/run Sha256Benchmark}, or after a build
 * {@code java -jar bench/target/benchmarks.jar Sha256Benchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class Sha256Benchmark {
    private MessageDigest digest;
    private final byte[] input = new byte[64];

    @Setup
    public void setup() throws NoSuchAlgorithmException {
        digest = MessageDigest.getInstance("SHA-256");
        new SplittableRandom(64).nextBytes(input);
    }

    /** One SHA-256 of 64 bytes, the way {@code Rfc9162} hashes: a fresh 32-byte result per call. */
    @Benchmark
    public byte[] sha256() {
        return digest.digest(input);
    }
}
