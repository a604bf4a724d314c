package org.truce.tlog.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Rfc9162;

/**
 * Key strings of C2SP signed-note: verifier keys ({@code vkey}) and private keys
 * ({@code PRIVATE+KEY+<name>+<hex id>+<base64(type ‖ seed)>}), with key IDs computed as
 * {@code SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]}. Supports Ed25519 note signatures (type 0x01)
 * and timestamped Ed25519 cosignatures (type 0x04, C2SP tlog-cosignature v1).
 */
public final class NoteKeys {
    /** Ed25519 signed-note signatures. */
    public static final byte TYPE_ED25519 = 0x01;
    /** Timestamped Ed25519 checkpoint cosignatures, tlog-cosignature v1. */
    public static final byte TYPE_COSIGNATURE_V1 = 0x04;

    private static final int MAX_KEY_STRING = 1024;

    private NoteKeys() {}

    /** A freshly generated key pair as its two strings. */
    public record KeyPair(String privateKey, String vkey) {
        @Override
        public String toString() {
            return "KeyPair[vkey=" + vkey + "]";
        }
    }

    /** Generates a key of {@code type} for {@code name}. */
    public static KeyPair generate(String name, byte type, SecureRandom random) {
        requireName(name);
        byte[] seed = Ed25519.newSeed(random);
        byte[] pk = Ed25519.publicKey(seed);
        int id = keyId(name, type, pk);
        String priv = "PRIVATE+KEY+" + name + "+" + hex(id) + "+" + Base64.getEncoder().encodeToString(concat(type, seed));
        return new KeyPair(priv, vkey(name, type, pk));
    }

    /** The key ID of a public key. */
    public static int keyId(String name, byte type, byte[] publicKey) {
        MessageDigest md = Rfc9162.newDigest();
        md.update(name.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(type);
        md.update(publicKey);
        byte[] h = md.digest();
        return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    }

    /** The vkey string of a public key. */
    public static String vkey(String name, byte type, byte[] publicKey) {
        return name + "+" + hex(keyId(name, type, publicKey)) + "+"
                + Base64.getEncoder().encodeToString(concat(type, publicKey));
    }

    /** Parses an untrusted vkey; the key ID MUST match the name and key. */
    public static Verifier parseVerifier(String vkey) throws FormatException {
        if (vkey.length() > MAX_KEY_STRING) {
            throw new FormatException("verifier key is longer than " + MAX_KEY_STRING + " characters");
        }
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw new FormatException("verifier key is not <name>+<key id>+<key>");
        }
        String name = parts[0];
        if (!Text.isValidName(name)) {
            throw new FormatException("verifier key name '" + name + "' is empty or has a space or +");
        }
        int id = parseKeyId(parts[1]);
        byte[] key = Text.decodeBase64(parts[2], "verifier key material");
        if (key.length == 0) {
            throw new FormatException("verifier key material is empty");
        }
        if (keyId(name, key[0], Arrays.copyOfRange(key, 1, key.length)) != id) {
            throw new FormatException("verifier key ID " + parts[1] + " does not match its name and key");
        }
        byte type = key[0];
        byte[] pk = Arrays.copyOfRange(key, 1, key.length);
        if (type != TYPE_ED25519 && type != TYPE_COSIGNATURE_V1) {
            throw new FormatException("verifier key type 0x" + HexFormat.of().toHexDigits(type) + " is not supported");
        }
        if (pk.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new FormatException("Ed25519 verifier key is " + pk.length + " bytes, not 32");
        }
        PublicPoint point = Ed25519.decode(pk);
        if (point == null) {
            throw new FormatException("verifier key is not a valid Ed25519 public key");
        }
        String canonical = vkey(name, type, pk);
        return type == TYPE_ED25519
                ? new Ed25519Verifier(name, id, point, canonical)
                : new CosignatureV1.CosignatureVerifier(name, id, point, canonical);
    }

