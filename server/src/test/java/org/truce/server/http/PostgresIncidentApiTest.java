package org.truce.server.http;

import java.nio.file.Path;
import org.truce.server.TestPostgres;
import org.truce.store.Store;

class PostgresIncidentApiTest extends IncidentApiTest {
    @Override
    protected Store openStore(Path dir, String name) {
        return TestPostgres.newStore("incidents_" + name);
    }
}
