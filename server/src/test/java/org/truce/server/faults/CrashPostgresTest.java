package org.truce.server.faults;

import org.jspecify.annotations.Nullable;
import org.truce.server.TestPostgres;
import org.truce.store.Store;

/**
 * The crash test on PostgreSQL: the database server runs in the test JVM and survives; the Truce
 * server, its client, is killed.
 */
class CrashPostgresTest extends CrashTest {
    @Override
    protected @Nullable String newDatabase(String name) {
        return TestPostgres.newDatabase(name);
    }

    @Override
    protected Store newStore(String name) {
        return TestPostgres.newStore(name);
    }
}
