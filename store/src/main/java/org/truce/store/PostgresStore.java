package org.truce.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * The production engine: PostgreSQL. A write transaction first takes a transaction-scoped advisory
 * lock, so writes are serialised across every instance that shares the database, not only within
 * this one. The writer stays in READ COMMITTED on purpose: each statement after the lock then sees
 * what the previous holder committed, where a REPEATABLE READ snapshot could be taken before the lock
 * was granted. Reads run in REPEATABLE READ, each on a consistent snapshot.
 *
 * <p>Other processes may write to the same database, so each write that changes the state raises a counter in the
 * database as it commits ({@code store_version}), and read models kept in memory compare that counter, not this
 * process's count of its own commits ({@link ConnectionStore#shared}).
 *
 * <p>Connections come from two HikariCP pools, one holding the single writer connection and one the
 * readers, so that a connection broken by a database restart, a failover or a terminated server
 * process is replaced rather than failing every later transaction. A transaction whose connection
 * breaks after its first statement fails; if that happens during commit, whether the write committed
 * is unknown, as with any client of a remote database. Thread-safe.
 */
final class PostgresStore extends ConnectionStore {
    /** The advisory lock key of the single writer of a Truce database. */
    static final long WRITER_LOCK = 0x7472756365L;

    private final String url;
    private final @Nullable String user;
    private final @Nullable String password;

    private PostgresStore(Connections connections, String url, @Nullable String user, @Nullable String password) {
        super(connections);
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The sharing of this store's database with other instances, on connections of its own. */
    Shared share() {
        return new PostgresShared(url, user, password);
    }

    static PostgresStore open(String url, @Nullable String user, @Nullable String password) {
        Schema.migrate(url, user, password, "classpath:db/migration/postgresql", Schema.LATEST_POSTGRESQL);
        return new PostgresStore(new Pools(url, user, password), url, user, password);
    }

    @Override
    void beginWrite(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + WRITER_LOCK + ")");
        }
    }

    @Override
    void endWrite(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE store_version SET n = n + 1 WHERE id = 1");
        }
    }

    @Override
    boolean shared() {
        return true;
    }

    @Override
    public String engine() {
        return "postgresql";
    }

    /** A pool of one writer connection and a pool of readers. Thread-safe. */
    private static final class Pools implements Connections {
        private final HikariDataSource writer;
        private final HikariDataSource readers;

        Pools(String url, @Nullable String user, @Nullable String password) {
            writer = pool(url, user, password, false);
            try {
                readers = pool(url, user, password, true);
            } catch (StoreException e) {
                writer.close();
                throw e;
            }
        }

        private static HikariDataSource pool(String url, @Nullable String user, @Nullable String password, boolean reader) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(reader ? "truce-readers" : "truce-writer");
            config.setJdbcUrl(url);
            if (user != null) {
                config.setUsername(user);
            }
            if (password != null) {
                config.setPassword(password);
            }
            config.setAutoCommit(false);
            config.setReadOnly(reader);
            config.setTransactionIsolation(reader ? "TRANSACTION_REPEATABLE_READ" : "TRANSACTION_READ_COMMITTED");
            // A fixed size: the writer is one connection by design, and readers are few and busy.
            config.setMaximumPoolSize(reader ? READERS : 1);
            config.setMinimumIdle(reader ? READERS : 1);
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new StoreException("cannot connect to " + url + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Connection borrow(boolean reader) throws SQLException {
            return (reader ? readers : writer).getConnection();
        }

        @Override
        public void giveBack(Connection c, boolean reader, boolean broken) {
            if (broken) {
                // A broken connection usually means the server restarted or failed over, which broke
                // every connection of the pool: replace them all, not one per failed transaction.
                HikariDataSource pool = reader ? readers : writer;
                pool.evictConnection(c);
                pool.getHikariPoolMXBean().softEvictConnections();
                return;
            }
            try {
                c.close();
            } catch (SQLException e) {
                // The pool could not reset the connection; it discards it and opens another.
            }
        }

        @Override
        public void close() {
            readers.close();
            writer.close();
        }
    }
}
