package org.truce.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The embedded engine: one SQLite database file in WAL mode with {@code synchronous=FULL}, so a
 * committed write survives a crash or power loss. One connection writes, one transaction at a time;
 * a few others read concurrently, each transaction on a consistent snapshot. Thread-safe.
 */
final class SqliteStore extends ConnectionStore {
    private SqliteStore(String url) throws SQLException {
        super(reader -> connect(url, reader));
    }

    static SqliteStore open(String url) {
        try {
            Flyway.configure()
                    .dataSource(url, null, null)
                    .locations("classpath:db/migration/sqlite")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the schema of " + url + ": " + e.getMessage(), e);
        }
        try {
            return new SqliteStore(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(String url, boolean readOnly) throws SQLException {
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
    void beginWrite(Connection c) {
        // One process owns an SQLite file; the writer connection's lock is enough.
    }

    @Override
    public String engine() {
        return "sqlite";
    }
}
