package org.truce.server.http;

import java.nio.file.Path;
import org.truce.store.Logins;
import org.truce.store.Store;

class SqliteVisibilityTest extends VisibilityTest {
    @Override
    protected Store openStore(Path dir) {
        return Store.sqlite(dir);
    }

    @Override
    protected Logins logins(Store store) {
        return Logins.inMemory();
    }
}
