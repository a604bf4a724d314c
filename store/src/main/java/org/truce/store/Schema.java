package org.truce.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * Brings a database's schema to this version's migrations with Flyway, unless it is there already.
 * Flyway's classes and its scan of the migrations on the class path cost about 0.3 s of a server's
 * start, which is most of the time when nothing is to be migrated: so the last successful migration
 * recorded in Flyway's own history table is read first, and Flyway runs only when it is not this
 * version's latest (a new database, an older schema, a failed migration, a newer schema it must
 * refuse). {@code StoreContractTest} checks each engine's latest version against its migration files.
 */
final class Schema {
    /** The version of the last migration under {@code db/migration/sqlite}. */
    static final String LATEST_SQLITE = "7";
    /** The version of the last migration under {@code db/migration/postgresql}. */
    static final String LATEST_POSTGRESQL = "9";

    private Schema() {}

    /** Migrates the database at {@code url} with the migrations under {@code location}, whose last is {@code latest}. */
    static void migrate(String url, @Nullable String user, @Nullable String password, String location, String latest) {
        if (latest.equals(recorded(url, user, password))) {
            return;
        }
        try {
            Flyway.configure().dataSource(url, user, password).locations(location).load().migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the schema of " + url + ": " + e.getMessage(), e);
        }
    }

    /** The version of the last migration the database records as successful, or null if it records none. */
    static @Nullable String recorded(String url, @Nullable String user, @Nullable String password) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version, success FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return r.next() && r.getBoolean(2) ? r.getString(1) : null;
        } catch (SQLException e) {
            // No history table (a new database) or no database yet: Flyway decides.
            return null;
        }
    }
}
