package org.truce.server.http;

import java.nio.file.Path;
import org.truce.store.Store;

class SqliteApiServerTest extends ApiServerTest {
    @Override
    protected Store openStore(Path dir) {
        return Store.sqlite(dir);
    }
}
