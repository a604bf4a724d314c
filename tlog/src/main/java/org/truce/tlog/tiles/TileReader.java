package org.truce.tlog.tiles;

import java.util.List;
import java.util.Optional;

/**
 * Reads a log's published resources by path: {@code checkpoint}, {@code tile/…}. Implementations
 * MUST be safe to call from several threads and SHOULD throw {@link org.truce.tlog.TlogException}
 * for failures other than absence.
 */
public interface TileReader {
    /** The resource at {@code path}, or empty if it does not exist. */
    Optional<byte[]> read(String path);

    /**
     * Every tile path present, where the source can be listed (a directory), so that an audit can
     * also check tiles no checkpoint needs any more; empty where it cannot (HTTP).
     */
    default Optional<List<String>> list() {
        return Optional.empty();
    }

    /** A human-readable description of where this reader reads from. */
    String describe();
}
