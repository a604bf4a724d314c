package org.truce.tlog.merkle;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;

/**
 * A SHA-256 value: a leaf hash, a node hash or a tree root. Immutable; compares by content.
 */
public final class Hash implements Comparable<Hash> {
    /** The length of every hash in the log, in bytes. */
    public static final int SIZE = 32;

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies a 32-byte array into a hash; any other length is a programming error. */
    public static Hash of(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("a hash is " + SIZE + " bytes, not " + bytes.length);
        }
        return new Hash(bytes.clone());
    }

    /** Copies 32 bytes starting at {@code offset}. */
    public static Hash of(byte[] src, int offset) {
        return new Hash(Arrays.copyOfRange(src, offset, offset + SIZE));
    }

    /** Takes ownership of a freshly computed array without copying it. */
    static Hash wrap(byte[] bytes) {
        return new Hash(bytes);
    }

    /**
     * Parses an untrusted base64 (RFC 4648 §4) hash, rejecting any other length than 32 bytes and
     * any encoding but the canonical padded one, so that one hash has exactly one text form.
     *
     * @param what names the field in the error message, e.g. "root hash"
     */
    public static Hash fromBase64(String text, String what) throws FormatException {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new FormatException(what + " is not valid base64");
        }
        if (decoded.length != SIZE) {
            throw new FormatException(what + " is " + decoded.length + " bytes, not " + SIZE);
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
            throw new FormatException(what + " is not canonical padded base64");
        }
        return new Hash(decoded);
    }

    /** Parses a 64-character lowercase or uppercase hex string. */
    public static Hash fromHex(String hex) throws FormatException {
        if (hex.length() != 2 * SIZE) {
            throw new FormatException("hex hash is " + hex.length() + " characters, not " + 2 * SIZE);
        }
        try {
            return new Hash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new FormatException("hex hash has a character that is not a hex digit");
        }
    }

    /** The backing array, for hashing inside this package only; callers MUST NOT modify it. */
    byte[] bytesUnsafe() {
        return bytes;
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, SIZE);
    }

    /** Whether the 32 bytes at {@code offset} of {@code other} equal this hash, in constant time. */
    public boolean equalsAt(byte[] other, int offset) {
        if (offset < 0 || other.length - offset < SIZE) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < SIZE; i++) {
            diff |= bytes[i] ^ other[offset + i];
        }
        return diff == 0;
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return base64();
    }
}
