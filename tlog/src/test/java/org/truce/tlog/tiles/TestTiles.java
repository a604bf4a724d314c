package org.truce.tlog.tiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.NodeReader;

/** Test helpers that lay out the hash tiles of a tree independently of {@link TileBuilder}. */
public final class TestTiles {
    private TestTiles() {}

    /**
     * The number of nodes at tile level {@code level} (tree height 8·level) in a tree of
     * {@code size} leaves. Shifts of 64 bits or more are zero here; Java would wrap them.
     */
    public static long nodesAtLevel(long size, int level) {
        int shift = TilePath.HEIGHT * level;
        return shift >= Long.SIZE ? 0 : size >>> shift;
    }

    /**
     * Every hash tile a log of {@code size} leaves publishes: for each level with nodes, the full
     * tiles and the partial one, named by {@link TilePath#hashesAt}.
     */
    public static List<TilePath> hashTilePaths(long size) {
        List<TilePath> out = new ArrayList<>();
        for (int level = 0; level <= TilePath.MAX_LEVEL; level++) {
            long nodes = nodesAtLevel(size, level);
            if (nodes == 0) {
                break;
            }
            long tiles = (nodes + TilePath.WIDTH - 1) / TilePath.WIDTH;
            for (long n = 0; n < tiles; n++) {
                out.add(TilePath.hashesAt(level, n, size));
            }
        }
        return out;
    }

    /**
     * The content of every hash tile of a tree of {@code size} leaves read from {@code tree}: hash
     * {@code i} of tile {@code N} at level {@code L} is the node at height 8·L, index 256·N + i.
     */
    public static Map<TilePath, byte[]> hashTiles(NodeReader tree, long size) {
        Map<TilePath, byte[]> out = new LinkedHashMap<>();
        for (TilePath p : hashTilePaths(size)) {
            byte[] data = new byte[p.width() * Hash.SIZE];
            for (int i = 0; i < p.width(); i++) {
                tree.node(TilePath.HEIGHT * p.level(), p.index() * TilePath.WIDTH + i).copyTo(data, i * Hash.SIZE);
            }
            out.put(p, data);
        }
        return out;
    }

    /** Writes the hash tiles of a tree of {@code size} leaves into {@code storage} under their paths. */
    public static void writeHashTiles(NodeReader tree, long size, TileStorage storage) {
        hashTiles(tree, size).forEach((p, data) -> storage.write(p.path(), data));
    }
}
