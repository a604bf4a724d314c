package org.truce.tlog.tiles;

import java.util.Optional;

/**
 * Reads a log's published resources by path: {@code checkpoint}, {@code tile/…}. Implementations
 * MUST be safe to call from several threads and SHOULD throw {@link org.truce.tlog.TlogException}
 * for failures other than absence.
 */
public interface TileReader {
    /** The resource at {@code path}, or empty if it does not exist. */
    Optional<byte[]> read(String path);

    /** A human-readable description of where this reader reads from. */
    String describe();
}
