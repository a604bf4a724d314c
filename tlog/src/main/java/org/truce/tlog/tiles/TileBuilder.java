package org.truce.tlog.tiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.merkle.CompactRange;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;

/**
 * Grows a log's tiles one entry at a time: it keeps the compact range of the tree and the open
 * (rightmost) tile of each level, and hands every tile that becomes full to a sink, and the open
 * ones on {@link #flushPartials}. The appender writes what it emits; the auditor compares it with what
 * was published. Not thread-safe.
 */
public final class TileBuilder {
    /** Receives tiles as they are completed, or as partial tiles on flush. */
    @FunctionalInterface
    public interface Sink {
        void tile(TilePath path, byte[] data);
    }

    private final CompactRange range;
    private final boolean keepEntries;
    private final byte[][] open = new byte[TilePath.MAX_LEVEL + 1][];
    private final int[] openCount = new int[TilePath.MAX_LEVEL + 1];
    private final List<byte[]> bundle = new ArrayList<>(TilePath.WIDTH);

    private TileBuilder(CompactRange range, boolean keepEntries) {
        this.range = range;
        this.keepEntries = keepEntries;
    }

    /**
     * A builder for an empty log.
     *
     * @param keepEntries whether to build entry bundles as well as hash tiles
     */
    public static TileBuilder empty(boolean keepEntries) {
        return new TileBuilder(new CompactRange(), keepEntries);
    }

    /**
     * A builder that continues the log of {@code size} entries published by {@code reader}: it reads
     * the compact range and the partial tiles of that size. The caller MUST check {@link #root()}
     * against the checkpoint it trusts.
     */
    public static TileBuilder resume(TileReader reader, long size, boolean keepEntries) {
        TileNodeReader nodes = new TileNodeReader(reader, size, 64);
        TileBuilder b = new TileBuilder(CompactRange.of(nodes, size), keepEntries);
        for (int level = 0; level < Long.SIZE / TilePath.HEIGHT && (size >>> (TilePath.HEIGHT * level)) > 0; level++) {
            long count = size >>> (TilePath.HEIGHT * level);
            int width = (int) (count % TilePath.WIDTH);
            if (width > 0) {
                byte[] tile = nodes.tile(TilePath.hashesAt(level, count / TilePath.WIDTH, size));
                b.open[level] = Arrays.copyOf(tile, TilePath.WIDTH * Hash.SIZE);
                b.openCount[level] = width;
            }
        }
        int entries = (int) (size % TilePath.WIDTH);
        if (keepEntries && entries > 0) {
            TilePath path = TilePath.entriesForIndex(size - 1, size);
            byte[] data = reader.read(path.path())
                    .orElseThrow(() -> new TlogException(path + " is missing from " + reader.describe()));
            List<byte[]> parsed;
            try {
                parsed = EntryBundle.parse(data, entries);
            } catch (FormatException e) {
                throw new TlogException(path + " is malformed: " + e.getMessage(), e);
            }
            // The level-0 partial tile is bound to the root the caller checks; the bundle is not, so
            // bind each entry to its leaf hash before later bundles are built from it.
            for (int i = 0; i < entries; i++) {
                if (!Rfc9162.leafHash(parsed.get(i)).equalsAt(b.open[0], i * Hash.SIZE)) {
                    throw new TlogException("entry " + (size - entries + i) + " in " + path
                            + " does not match its hash in " + TilePath.hashesAt(0, size / TilePath.WIDTH, size));
                }
            }
            b.bundle.addAll(parsed);
        }
        return b;
    }

    public long size() {
        return range.size();
    }

    public Hash root() {
        return range.root();
    }

    /** A copy of the compact range of the tree built so far. */
    public CompactRange range() {
        return range.copy();
    }

    /** Adds an entry, handing any tile it completes to {@code sink}, and returns its leaf hash. */
    public Hash add(byte[] entry, Sink sink) {
        EntryBundle.checkEntry(entry);
        Hash leaf = Rfc9162.leafHash(entry);
        long index = range.size();
        range.append(leaf, (height, nodeIndex, hash) -> {
            if (height % TilePath.HEIGHT == 0) {
                addNode(height / TilePath.HEIGHT, nodeIndex, hash, sink);
            }
        });
        if (keepEntries) {
            bundle.add(entry.clone());
            if (bundle.size() == TilePath.WIDTH) {
                sink.tile(TilePath.entries(index / TilePath.WIDTH, TilePath.WIDTH), EntryBundle.encode(bundle));
                bundle.clear();
            }
        }
        return leaf;
    }

    private void addNode(int level, long nodeIndex, Hash hash, Sink sink) {
        if (open[level] == null) {
            open[level] = new byte[TilePath.WIDTH * Hash.SIZE];
        }
        int pos = openCount[level];
        if (nodeIndex % TilePath.WIDTH != pos) {
            throw new IllegalStateException("node " + nodeIndex + " of level " + level + " out of order");
        }
        hash.copyTo(open[level], pos * Hash.SIZE);
        if (++openCount[level] == TilePath.WIDTH) {
            sink.tile(TilePath.hashes(level, nodeIndex / TilePath.WIDTH, TilePath.WIDTH), open[level].clone());
            openCount[level] = 0;
        }
    }

    /** Hands the partial tiles of the current size to {@code sink}: one per level that has one. */
    public void flushPartials(Sink sink) {
        long size = range.size();
        for (int level = 0; level < Long.SIZE / TilePath.HEIGHT && (size >>> (TilePath.HEIGHT * level)) > 0; level++) {
            int w = openCount[level];
            if (w > 0) {
                long index = (size >>> (TilePath.HEIGHT * level)) / TilePath.WIDTH;
                sink.tile(TilePath.hashes(level, index, w), Arrays.copyOf(open[level], w * Hash.SIZE));
            }
        }
        if (keepEntries && !bundle.isEmpty()) {
            sink.tile(TilePath.entries(size / TilePath.WIDTH, bundle.size()), EntryBundle.encode(bundle));
        }
    }
}
