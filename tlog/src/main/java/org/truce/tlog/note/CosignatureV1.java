package org.truce.tlog.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;

/**
 * C2SP tlog-cosignature v1 with Ed25519 (signature type 0x04): the signature is
 * {@code u64 timestamp ‖ Ed25519(key, "cosignature/v1\ntime <timestamp>\n" ‖ checkpoint text)}.
 */
public final class CosignatureV1 {
    /** Length of a cosignature after the key ID: an 8-byte timestamp and a 64-byte signature. */
    public static final int SIZE = 8 + Ed25519.SIGNATURE_SIZE;

    private CosignatureV1() {}

    /** The message a cosigner signs at {@code timestamp} over the checkpoint note text. */
    public static byte[] message(long timestamp, byte[] checkpointText) {
        byte[] header = ("cosignature/v1\ntime " + Long.toUnsignedString(timestamp) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] msg = Arrays.copyOf(header, header.length + checkpointText.length);
        System.arraycopy(checkpointText, 0, msg, header.length, checkpointText.length);
        return msg;
    }

    /** The timestamp of a cosignature, or -1 if it is not the length of a v1 cosignature. */
    public static long timestamp(NoteSignature s) {
        byte[] sig = s.signature();
        return sig.length == SIZE ? ByteBuffer.wrap(sig).getLong() : -1;
    }

    /** Generates a cosigner key pair: the private key and the type-0x04 vkey. */
    public static NoteKeys.KeyPair generate(String name, java.security.SecureRandom random) {
        return NoteKeys.generate(name, NoteKeys.TYPE_COSIGNATURE_V1, random);
    }

    /** A cosigner: signs with the time from its clock, in whole seconds. Thread-safe. */
    public static final class Cosigner implements Signer {
        private final String name;
        private final int id;
        private final byte[] seed;
        private final byte[] publicKey;
        private final Clock clock;

        Cosigner(String name, byte[] seed, Clock clock) {
            this.name = name;
            this.seed = seed.clone();
            this.publicKey = Ed25519.publicKey(seed);
            this.id = NoteKeys.keyId(name, NoteKeys.TYPE_COSIGNATURE_V1, publicKey);
            this.clock = clock;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int keyId() {
            return id;
        }

        @Override
        public byte[] sign(byte[] text) {
            return sign(text, clock.instant().getEpochSecond());
        }

        /** Cosigns at a given POSIX timestamp. */
        public byte[] sign(byte[] text, long timestamp) {
            if (timestamp < 0) {
                throw new IllegalArgumentException("negative timestamp " + timestamp);
            }
            byte[] sig = Ed25519.sign(seed, publicKey, message(timestamp, text));
            return ByteBuffer.allocate(SIZE).putLong(timestamp).put(sig).array();
        }

        @Override
        public Verifier verifier() {
            return new CosignatureVerifier(name, id, Ed25519.decode(publicKey), vkey());
        }

        public String vkey() {
            return NoteKeys.vkey(name, NoteKeys.TYPE_COSIGNATURE_V1, publicKey);
        }
    }

    /** Verifies v1 cosignatures of one cosigner. Thread-safe. */
    static final class CosignatureVerifier extends PublicKeyVerifier {
        CosignatureVerifier(String name, int id, PublicPoint key, String vkey) {
            super(name, id, key, vkey);
        }

        @Override
        public boolean verify(byte[] text, byte[] signature) {
            if (signature.length != SIZE) {
                return false;
            }
            long ts = ByteBuffer.wrap(signature).getLong();
            if (ts < 0) {
                return false;
            }
            return Ed25519.verify(key, signature, 8, message(ts, text));
        }
    }
}
