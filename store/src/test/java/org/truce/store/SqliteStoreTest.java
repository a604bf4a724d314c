package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract on embedded SQLite, in a temporary data directory. */
class SqliteStoreTest extends StoreContractTest {
    @Override
    protected Store openStore() {
        return Store.sqlite(tmp.resolve("data"));
    }

    @Override
    protected Logins logins() {
        return Logins.inMemory();
    }

    /**
     * Regression: without statistics SQLite read a document's keys through the primary key of
     * doc_keys, whose usable prefix is only the collection, so every document read scanned every key of
     * its collection (39 s for a page of 200 incidents among 100,000). Documents now carry their keys
     * (migration V6) and doc_keys is read by key alone; the plans below are the ones SQLite must choose
     * on a fresh database.
     */
    @Test
    void planner_freshDatabase_readsDocumentsByPrimaryKey_andFindsByKeyRange() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + tmp.resolve("data/truce.db").toAbsolutePath())) {
            String page = plan(c, "SELECT d.keys FROM docs d WHERE d.collection = 'incident' AND d.id > 'a' ORDER BY d.id");
            assertThat(page).contains("SEARCH d USING INDEX sqlite_autoindex_docs_1 (collection=? AND id>?)");
            String find = plan(c, "SELECT d.id FROM doc_keys f JOIN docs d ON d.collection = f.collection AND d.id = f.id "
                    + "WHERE f.collection = 'incident' AND f.key = 'month:2016-09' AND f.id > '' ORDER BY f.id LIMIT 200");
            assertThat(find).contains("SEARCH f USING PRIMARY KEY (collection=? AND key=? AND id>?)")
                    .contains("INDEX sqlite_autoindex_docs_1 (collection=? AND id=?)");
        }
    }

    /**
     * Regression: the in-memory deconfliction index caught up after every commit by paging through
     * its collections' documents under the key "all" in log order, and SQLite read every document of
     * the collection under that key and sorted them (0.26 s a page among 100,000 volumes, however few
     * came after the cursor). A collection is now read in log order through docs_in_log_order, from the
     * cursor on; a key's documents in log order keep the plan that suits a key few documents carry.
     */
    @Test
    void planner_freshDatabase_readsACollectionInLogOrderFromTheCursor() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + tmp.resolve("data/truce.db").toAbsolutePath())) {
            String all = plan(c, SqlTx.IN_LOG_ORDER, "volume", 99_999L, "g", 500);
            assertThat(all).contains("SEARCH d USING INDEX docs_in_log_order (collection=? AND (idx,id)>(?,?))")
                    .doesNotContain("TEMP B-TREE");
            String byKey = plan(c, SqlTx.FIND_IN_LOG_ORDER, "message", "to:ru", 99_999L, 99_999L, "g", 500);
            assertThat(byKey).contains("SEARCH f USING PRIMARY KEY (collection=? AND key=?)")
                    .contains("INDEX sqlite_autoindex_docs_1 (collection=? AND id=?)");
        }
    }

    /**
     * Regression: SQLite rolls a transaction back itself when a write finds the disk full; the store's
     * rollback then failed, and sqlite-jdbc, which begins the next transaction only after a rollback
     * that succeeded, left the writer outside any transaction: every later write committed statement
     * by statement, so a write that failed halfway left its first half behind. A writer whose rollback
     * fails is now replaced. Needs the privilege to mount a small tmpfs; skipped without it.
     */
    @Test
    void write_afterDiskFull_isStillAllOrNothing() throws Exception {
        java.nio.file.Path small = java.nio.file.Files.createDirectories(tmp.resolve("small"));
        org.junit.jupiter.api.Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString()) == 0,
                "mounting a small tmpfs needs root with CAP_SYS_ADMIN");
        try (Store store = Store.sqlite(small.resolve("data"))) {
            store.write(tx -> {
                tx.putTile("tile/0/000", new byte[32]);
                return null;
            });
            java.nio.file.Path filler = small.resolve("filler");
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (java.io.IOException e) {
                assertThat(e.getMessage()).contains("No space left");
            }
            StoreException full = null;
            for (int i = 0; i < 1000 && full == null; i++) {
                int n = i;
                try {
                    store.write(tx -> {
                        tx.putTile("tile/1/" + n, new byte[64 * 1024]);
                        return null;
                    });
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertThat(full).isNotNull();
            assertThat(full.fault()).contains(StoreException.Fault.FULL);
            java.nio.file.Files.delete(filler);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.write(tx -> {
                tx.putTile("tile/2/half", new byte[32]);
                throw new IllegalStateException("the second half of the write fails");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(store.<java.util.Optional<byte[]>>read(tx -> tx.read("tile/2/half"))).as("the first half of a failed write").isEmpty();
            store.write(tx -> {
                tx.putTile("tile/2/whole", new byte[32]);
                return null;
            });
            assertThat(store.<java.util.Optional<byte[]>>read(tx -> tx.read("tile/2/whole"))).isPresent();
        } finally {
            run("umount", "-l", small.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
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

    /** The plan of a statement with parameters, bound to {@code values}. */
    private static String plan(java.sql.Connection c, String sql, Object... values) throws java.sql.SQLException {
        StringBuilder sb = new StringBuilder();
        try (java.sql.PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            try (java.sql.ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    sb.append(r.getString(4)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    @Override
    protected String newDatabaseUrl(String name) {
        return "jdbc:sqlite:" + tmp.resolve(name + ".db").toAbsolutePath();
    }
}
