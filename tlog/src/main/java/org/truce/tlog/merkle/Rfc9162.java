package org.truce.tlog.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of RFC 9162 §2.1.1: {@code leaf = SHA-256(0x00 ‖ d)}, {@code node = SHA-256(0x01 ‖ l ‖ r)},
 * and the root of the empty tree, {@code SHA-256("")}. Thread-safe: each thread uses its own digest.
 */
public final class Rfc9162 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Rfc9162::newDigest);
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    /** The root hash of the tree of size 0. */
    public static final Hash EMPTY_ROOT = Hash.wrap(newDigest().digest());

    private Rfc9162() {}

    /** A new SHA-256 digest; the JDK's uses the CPU's SHA extensions where present. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** The leaf hash of an entry. */
    public static Hash leafHash(byte[] entry) {
        return leafHash(entry, 0, entry.length);
    }

    /** The leaf hash of {@code len} bytes of {@code entry} starting at {@code off}. */
    public static Hash leafHash(byte[] entry, int off, int len) {
        MessageDigest md = DIGEST.get();
        md.update(LEAF_PREFIX);
        md.update(entry, off, len);
        return Hash.wrap(md.digest());
    }

    /** The hash of an interior node with children {@code left} and {@code right}. */
    public static Hash nodeHash(Hash left, Hash right) {
        MessageDigest md = DIGEST.get();
        md.update(NODE_PREFIX);
        md.update(left.bytesUnsafe());
        md.update(right.bytesUnsafe());
        return Hash.wrap(md.digest());
    }

    /**
     * Hashes the two 32-byte children at {@code lOff} of {@code l} and {@code rOff} of {@code r} into
     * {@code out} at {@code outOff}: the allocation-free form used when expanding tiles.
     */
    public static void nodeHash(byte[] l, int lOff, byte[] r, int rOff, byte[] out, int outOff) {
        MessageDigest md = DIGEST.get();
        md.update(NODE_PREFIX);
        md.update(l, lOff, Hash.SIZE);
        md.update(r, rOff, Hash.SIZE);
        try {
            md.digest(out, outOff, Hash.SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalArgumentException("output buffer too small", e);
        }
    }
}
