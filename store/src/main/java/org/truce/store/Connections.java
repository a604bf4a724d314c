package org.truce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
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

    /**
     * A prepared statement for {@code sql} on a borrowed connection. An engine whose connections live
     * as long as the store may hand back the same statement each time, and then
     * {@link #cachesStatements} is true and the caller MUST NOT close it.
     */
    default PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.prepareStatement(sql);
    }

    /** Whether {@link #prepare} hands out statements that stay open for reuse. */
    default boolean cachesStatements() {
        return false;
    }

    /** Closes every connection; best effort, since committed work is already durable. */
    @Override
    void close();
}
