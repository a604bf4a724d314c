package org.truce.bench;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.truce.tlog.VerificationException;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifiers;

/**
 * Ed25519 signature verification rates, in verifications per second, of one checkpoint note's
 * signature (a 78-byte message): the baseline figures later issues compare against.
 *
 * <ul>
 *   <li>{@code noteVerify}: {@link SignedNote#verify} with our {@code org.truce.tlog.note} verifier,
 *       which holds the public key decoded once (BouncyCastle {@code PublicPoint}).
 *   <li>{@code bcRaw}: BouncyCastle's {@code Ed25519.verify} taking the 32-byte public key, which it
 *       decodes on every call; {@code bcRawPublicPoint}: the same with the key decoded once.
 *   <li>{@code jdk}: the JDK's own provider, {@code Signature.getInstance("Ed25519")}.
 *   <li>the {@code _2threads} variants run two threads (this machine's two cores) and report their
 *       sum.
 * </ul>
 *
 * <p>Run: {@code ./bench/run Ed25519Benchmark}, or after a build
 * {@code java -jar bench/target/benchmarks.jar Ed25519Benchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class Ed25519Benchmark {
    /** The X.509 SubjectPublicKeyInfo prefix of a raw Ed25519 public key (RFC 8410). */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** The key, note and signature; immutable, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Keys {
        Fixtures f;
        Verifiers known;
        Ed25519.PublicPoint point;
        PublicKey jdkKey;

        @Setup
        public void setup() throws GeneralSecurityException, VerificationException {
            f = Fixtures.create();
            known = Verifiers.of(f.verifier);
            point = Ed25519.validatePublicKeyPartialExport(f.publicKey, 0);
            byte[] spki = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, spki, 0, X509_PREFIX.length);
            System.arraycopy(f.publicKey, 0, spki, X509_PREFIX.length, 32);
            jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            f.note.verify(known);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(jdkKey);
            s.update(f.text);
            if (!s.verify(f.signature) || !Ed25519.verify(f.signature, 0, f.publicKey, 0, f.text, 0, f.text.length)) {
                throw new IllegalStateException("the fixture's signature does not verify");
            }
        }
    }

    /** A JDK {@link Signature} per thread: the object is not thread-safe. */
    @State(Scope.Thread)
    public static class Jdk {
        Signature signature;

        @Setup
        public void setup() throws GeneralSecurityException {
            signature = Signature.getInstance("Ed25519");
        }
    }

    @Benchmark
    public SignedNote.Verified noteVerify(Keys k) throws VerificationException {
        return k.f.note.verify(k.known);
    }

    @Benchmark
    @Threads(2)
    public SignedNote.Verified noteVerify_2threads(Keys k) throws VerificationException {
        return k.f.note.verify(k.known);
    }

    @Benchmark
    public boolean bcRaw(Keys k) {
        return Ed25519.verify(k.f.signature, 0, k.f.publicKey, 0, k.f.text, 0, k.f.text.length);
    }

    @Benchmark
    @Threads(2)
    public boolean bcRaw_2threads(Keys k) {
        return Ed25519.verify(k.f.signature, 0, k.f.publicKey, 0, k.f.text, 0, k.f.text.length);
    }

    @Benchmark
    public boolean bcRawPublicPoint(Keys k) {
        return Ed25519.verify(k.f.signature, 0, k.point, k.f.text, 0, k.f.text.length);
    }

    @Benchmark
    public boolean jdk(Keys k, Jdk j) throws GeneralSecurityException {
        j.signature.initVerify(k.jdkKey);
        j.signature.update(k.f.text);
        return j.signature.verify(k.f.signature);
    }

    @Benchmark
    @Threads(2)
    public boolean jdk_2threads(Keys k, Jdk j) throws GeneralSecurityException {
        j.signature.initVerify(k.jdkKey);
        j.signature.update(k.f.text);
        return j.signature.verify(k.f.signature);
    }
}
