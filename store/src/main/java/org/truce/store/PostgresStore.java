package org.truce.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The production engine: PostgreSQL. A write transaction first takes a transaction-scoped advisory
 * lock, so writes are serialised across every instance that shares the database, not only within
 * this one; reads run in REPEATABLE READ, each on a consistent snapshot. Thread-safe.
 */
final class PostgresStore implements Store {
    /** The advisory lock key of the single writer of a Truce database. */
    static final long WRITER_LOCK = 0x7472756365L;
    private static final int READERS = 4;

    private final String url;
    private final Properties props;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    private PostgresStore(String url, Properties props) throws SQLException {
        this.url = url;
        this.props = props;
        this.writer = connect(Connection.TRANSACTION_READ_COMMITTED, false);
        all.add(writer);
        for (int i = 0; i < READERS; i++) {
            Connection c = connect(Connection.TRANSACTION_REPEATABLE_READ, true);
            all.add(c);
            readers.add(c);
        }
    }

    static PostgresStore open(String url, @Nullable String user, @Nullable String password) {
        try {
            Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("classpath:db/migration/postgresql")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the schema of " + url + ": " + e.getMessage(), e);
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        try {
            return new PostgresStore(url, props);
        } catch (SQLException e) {
            throw new StoreException("cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(int isolation, boolean readOnly) throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        c.setAutoCommit(false);
        c.setTransactionIsolation(isolation);
        c.setReadOnly(readOnly);
        return c;
    }

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        writeLock.lock();
        try {
            try (Statement s = writer.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + WRITER_LOCK + ")");
            }
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
        return "postgresql";
    }

    @Override
    public void close() {
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
