package org.truce.tlog.merkle;

/**
 * Reads the hash of a perfect subtree: the node at {@code height} covering leaves
 * {@code [index·2^height, (index+1)·2^height)}. Height 0 is a leaf hash.
 *
 * <p>Implementations MUST only be asked for nodes that are complete at the tree size they serve, and
 * SHOULD throw {@link org.truce.tlog.TlogException} when a node cannot be read.
 */
@FunctionalInterface
public interface NodeReader {
    Hash node(int height, long index);
}
