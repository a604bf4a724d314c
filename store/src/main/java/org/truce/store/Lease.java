package org.truce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One transaction's hold on a borrowed connection. A database restart or a terminated server process
 * leaves pooled connections broken, and a pool finds out only when one is used. If the transaction's
 * first statement finds its connection broken, nothing of the transaction exists yet, so that statement
 * runs once more on a fresh connection; a break after that fails the transaction, as it must, since
 * its snapshot or its writes are gone with the connection. Not thread-safe: one transaction's.
 */
final class Lease implements AutoCloseable {
    /** A statement run on the leased connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Connections connections;
    private final boolean reader;
    private Connection connection;
    private boolean used;
    private boolean broken;

    Lease(Connections connections, boolean reader) throws SQLException {
        this.connections = connections;
        this.reader = reader;
        this.connection = connections.borrow(reader);
    }

    /** Runs one statement; the first is retried once on a fresh connection if the connection proved broken. */
    <T> T run(Work<T> work) throws SQLException {
        if (used) {
            return watch(work);
        }
        try {
            T result = work.run(connection);
            used = true;
            return result;
        } catch (SQLException e) {
            if (!isBroken(e)) {
                used = true;
                throw e;
            }
            connections.giveBack(connection, reader, true);
            connection = null;
            try {
                connection = connections.borrow(reader);
            } catch (SQLException again) {
                again.addSuppressed(e);
                throw again;
            }
            used = true;
            return watch(work);
        }
    }

    private <T> T watch(Work<T> work) throws SQLException {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            broken |= isBroken(e);
            throw e;
        }
    }

    /** A prepared statement for {@code sql} on {@code c}, the leased connection; give it back with {@link #release}. */
    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return connections.prepare(c, sql);
    }

    /** Ends the use of a statement from {@link #prepare}: closed, or kept for reuse with its parameters cleared. */
    void release(PreparedStatement s) throws SQLException {
        if (connections.cachesStatements()) {
            try {
                s.clearParameters();
            } catch (SQLException e) {
                // sqlite-jdbc finalizes a statement whose step failed (SQLITE_FULL, say), and clearing
                // it then throws, hiding that failure: close it, so that it is prepared again.
                s.close();
            }
        } else {
            s.close();
        }
    }

    void commit() throws SQLException {
        watch(c -> {
            c.commit();
            return null;
        });
    }

    /** Rolls back after {@code cause}, recording a failure to do so on it. */
    void rollback(Throwable cause) {
        if (connection == null) {
            return;
        }
        try {
            watch(c -> {
                c.rollback();
                return null;
            });
        } catch (SQLException e) {
            // A connection that cannot roll back is in no known state: sqlite-jdbc, whose rollback
            // fails after SQLite itself rolled back (on SQLITE_FULL), no longer begins a transaction,
            // and every later statement would commit on its own. It is not used again.
            broken = true;
            cause.addSuppressed(e);
        }
    }

    /** Ends a read: nothing was written, so the snapshot is simply let go. */
    void endRead() throws SQLException {
        watch(c -> {
            c.rollback();
            return null;
        });
    }

    @Override
    public void close() {
        if (connection != null) {
            connections.giveBack(connection, reader, broken);
            connection = null;
        }
    }

    /**
     * Whether a failure means the connection is gone: SQLSTATE class 08 (connection exception), or
     * PostgreSQL's 57P01–57P03 (the server shut down, crashed, or is not yet accepting connections).
     */
    static boolean isBroken(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }
}
