package org.truce.tlog.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only Merkle tree held in memory with every perfect subtree hash, for tests and small
 * logs: roots and proofs at any size up to the current one. Not thread-safe.
 */
public final class MemoryTree implements NodeReader {
    private final List<List<Hash>> levels = new ArrayList<>();
    private final CompactRange range = new CompactRange();

    /** Appends an entry and returns its leaf index. */
    public long appendEntry(byte[] entry) {
        return appendLeafHash(Rfc9162.leafHash(entry));
    }

    /** Appends a leaf hash and returns its index. */
    public long appendLeafHash(Hash leafHash) {
        long index = range.size();
        range.append(leafHash, (height, i, hash) -> {
            if (levels.size() == height) {
                levels.add(new ArrayList<>());
            }
            levels.get(height).add(hash);
        });
        return index;
    }

    public long size() {
        return range.size();
    }

    public Hash root() {
        return range.root();
    }

    public Hash root(long size) {
        checkSize(size);
        return Proofs.root(this, size);
    }

    public List<Hash> inclusion(long index, long size) {
        checkSize(size);
        return Proofs.inclusion(this, index, size);
    }

    public List<Hash> consistency(long size1, long size2) {
        checkSize(size2);
        return Proofs.consistency(this, size1, size2);
    }

    @Override
    public Hash node(int height, long index) {
        if (height >= levels.size() || index >= levels.get(height).size()) {
            throw new IllegalArgumentException("node " + height + "/" + index + " is not complete");
        }
        return levels.get(height).get((int) index);
    }

    private void checkSize(long size) {
        if (size > range.size()) {
            throw new IllegalArgumentException("tree size " + size + " is beyond " + range.size());
        }
    }
}
