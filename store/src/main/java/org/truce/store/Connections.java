package org.truce.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a store's transactions get their connections, each with auto-commit off and the isolation of
 * its kind: the writer (one write transaction at a time holds it) or a reader. Thread-safe.
 */
interface Connections extends AutoCloseable {
    /** Borrows the writer connection or a reader; the caller MUST give it back. */
    Connection borrow(boolean reader) throws SQLException;

    /**
     * Gives back a borrowed connection. A {@code broken} one MUST NOT be handed out again; an engine
     * whose connections can break opens a new one in its place.
     */
    void giveBack(Connection c, boolean reader, boolean broken);

    /** Closes every connection; best effort, since committed work is already durable. */
    @Override
    void close();
}