    /** Parses a private key string into a note signer (type 0x01 only). */
    public static Signer parseSigner(String privateKey) throws FormatException {
        Parsed p = parsePrivate(privateKey);
        if (p.type != TYPE_ED25519) {
            throw new FormatException("private key type 0x" + HexFormat.of().toHexDigits(p.type)
                    + " is not an Ed25519 note key");
        }
        return new Ed25519Signer(p.name, p.id, p.seed);
    }

    /** Parses a private key string of type 0x04 into a cosigner. */
    public static CosignatureV1.Cosigner parseCosigner(String privateKey, java.time.Clock clock) throws FormatException {
        Parsed p = parsePrivate(privateKey);
        if (p.type != TYPE_COSIGNATURE_V1) {
            throw new FormatException("private key type 0x" + HexFormat.of().toHexDigits(p.type)
                    + " is not a cosignature v1 key");
        }
        return new CosignatureV1.Cosigner(p.name, p.seed, clock);
    }

    /** The vkey of a private key string. */
    public static String vkeyOf(String privateKey) throws FormatException {
        Parsed p = parsePrivate(privateKey);
        return vkey(p.name, p.type, Ed25519.publicKey(p.seed));
    }

    private record Parsed(String name, int id, byte type, byte[] seed) {}

    private static Parsed parsePrivate(String skey) throws FormatException {
        if (skey.length() > MAX_KEY_STRING) {
            throw new FormatException("private key is longer than " + MAX_KEY_STRING + " characters");
        }
        String[] parts = skey.strip().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new FormatException("private key is not PRIVATE+KEY+<name>+<key id>+<key>");
        }
        String name = parts[2];
        if (!Text.isValidName(name)) {
            throw new FormatException("private key name '" + name + "' is empty or has a space or +");
        }
        int id = parseKeyId(parts[3]);
        byte[] key = Text.decodeBase64(parts[4], "private key material");
        if (key.length != 1 + Ed25519.SEED_SIZE) {
            throw new FormatException("private key material is " + key.length + " bytes, not 33");
        }
        byte type = key[0];
        byte[] seed = Arrays.copyOfRange(key, 1, key.length);
        if (keyId(name, type, Ed25519.publicKey(seed)) != id) {
            throw new FormatException("private key ID " + parts[3] + " does not match its name and key");
        }
        return new Parsed(name, id, type, seed);
    }

    private static int parseKeyId(String hex) throws FormatException {
        // Long.parseLong would also take a sign and non-ASCII digits; a key ID is 8 ASCII hex digits.
        if (hex.length() != 8 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                || (c >= 'A' && c <= 'F'))) {
            throw new FormatException("key ID '" + hex + "' is not 8 hex digits");
        }
        return Integer.parseUnsignedInt(hex, 16);
    }

    static void requireName(String name) {
        if (!Text.isValidName(name)) {
            throw new IllegalArgumentException("key name '" + name + "' is empty or has a space or +");
        }
    }

    static String hex(int id) {
        return HexFormat.of().toHexDigits(id);
    }

    private static byte[] concat(byte type, byte[] key) {
        byte[] out = new byte[1 + key.length];
        out[0] = type;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    /** Ed25519 note signatures, type 0x01. */
    static final class Ed25519Signer implements Signer {
        private final String name;
        private final int id;
        private final byte[] seed;
        private final byte[] publicKey;

        Ed25519Signer(String name, int id, byte[] seed) {
            this.name = name;
            this.id = id;
            this.seed = seed.clone();
            this.publicKey = Ed25519.publicKey(seed);
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
            return Ed25519.sign(seed, publicKey, text);
        }

        @Override
        public Verifier verifier() {
            return new Ed25519Verifier(name, id, Ed25519.decode(publicKey), vkey(name, TYPE_ED25519, publicKey));
        }

        @Override
        public String toString() {
            return "Ed25519Signer[" + name + "+" + hex(id) + "]";
        }
    }

    /** Ed25519 note signature verification, type 0x01. */
    static final class Ed25519Verifier extends PublicKeyVerifier {
        Ed25519Verifier(String name, int id, PublicPoint key, String vkey) {
            super(name, id, key, vkey);
        }

        @Override
        public boolean verify(byte[] text, byte[] signature) {
            return Ed25519.verify(key, signature, 0, text);
        }
    }
}
