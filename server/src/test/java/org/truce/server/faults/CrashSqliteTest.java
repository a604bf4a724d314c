package org.truce.server.faults;

import org.jspecify.annotations.Nullable;
import org.truce.store.Store;

/** The crash test on the embedded SQLite store in the data directory. */
class CrashSqliteTest extends CrashTest {
    @Override
    protected @Nullable String newDatabase(String name) {
        return null;
    }

    @Override
    protected Store newStore(String name) {
        return Store.sqlite(tmp.resolve(name));
    }
}
