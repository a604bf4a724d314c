package org.truce.tlog.witness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.SignedNote;

/**
 * A {@link WitnessStore} in a directory: {@code checkpoints/<hex SHA-256 of origin>} holds the
 * latest cosigned checkpoint note of each origin, the same name the monitoring API uses. A write goes
 * to a temporary file that is fsynced, renamed over the old one atomically, and then the directory is
 * fsynced, so after a crash the file is either the old checkpoint or the new one. Thread-safe:
 * replacements are serialised; reads see the last completed replacement.
 */
final class DirectoryWitnessStore implements WitnessStore {
    private static final String LOCK = "witness.lock";
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Read-through cache of what the files hold; written only after the rename is durable. */
    private final ConcurrentMap<String, Optional<SignedNote>> cache = new ConcurrentHashMap<>();

    private DirectoryWitnessStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DirectoryWitnessStore open(Path root) {
        Path dir = root.resolve("checkpoints");
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new TlogException(root + " is in use by another witness");
            }
            return new DirectoryWitnessStore(dir, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new TlogException("cannot open the witness state in " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public Optional<SignedNote> latest(String origin) {
        return cache.computeIfAbsent(origin, this::read);
    }

    @Override
    public synchronized boolean replace(String origin, long expectedSize, SignedNote next) {
        if (!lock.isValid()) {
            throw new TlogException("the witness state is closed");
        }
        long size = latest(origin).map(MemoryWitnessStore.Checkpoints::size).orElse(0L);
        if (size != expectedSize) {
            return false;
        }
        Path file = file(origin);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(next.encode());
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
            fsyncDirectory();
        } catch (IOException e) {
            // The cache is dropped so the next read sees whichever file survived.
            cache.remove(origin);
            throw new TlogException("cannot write the witness state for " + origin + ": " + e.getMessage(), e);
        }
        cache.put(origin, Optional.of(next));
        return true;
    }

    private Optional<SignedNote> read(String origin) {
        Path file = file(origin);
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TlogException("cannot read the witness state " + file + ": " + e.getMessage(), e);
        }
        try {
            SignedNote note = SignedNote.parse(data);
            MemoryWitnessStore.Checkpoints.size(note);
            return Optional.of(note);
        } catch (FormatException e) {
            throw new TlogException("the witness state " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; there the rename is what we have.
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    private Path file(String origin) {
        return dir.resolve(originHash(origin));
    }

    /** The lowercase hex SHA-256 of an origin line, as tlog-witness names logs in URLs. */
    static String originHash(String origin) {
        return HexFormat.of().formatHex(Rfc9162.newDigest().digest(origin.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(@Nullable FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing was written through it.
            }
        }
    }

    @Override
    public String toString() {
        return "witness state in " + dir;
    }
}
