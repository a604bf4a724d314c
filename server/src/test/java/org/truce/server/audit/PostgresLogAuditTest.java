package org.truce.server.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.truce.server.TestPostgres;
import org.truce.store.Store;

/** The full audit on a real PostgreSQL server, a new database per store. */
class PostgresLogAuditTest extends LogAuditTest {
    @Override
    protected String newDatabase(String name) {
        return TestPostgres.newDatabase("audit_" + name);
    }

    @Override
    protected Store open(String url) {
        return Store.open(url, "postgres", "postgres");
    }

    @Override
    protected Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "postgres");
    }
}
