package org.truce.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Transactions over JDBC connections, as both engines run them: one writer connection used by one
 * transaction at a time, and a few reader connections, each transaction on its own. The engines
 * differ only in how they open connections and what a write does first. Thread-safe.
 */
abstract class ConnectionStore implements Store {
    static final int READERS = 4;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    /** Opens connections through {@code connect}: false for the writer, true for readers. */
    ConnectionStore(SqlConnector connect) throws SQLException {
        this.writer = connect.open(false);
        all.add(writer);
        for (int i = 0; i < READERS; i++) {
            Connection c = connect.open(true);
            all.add(c);
            readers.add(c);
        }
    }

    /** Opens a connection with auto-commit off; {@code reader} tells which kind. */
    @FunctionalInterface
    interface SqlConnector {
        Connection open(boolean reader) throws SQLException;
    }

    /** What a write transaction does before its work, such as taking a lock shared with other instances. */
    abstract void beginWrite(Connection c) throws SQLException;

    @Override
    public final <T> T write(Function<WriteTx, T> work) {
        writeLock.lock();
        try {
            beginWrite(writer);
            T result = work.apply(new SqlTx(writer));
            writer.commit();
            return result;
        } catch (SQLException e) {
            rollback(writer, e);
            throw new StoreException("cannot commit a write: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollback(writer, e);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public final <T> T read(Function<ReadTx, T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a database connection", e);
        }
        try {
            T result = work.apply(new SqlTx(c));
            c.rollback();
            return result;
        } catch (SQLException e) {
            throw new StoreException("cannot end a read: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollback(c, e);
            throw e;
        } finally {
            readers.add(c);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public final void close() {
        writeLock.lock();
        try {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // Closing is best effort; committed work is already durable.
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
