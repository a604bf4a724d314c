package org.truce.tlog.tiles;

import java.util.LinkedHashMap;
import java.util.Map;
import org.truce.tlog.TlogException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.NodeReader;
import org.truce.tlog.merkle.Rfc9162;

/**
 * Reads perfect-subtree hashes of a tree of a fixed size from its hash tiles alone.
 *
 * <p>A tile at level L stores the nodes at height 8·L; a node at height 8·L + r (r &lt; 8) is
 * recomputed from the 2^r tile hashes under it. To keep that cheap, the reader caches for each tile
 * it has seen the nodes at in-tile heights 4–7 (30 hashes, under 1 KiB), so that answering any node
 * costs at most seven hashes once the tile is known, and the most recent tiles themselves.
 * Thread-safe.
 */
public final class TileNodeReader implements NodeReader {
    /** Lowest in-tile height kept in the summary cache. */
    private static final int SUMMARY_FROM = 4;
    private static final int RAW_CACHE_TILES = 64;

    private final TileReader tiles;
    private final long treeSize;
    private final int maxSummaries;
    private final Map<TilePath, byte[]> raw = lru(RAW_CACHE_TILES);
    private final Map<TilePath, byte[]> summaries;

    /**
     * @param maxSummaries how many tiles' summaries to keep; each takes about 1 KiB
     */
    public TileNodeReader(TileReader tiles, long treeSize, int maxSummaries) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size " + treeSize);
        }
        this.tiles = tiles;
        this.treeSize = treeSize;
        this.maxSummaries = maxSummaries;
        this.summaries = lru(maxSummaries);
    }

    /** A reader with room for the summaries of 65,536 tiles (about 16 million leaves, 64 MiB). */
    public TileNodeReader(TileReader tiles, long treeSize) {
        this(tiles, treeSize, 1 << 16);
    }

    public long treeSize() {
        return treeSize;
    }

    @Override
    public Hash node(int height, long index) {
        if (height < 0 || height > 63 || index < 0 || index >= (treeSize >>> height)) {
            throw new IllegalArgumentException("node " + height + "/" + index
                    + " is not complete in a tree of size " + treeSize);
        }
        int level = height / TilePath.HEIGHT;
        int r = height % TilePath.HEIGHT;
        long first = index << r;
        TilePath path = TilePath.hashesAt(level, first / TilePath.WIDTH, treeSize);
        int pos = (int) (first % TilePath.WIDTH);
        if (r >= SUMMARY_FROM && maxSummaries > 0) {
            byte[] summary = summary(path);
            return Hash.of(summary, summaryOffset(r, pos >>> r));
        }
        byte[] tile = tile(path);
        if (r == 0) {
            return Hash.of(tile, pos * Hash.SIZE);
        }
        return Hash.of(fold(tile, pos, r), 0);
    }

    /** The raw bytes of a hash tile, checked for length. */
    public byte[] tile(TilePath path) {
        synchronized (raw) {
            byte[] cached = raw.get(path);
            if (cached != null) {
                return cached;
            }
        }
        byte[] data = tiles.read(path.path())
                .orElseThrow(() -> new TlogException(path + " is missing from " + tiles.describe()));
        if (data.length != path.width() * Hash.SIZE) {
            throw new TlogException(path + " is " + data.length + " bytes, not " + path.width() * Hash.SIZE);
        }
        synchronized (raw) {
            raw.put(path, data);
        }
        return data;
    }

    private byte[] summary(TilePath path) {
        synchronized (summaries) {
            byte[] cached = summaries.get(path);
            if (cached != null) {
                return cached;
            }
        }
        byte[] tile = tile(path);
        byte[] summary = summarise(tile, path.width());
        synchronized (summaries) {
            summaries.put(path, summary);
        }
        return summary;
    }

    /** Computes every complete node of heights 1–7 of a tile and keeps heights 4–7. */
    static byte[] summarise(byte[] tile, int width) {
        byte[] level = tile;
        int count = width;
        byte[] out = new byte[summaryOffset(TilePath.HEIGHT, 0)];
        for (int h = 1; h < TilePath.HEIGHT; h++) {
            int next = count / 2;
            byte[] up = new byte[next * Hash.SIZE];
            for (int i = 0; i < next; i++) {
                Rfc9162.nodeHash(level, 2 * i * Hash.SIZE, level, (2 * i + 1) * Hash.SIZE, up, i * Hash.SIZE);
            }
            if (h >= SUMMARY_FROM) {
                System.arraycopy(up, 0, out, summaryOffset(h, 0), up.length);
            }
            level = up;
            count = next;
        }
        return out;
    }

    /** Byte offset in a summary of node {@code i} at in-tile height {@code h}: heights 4..7 packed. */
    private static int summaryOffset(int h, int i) {
        int before = 0;
        for (int k = SUMMARY_FROM; k < h; k++) {
            before += TilePath.WIDTH >>> k;
        }
        return (before + i) * Hash.SIZE;
    }

    /** The hash of the perfect subtree of height {@code r} over tile hashes {@code [pos, pos + 2^r)}. */
    private static byte[] fold(byte[] tile, int pos, int r) {
        int n = 1 << r;
        byte[] buf = new byte[(n / 2) * Hash.SIZE];
        for (int i = 0; i < n / 2; i++) {
            Rfc9162.nodeHash(tile, (pos + 2 * i) * Hash.SIZE, tile, (pos + 2 * i + 1) * Hash.SIZE, buf, i * Hash.SIZE);
        }
        for (n /= 2; n > 1; n /= 2) {
            for (int i = 0; i < n / 2; i++) {
                Rfc9162.nodeHash(buf, 2 * i * Hash.SIZE, buf, (2 * i + 1) * Hash.SIZE, buf, i * Hash.SIZE);
            }
        }
        return buf;
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
