package org.truce.server.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;
import org.truce.store.Store;

/** The full audit on embedded SQLite, a new database file per store. */
class SqliteLogAuditTest extends LogAuditTest {
    @TempDir
    Path tmp;

    @Override
    protected String newDatabase(String name) {
        return "jdbc:sqlite:" + tmp.resolve(name + ".db").toAbsolutePath();
    }

    @Override
    protected Store open(String url) {
        return Store.open(url);
    }

    @Override
    protected Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }
}
