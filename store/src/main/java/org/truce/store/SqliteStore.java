package org.truce.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The embedded engine: one SQLite database file in WAL mode with {@code synchronous=FULL}, so a
 * committed write survives a crash or power loss. One connection writes, one transaction at a time;
 * a few others read concurrently, each transaction on a consistent snapshot. Thread-safe.
 */
final class SqliteStore implements Store {
    private static final int READERS = 4;

    private final String url;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    private SqliteStore(String url) throws SQLException {
        this.url = url;
        this.writer = connect(false);
        all.add(writer);
        for (int i = 0; i < READERS; i++) {
            Connection c = connect(true);
            all.add(c);
            readers.add(c);
        }
    }

    static SqliteStore open(String url) {
        migrate(url);
        try {
            return new SqliteStore(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(String url) {
        try {
            Flyway.configure()
                    .dataSource(url, null, null)
                    .locations("classpath:db/migration/sqlite")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the schema of " + url + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        Connection c = DriverManager.getConnection(url, config.toProperties());
        c.setAutoCommit(false);
        return c;
    }

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        writeLock.lock();
        try {
            SqlTx tx = new SqlTx(writer);
            try {
                T result = work.apply(tx);
                writer.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollback(writer, e);
                throw e;
            } catch (SQLException e) {
                rollback(writer, e);
                throw new StoreException("cannot commit a write: " + e.getMessage(), e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T read(Function<ReadTx, T> work) {
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
    public String engine() {
        return "sqlite";
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // Closing is best effort; the WAL is consistent whatever happens here.
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

}
