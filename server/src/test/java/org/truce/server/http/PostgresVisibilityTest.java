package org.truce.server.http;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.truce.server.TestPostgres;
import org.truce.store.Logins;
import org.truce.store.Shared;
import org.truce.store.Store;

class PostgresVisibilityTest extends VisibilityTest {
    private @Nullable Shared shared;

    @Override
    protected Store openStore(Path dir) {
        return TestPostgres.newStore("visibility");
    }

    @Override
    protected Logins logins(Store store) {
        shared = Shared.of(store);
        return shared.logins();
    }

    @AfterEach
    void closeShared() {
        if (shared != null) {
            shared.close();
        }
    }
}
