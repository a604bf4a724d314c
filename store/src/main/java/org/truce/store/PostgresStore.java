package org.truce.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The production engine: PostgreSQL. A write transaction first takes a transaction-scoped advisory
 * lock, so writes are serialised across every instance that shares the database, not only within
 * this one. The writer stays in READ COMMITTED on purpose: each statement after the lock then sees
 * what the previous holder committed, where a REPEATABLE READ snapshot could be taken before the lock
 * was granted. Reads run in REPEATABLE READ, each on a consistent snapshot. Thread-safe.
 */
final class PostgresStore extends ConnectionStore {
    /** The advisory lock key of the single writer of a Truce database. */
    static final long WRITER_LOCK = 0x7472756365L;

    private PostgresStore(String url, Properties props) throws SQLException {
        super(reader -> connect(url, props, reader));
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

    private static Connection connect(String url, Properties props, boolean reader) throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        c.setAutoCommit(false);
        c.setTransactionIsolation(reader ? Connection.TRANSACTION_REPEATABLE_READ : Connection.TRANSACTION_READ_COMMITTED);
        c.setReadOnly(reader);
        return c;
    }

    @Override
    void beginWrite(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + WRITER_LOCK + ")");
        }
    }

    @Override
    public String engine() {
        return "postgresql";
    }
}
