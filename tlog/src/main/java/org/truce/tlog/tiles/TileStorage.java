package org.truce.tlog.tiles;

import java.nio.file.Path;

/**
 * Storage for a log's tiles, entry bundles and checkpoint under C2SP tlog-tiles paths. Thread-safe.
 *
 * <p>{@link #write} MUST be atomic: a reader sees the old content or the new, never a torn file.
 * Writing identical content to an existing path MUST leave it untouched, so that full tiles, once
 * written, are never rewritten.
 */
public interface TileStorage extends TileReader {
    /** Stores {@code data} at {@code path}, durably once the call returns. */
    void write(String path, byte[] data);

    /**
     * Removes the resource at {@code path} if it exists. Used only to discard tiles an interrupted
     * append wrote beyond the signed checkpoint; storage that cannot delete may leave this default.
     */
    default void delete(String path) {
        throw new UnsupportedOperationException(describe() + " cannot delete " + path);
    }

    /** Storage held in memory, lost when the process ends. */
    static TileStorage inMemory() {
        return new MemoryTileStorage();
    }

    /** Storage in a directory laid out as the C2SP static layout, publishable by any web server. */
    static TileStorage directory(Path root) {
        return new DirectoryTileStorage(root);
    }
}
