package org.truce.tlog.tiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.truce.tlog.TlogException;

/**
 * Tile storage in a directory, in the C2SP static layout. A write goes to a temporary file in the
 * target directory, is fsynced, renamed over the target and the directory fsynced: a crash leaves the
 * old file or the new, never a torn one. Thread-safe.
 */
final class DirectoryTileStorage implements TileStorage {
    private final Path root;

    DirectoryTileStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Optional<byte[]> read(String path) {
        Path file = resolve(path);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TlogException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String path, byte[] data) {
        Path file = resolve(path);
        try {
            if (Files.isRegularFile(file) && Files.size(file) == data.length
                    && Arrays.equals(Files.readAllBytes(file), data)) {
                return;
            }
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(data);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new TlogException("the file system of " + dir + " cannot rename atomically", e);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new TlogException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String path) {
        Path file = resolve(path);
        try {
            if (Files.deleteIfExists(file)) {
                syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new TlogException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<List<String>> list() {
        Path tiles = root.resolve("tile");
        if (!Files.isDirectory(tiles)) {
            return Optional.of(List.of());
        }
        try (Stream<Path> walk = Files.walk(tiles)) {
            return Optional.of(walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .sorted()
                    .collect(Collectors.toList()));
        } catch (IOException e) {
            throw new TlogException("cannot list " + tiles + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Path resolve(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("not a relative log path: " + path);
        }
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("path escapes the log directory: " + path);
        }
        return file;
    }

    private static void syncDirectory(Path dir) {
        // Directories can be opened for reading and forced on Linux and macOS; elsewhere this is a no-op.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms refuse to open a directory; the rename itself is still atomic there.
        }
    }
}
