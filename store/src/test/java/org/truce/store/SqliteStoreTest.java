package org.truce.store;

/** The contract on embedded SQLite, in a temporary data directory. */
class SqliteStoreTest extends StoreContractTest {
    @Override
    protected Store openStore() {
        return Store.sqlite(tmp.resolve("data"));
    }

    @Override
    protected String newDatabaseUrl(String name) {
        return "jdbc:sqlite:" + tmp.resolve(name + ".db").toAbsolutePath();
    }
}
