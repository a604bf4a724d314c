package org.truce.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Transactions over JDBC connections, as both engines run them: the writer connection used by one
 * transaction at a time, and a few reader connections, each transaction on its own. The engines
 * differ in where their connections come from and what a write does first. Thread-safe.
 */
abstract class ConnectionStore implements Store {
    /** Reader connections each instance keeps to a network database (PostgreSQL); SQLite keeps its own number. */
    static final int READERS = 4;

    private final Connections connections;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final org.truce.core.state.Memory memory = new org.truce.core.state.Memory();

    ConnectionStore(Connections connections) {
        this.connections = connections;
    }

    /** What a write transaction does before its work, such as taking a lock shared with other instances. */
    abstract void beginWrite(Connection c) throws SQLException;

    /** What a write transaction that changed the state does last, just before it commits. */
    void endWrite(Connection c) throws SQLException {}

    /**
     * Whether other processes may write to the same database. Then this store's count of commits does
     * not tell its read models whether the state changed, and a transaction reads the database's own
     * version of the state instead ({@link SqlTx#derived}).
     */
    boolean shared() {
        return false;
    }

    @Override
    public final <T> T write(Function<WriteTx, T> work) {
        writeLock.lock();
        try (Lease lease = lease(false)) {
            try {
                lease.run(c -> {
                    beginWrite(c);
                    return null;
                });
                SqlTx tx = new SqlTx(lease, memory, shared());
                T result = work.apply(tx);
                if (tx.wroteState()) {
                    lease.run(c -> {
                        endWrite(c);
                        return null;
                    });
                }
                lease.commit();
                return result;
            } catch (SQLException e) {
                lease.rollback(e);
                throw new StoreException("a write failed: " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                lease.rollback(e);
                throw e;
            }
        } finally {
            // Counted whether it committed or not: a commit whose outcome is unknown must not leave
            // a model in memory that believes nothing changed.
            memory.committed();
            writeLock.unlock();
        }
    }

    @Override
    public final <T> T read(Function<ReadTx, T> work) {
        try (Lease lease = lease(true)) {
            try {
                T result = work.apply(new SqlTx(lease, memory, shared()));
                lease.endRead();
                return result;
            } catch (SQLException e) {
                throw new StoreException("cannot end a read: " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                lease.rollback(e);
                throw e;
            }
        }
    }

    private Lease lease(boolean reader) {
        try {
            return new Lease(connections, reader);
        } catch (SQLException e) {
            throw new StoreException("cannot get a database connection: " + e.getMessage(), e);
        }
    }

    @Override
    public final void close() {
        writeLock.lock();
        try {
            connections.close();
        } finally {
            writeLock.unlock();
        }
    }
}
