package org.truce.tlog.merkle;

import java.util.Arrays;

/**
 * The right frontier of an append-only Merkle tree: one perfect-subtree hash per set bit of the size,
 * highest first. Appending a leaf costs O(log n) node hashes at worst and one on average. Not
 * thread-safe.
 */
public final class CompactRange {
    /** Receives every node an append completes, from the leaf up. */
    @FunctionalInterface
    public interface NodeSink {
        void completed(int height, long index, Hash hash);
    }

    private Hash[] hashes = new Hash[64];
    private int count;
    private long size;

    /** An empty range. */
    public CompactRange() {}

    /**
     * The range of a tree of {@code size} leaves, read from the perfect subtrees a reader supplies:
     * one read per set bit of the size.
     */
    public static CompactRange of(NodeReader reader, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        CompactRange r = new CompactRange();
        long lo = 0;
        for (int h = 63; h >= 0; h--) {
            if ((size & (1L << h)) != 0) {
                r.hashes[r.count++] = reader.node(h, lo >>> h);
                lo += 1L << h;
            }
        }
        r.size = size;
        return r;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash, reporting to {@code sink} the leaf and every node it completes. */
    public void append(Hash leafHash, NodeSink sink) {
        long index = size;
        sink.completed(0, index, leafHash);
        Hash acc = leafHash;
        int height = 0;
        // Each trailing one bit of the old size is a perfect subtree of that height waiting for a sibling.
        while (((index >>> height) & 1) == 1) {
            acc = Rfc9162.nodeHash(hashes[--count], acc);
            height++;
            sink.completed(height, index >>> height, acc);
        }
        hashes[count++] = acc;
        size++;
    }

    /** Appends a leaf hash without reporting the completed nodes. */
    public void append(Hash leafHash) {
        append(leafHash, (h, i, x) -> { });
    }

    /** The root hash of the tree this range covers. */
    public Hash root() {
        if (count == 0) {
            return Rfc9162.EMPTY_ROOT;
        }
        Hash acc = hashes[count - 1];
        for (int i = count - 2; i >= 0; i--) {
            acc = Rfc9162.nodeHash(hashes[i], acc);
        }
        return acc;
    }

    /** An independent copy. */
    public CompactRange copy() {
        CompactRange c = new CompactRange();
        c.hashes = Arrays.copyOf(hashes, hashes.length);
        c.count = count;
        c.size = size;
        return c;
    }
}
