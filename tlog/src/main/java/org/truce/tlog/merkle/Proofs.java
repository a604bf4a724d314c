package org.truce.tlog.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Computes roots and RFC 9162 §2.1.3.1 inclusion and §2.1.4.1 consistency proofs from the perfect
 * subtrees a {@link NodeReader} supplies. Stateless and thread-safe.
 */
public final class Proofs {
    private Proofs() {}

    /** The root hash of the tree of {@code size} leaves. */
    public static Hash root(NodeReader reader, long size) {
        checkSize(size);
        return size == 0 ? Rfc9162.EMPTY_ROOT : rangeHash(reader, 0, size);
    }

    /** The audit path of leaf {@code index} in the tree of {@code size} leaves, leaf to root. */
    public static List<Hash> inclusion(NodeReader reader, long index, long size) {
        checkSize(size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + size);
        }
        List<Hash> out = new ArrayList<>(64 - Long.numberOfLeadingZeros(size));
        path(reader, index, 0, size, out);
        return out;
    }

    /** The consistency proof between the trees of {@code size1} and {@code size2} leaves. */
    public static List<Hash> consistency(NodeReader reader, long size1, long size2) {
        checkSize(size1);
        checkSize(size2);
        if (size1 > size2) {
            throw new IllegalArgumentException("size1 " + size1 + " > size2 " + size2);
        }
        List<Hash> out = new ArrayList<>();
        if (size1 == 0 || size1 == size2) {
            return out;
        }
        subproof(reader, size1, 0, size2, true, out);
        return out;
    }

    /**
     * MTH(D[lo:hi]) for a range that starts a left-balanced subtree: the greedy split into perfect
     * subtrees, folded from the right.
     */
    static Hash rangeHash(NodeReader reader, long lo, long hi) {
        Hash[] parts = new Hash[64];
        int n = 0;
        while (lo < hi) {
            int h = 63 - Long.numberOfLeadingZeros(hi - lo);
            if (lo != 0) {
                h = Math.min(h, Long.numberOfTrailingZeros(lo));
            }
            parts[n++] = reader.node(h, lo >>> h);
            lo += 1L << h;
        }
        Hash acc = parts[--n];
        while (n > 0) {
            acc = Rfc9162.nodeHash(parts[--n], acc);
        }
        return acc;
    }

    private static void path(NodeReader reader, long m, long lo, long hi, List<Hash> out) {
        long n = hi - lo;
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < lo + k) {
            path(reader, m, lo, lo + k, out);
            out.add(rangeHash(reader, lo + k, hi));
        } else {
            path(reader, m, lo + k, hi, out);
            out.add(rangeHash(reader, lo, lo + k));
        }
    }

    private static void subproof(NodeReader reader, long m, long lo, long hi, boolean whole, List<Hash> out) {
        long n = hi - lo;
        if (m == n) {
            if (!whole) {
                out.add(rangeHash(reader, lo, hi));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(reader, m, lo, lo + k, whole, out);
            out.add(rangeHash(reader, lo + k, hi));
        } else {
            subproof(reader, m - k, lo + k, hi, false, out);
            out.add(rangeHash(reader, lo, lo + k));
        }
    }

    /** The largest power of two strictly less than {@code n}, for {@code n ≥ 2}. */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
    }
}
