package org.truce.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.SplittableRandom;
import org.truce.tlog.FormatException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifier;

/**
 * A fixed log key and signed checkpoint shared by the benchmarks, derived from a constant seed so
 * that every run signs and verifies the same bytes.
 */
final class Fixtures {
    static final String ORIGIN = "bench.truce.example/log";

    /** The raw Ed25519 private key seed and public key behind {@link #signer}. */
    final byte[] seed;
    final byte[] publicKey;
    final Signer signer;
    final Verifier verifier;
    /** A checkpoint of a 10,000,000-entry log, its signed note, and the note's text bytes. */
    final Checkpoint checkpoint;
    final SignedNote note;
    final byte[] noteBytes;
    final byte[] text;
    /** The raw 64-byte Ed25519 signature in {@link #note}. */
    final byte[] signature;

    private Fixtures() {
        seed = new byte[32];
        new SplittableRandom(0x7255CE).nextBytes(seed);
        publicKey = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        int id = NoteKeys.keyId(ORIGIN, NoteKeys.TYPE_ED25519, publicKey);
        byte[] material = new byte[33];
        material[0] = NoteKeys.TYPE_ED25519;
        System.arraycopy(seed, 0, material, 1, 32);
        String privateKey = "PRIVATE+KEY+" + ORIGIN + "+" + String.format("%08x", id) + "+"
                + Base64.getEncoder().encodeToString(material);
        try {
            signer = NoteKeys.parseSigner(privateKey);
        } catch (FormatException e) {
            throw new IllegalStateException(e);
        }
        verifier = signer.verifier();
        checkpoint = new Checkpoint(ORIGIN, 10_000_000L, Rfc9162.leafHash(counter(10_000_000L)));
        note = SignedNote.sign(checkpoint.text(), signer);
        noteBytes = note.encode();
        text = note.textBytes();
        signature = note.signatures().get(0).signature();
    }

    static Fixtures create() {
        return new Fixtures();
    }

    /** An 8-byte big-endian counter, the entry format of the large benchmark logs. */
    static byte[] counter(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }
}
