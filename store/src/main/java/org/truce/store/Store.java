package org.truce.store;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Persistence of one Truce log and the state derived from it: the entries and their bodies, the
 * log's tiles and checkpoint, and the state documents. Two engines implement it, embedded SQLite and
 * PostgreSQL, and one contract test suite runs on both.
 *
 * <p>Writes happen in {@link #write} transactions, which implementations MUST run one at a time and
 * make durable before returning (SQLite: WAL with {@code synchronous=FULL}; PostgreSQL: committed). A
 * write that throws leaves nothing behind, except where the connection to a database server breaks
 * during the commit itself: then the write may have committed or not, and only a read can tell. Reads
 * see the last committed write. Thread-safe.
 */
public interface Store extends AutoCloseable {
    /**
     * Opens the store named by a JDBC URL ({@code jdbc:sqlite:…} or {@code jdbc:postgresql:…}),
     * migrating its schema to the current version first.
     */
    static Store open(String jdbcUrl) {
        return Stores.open(jdbcUrl, null, null);
    }

    /** Opens a PostgreSQL store with credentials. */
    static Store open(String jdbcUrl, String user, String password) {
        return Stores.open(jdbcUrl, user, password);
    }

    /** Opens (creating if needed) the embedded SQLite store in a data directory. */
    static Store sqlite(Path dataDir) {
        return Stores.sqlite(dataDir);
    }

    /** Runs {@code work} in one durable write transaction; if it throws, nothing is written. */
    <T> T write(Function<WriteTx, T> work);

    /** Runs {@code work} against a consistent snapshot of the committed state. */
    <T> T read(Function<ReadTx, T> work);

    /** "sqlite" or "postgresql". */
    String engine();

    @Override
    void close();
}
