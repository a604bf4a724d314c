package org.truce.server.http;

import java.nio.file.Path;
import org.truce.server.TestPostgres;
import org.truce.store.Store;

class PostgresVisibilityTest extends VisibilityTest {
    @Override
    protected Store openStore(Path dir) {
        return TestPostgres.newStore("visibility");
    }
}
