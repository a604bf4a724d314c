package org.truce.tlog.tiles;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Tile storage in a concurrent map; every read and write copies. Thread-safe. */
final class MemoryTileStorage implements TileStorage {
    private final ConcurrentHashMap<String, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> read(String path) {
        byte[] data = files.get(path);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }

    @Override
    public void write(String path, byte[] data) {
        files.compute(path, (p, old) -> old != null && Arrays.equals(old, data) ? old : data.clone());
    }

    @Override
    public void delete(String path) {
        files.remove(path);
    }

    @Override
    public String describe() {
        return "memory";
    }
}
