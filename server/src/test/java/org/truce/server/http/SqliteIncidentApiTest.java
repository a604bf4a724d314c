package org.truce.server.http;

import java.nio.file.Path;
import org.truce.store.Store;

class SqliteIncidentApiTest extends IncidentApiTest {
    @Override
    protected Store openStore(Path dir, String name) {
        return Store.sqlite(dir);
    }
}
