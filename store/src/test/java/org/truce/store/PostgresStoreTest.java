package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.truce.core.entry.Visibility;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.tlog.merkle.Hash;

/** The contract on a real PostgreSQL server started from Maven Central binaries, a new database per test. */
class PostgresStoreTest extends StoreContractTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private String database;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void stateDigest_sameDocumentsOnSqliteAndPostgres_equal() {
        List<Change> changes = List.of(
                new Change.Put(doc("b", 2, "to:ru", "Z")), new Change.Put(doc("a", 1, "to:sy")),
                new Change.Put(doc("B", 3)), new Change.Put(doc("ä", 4, "to:ru")));
        try (Store pg = openStore(); Store lite = Store.sqlite(tmp.resolve("lite"))) {
            for (Store s : List.of(pg, lite)) {
                s.write(tx -> {
                    changes.forEach(tx::apply);
                    return null;
                });
            }
            assertThat(pg.<Hash>read(StateDigest::of)).isEqualTo(lite.<Hash>read(StateDigest::of));
            assertThat(pg.<List<Doc>>read(tx -> tx.allDocs(null, null, 10))).extracting(Doc::id)
                    .containsExactly("B", "a", "b", "ä");
        }
    }

    private static Doc doc(String id, long index, String... keys) {
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id);
        return new Doc("message", id, b, List.of(keys), Visibility.PARTIES, "us", index);
    }

    @Override
    protected Store openStore() {
        if (database == null) {
            database = "truce_" + DATABASES.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return Store.open(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
    }
}
