package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract on embedded SQLite, in a temporary data directory. */
class SqliteStoreTest extends StoreContractTest {
    @Override
    protected Store openStore() {
        return Store.sqlite(tmp.resolve("data"));
    }

    /**
     * Regression: without statistics SQLite read a document's keys through the primary key of
     * doc_keys, whose usable prefix is only the collection, so every document read scanned every key of
     * its collection (39 s for a page of 200 incidents among 100,000). Migration V5 gives the planner
     * the shape of the state; the plans below are the ones it must choose on a fresh database.
     */
    @Test
    void planner_freshDatabase_readsKeysByDocument_andFindsByKeyRange() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + tmp.resolve("data/truce.db").toAbsolutePath())) {
            String keys = plan(c, "SELECT k.key FROM docs d LEFT JOIN doc_keys k ON k.collection = d.collection AND k.id = d.id "
                    + "WHERE d.collection = 'incident' AND d.id > 'a' ORDER BY d.id, k.key");
            assertThat(keys).contains("SEARCH k USING INDEX doc_keys_by_document (collection=? AND id=?)");
            String find = plan(c, "SELECT d.id FROM doc_keys f JOIN docs d ON d.collection = f.collection AND d.id = f.id "
                    + "WHERE f.collection = 'incident' AND f.key = 'month:2016-09' AND f.id > '' ORDER BY f.id LIMIT 200");
            assertThat(find).contains("SEARCH f USING COVERING INDEX sqlite_autoindex_doc_keys_1 (collection=? AND key=? AND id>?)");
        }
    }

    private static String plan(java.sql.Connection c, String sql) throws java.sql.SQLException {
        StringBuilder sb = new StringBuilder();
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (r.next()) {
                sb.append(r.getString(4)).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    protected String newDatabaseUrl(String name) {
        return "jdbc:sqlite:" + tmp.resolve(name + ".db").toAbsolutePath();
    }
}
