package org.truce.server.http;

import java.nio.file.Path;
import org.truce.server.TestPostgres;
import org.truce.store.Store;

class PostgresApiServerTest extends ApiServerTest {
    @Override
    protected Store openStore(Path dir) {
        return TestPostgres.newStore("api");
    }
}
