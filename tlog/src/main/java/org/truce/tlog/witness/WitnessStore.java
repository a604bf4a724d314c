package org.truce.tlog.witness;

import java.nio.file.Path;
import java.util.Optional;
import org.truce.tlog.note.SignedNote;

/**
 * Where a witness keeps, per log origin, the latest checkpoint it cosigned: the note with the log's
 * signatures it verified and its own cosignature, which is also what it serves to monitors.
 *
 * <p>Implementations MUST be thread-safe, and {@link #replace} MUST be atomic and durable: once it
 * returns true, a crash or restart MUST NOT bring back an older checkpoint, and two concurrent calls
 * for the same origin MUST NOT both succeed from the same expected size. They share nothing but
 * {@code WitnessStoreContractTest}.
 */
public interface WitnessStore extends AutoCloseable {
    /** The latest checkpoint cosigned for {@code origin}, if any. */
    Optional<SignedNote> latest(String origin);

    /**
     * Records {@code next} as the latest checkpoint of {@code origin} if the one recorded now has
     * {@code expectedSize} leaves (0 when there is none), and returns whether it did.
     *
     * @throws org.truce.tlog.TlogException if the state cannot be written; nothing changed then
     */
    boolean replace(String origin, long expectedSize, SignedNote next);

    @Override
    void close();

    /** State kept in memory only, for tests and for a witness that may forget. */
    static WitnessStore memory() {
        return new MemoryWitnessStore();
    }

    /**
     * State kept in {@code dir}, one file per origin written by atomic rename after fsync. The
     * directory is locked for as long as the store is open, so two witnesses cannot share it.
     *
     * @throws org.truce.tlog.TlogException if the directory cannot be created or is in use
     */
    static WitnessStore directory(Path dir) {
        return DirectoryWitnessStore.open(dir);
    }
}
