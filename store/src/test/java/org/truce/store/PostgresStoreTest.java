package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.tlog.merkle.Hash;

/** The contract on a real PostgreSQL server started from Maven Central binaries, a new database per test. */
class PostgresStoreTest extends StoreContractTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private String database;
    private final List<Shared> opened = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected Store openStore() {
        if (database == null) {
            database = createDatabase("truce");
        }
        return Store.open(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
    }

    @Override
    protected String newDatabaseUrl(String name) {
        return postgres.getJdbcUrl("postgres", createDatabase(name));
    }

    @Override
    protected Logins logins() {
        Shared shared = Shared.of(store);
        opened.add(shared);
        return shared.logins();
    }

    @AfterEach
    void closeShared() {
        opened.forEach(Shared::close);
    }

    private static String createDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    @Test
    void stateDigest_sameDocumentsOnSqliteAndPostgres_equal() {
        List<Change> changes = List.of(
                new Change.Put(doc("b", 2, "to:ru", "Z")), new Change.Put(doc("a", 1, "to:sy")),
                new Change.Put(doc("B", 3)), new Change.Put(doc("ä", 4, "to:ru")));
        try (Store lite = Store.sqlite(tmp.resolve("lite"))) {
            for (Store s : List.of(store, lite)) {
                s.write(tx -> {
                    changes.forEach(tx::apply);
                    return null;
                });
            }
            assertThat(store.<Hash>read(StateDigest::of)).isEqualTo(lite.<Hash>read(StateDigest::of));
            assertThat(store.<List<Doc>>read(tx -> tx.allDocs(null, null, 10))).extracting(Doc::id)
                    .containsExactly("B", "a", "b", "ä");
        }
    }

    /**
     * Regression: a collection's documents in log order after a cursor (what the in-memory
     * deconfliction index reads after every commit) were found through the key every document
     * carries, and sorted, so a page cost the whole collection. They are now a range of
     * docs_in_log_order from the cursor on, in order, with no sort.
     */
    @Test
    void planner_collectionInLogOrder_readsTheIndexFromTheCursor() throws SQLException {
        for (int start = 0; start < 20_000; start += 5_000) {
            int from = start;
            store.write(tx -> {
                for (int i = from; i < from + 5_000; i++) {
                    tx.apply(new Change.Put(doc("volume", String.format("%08x", i * 2_654_435_761L & 0xffffffffL), i, "all")));
                }
                return null;
            });
        }
        try (Connection c = java.sql.DriverManager.getConnection(postgres.getJdbcUrl("postgres", database));
                Statement analyze = c.createStatement()) {
            analyze.execute("ANALYZE docs");
            analyze.execute("ANALYZE doc_keys");
            String plan = plan(c, SqlTx.IN_LOG_ORDER, "volume", 19_999L, "g", 500);
            assertThat(plan).contains("Index Scan using docs_in_log_order on docs d").contains("ROW(idx, id) > ROW(")
                    .doesNotContain("Sort");
        }
    }

    /** The plan PostgreSQL chooses for a statement with its parameters bound to {@code values}. */
    private static String plan(Connection c, String sql, Object... values) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    sb.append(r.getString(1)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    // ---- surviving the database server ----

    @Test
    void write_afterTheServerEndsEveryConnection_replacesThemAndLosesNothing() throws SQLException {
        writeEntry(store, 0, "zero", "first checkpoint");
        assertThat(sizesSeenByNestedReads(store, ConnectionStore.READERS)).containsOnly(1L);

        // What an administrator's pg_terminate_backend or a failover does to every session of the store.
        assertThat(terminateSessionsOf(database)).isGreaterThanOrEqualTo(1 + ConnectionStore.READERS);

        writeEntry(store, 1, "one", "second checkpoint");
        assertThat(sizesSeenByNestedReads(store, ConnectionStore.READERS)).containsOnly(2L);
        assertEntriesAndCheckpoint(store, "second checkpoint", "zero", "one");
    }

    @Test
    void write_afterPostgresRestarts_keepsWorkingAndLosesNothing() throws IOException {
        Path dataDir = tmp.resolve("restarting");
        EmbeddedPostgres server = startPostgres(dataDir, 0);
        int port = server.getPort();
        try (Store s = Store.open(server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")) {
            writeEntry(s, 0, "zero", "first checkpoint");
            assertThat(sizesSeenByNestedReads(s, ConnectionStore.READERS)).containsOnly(1L);

            server.close();
            server = startPostgres(dataDir, port);

            writeEntry(s, 1, "one", "second checkpoint");
            assertThat(sizesSeenByNestedReads(s, ConnectionStore.READERS)).containsOnly(2L);
            assertEntriesAndCheckpoint(s, "second checkpoint", "zero", "one");
        } finally {
            server.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
        if (port != 0) {
            b.setPort(port);
        }
        return b.start();
    }

    /** Ends every server process serving {@code db}, waiting for each to exit; returns how many ended. */
    private static int terminateSessionsOf(String db) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = ?")) {
            s.setString(1, db);
            int ended = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ended += r.getBoolean(1) ? 1 : 0;
                }
            }
            return ended;
        }
    }

    private static void writeEntry(Store s, long index, String leaf, String checkpoint) {
        s.write(tx -> {
            tx.append(entry(index, leaf), body(index));
            tx.apply(new Change.Put(doc(leaf, index, "to:ru")));
            tx.putCheckpoint(checkpoint.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    /** The size seen by each of {@code n} reads held open at once, so that {@code n} reader connections are in use. */
    private static List<Long> sizesSeenByNestedReads(Store s, int n) {
        if (n == 0) {
            return new ArrayList<>();
        }
        return s.read(tx -> {
            long size = tx.size();
            List<Long> sizes = sizesSeenByNestedReads(s, n - 1);
            sizes.add(size);
            return sizes;
        });
    }

    private static void assertEntriesAndCheckpoint(Store s, String checkpoint, String... leaves) {
        s.read(tx -> {
            assertThat(tx.entries(0, 100)).extracting(e -> new String(e.leaf(), StandardCharsets.UTF_8))
                    .containsExactly(leaves);
            assertThat(tx.allDocs(null, null, 100)).extracting(Doc::id).containsExactlyInAnyOrder(leaves);
            assertThat(tx.read("checkpoint")).hasValueSatisfying(
                    note -> assertThat(new String(note, StandardCharsets.UTF_8)).isEqualTo(checkpoint));
            return null;
        });
    }

    // ---- several instances on one database ----

    @Test
    void keptIndex_ofOneInstance_followsWritesOfAnother() {
        try (Store other = openStore()) {
            store.write(tx -> {
                tx.apply(new Change.Put(volume("a", 1, 36.2, true)));
                return null;
            });
            assertThat(other.read(StoreContractTest::met)).containsExactly("a@v1");
            store.write(tx -> {
                tx.apply(new Change.Put(volume("b", 2, 36.4, true)));
                tx.apply(new Change.Put(volume("a", 3, 36.2, false)));
                return null;
            });
            assertThat(other.read(StoreContractTest::met)).as("another instance's writes, seen by a reader")
                    .containsExactly("b@v2");
            store.write(tx -> {
                tx.apply(new Change.Put(volume("c", 4, 36.6, true)));
                return null;
            });
            other.write(tx -> {
                assertThat(met(tx)).as("and by a writer that has written nothing yet").containsExactly("b@v2", "c@v4");
                return null;
            });
        }
    }

    @Test
    void role_heldByOneInstanceAtATime_andTakenOverWhenItsSessionEnds() throws SQLException {
        try (Store other = openStore(); Shared a = Shared.of(store); Shared b = Shared.of(other)) {
            assertThat(a.tryLead()).isTrue();
            assertThat(a.tryLead()).as("kept").isTrue();
            assertThat(b.tryLead()).isFalse();
            store.write(tx -> {
                a.fence(tx);
                return null;
            });
            terminateRoleHolder();
            assertThat(b.tryLead()).as("the holder's session ended, so did its lock").isTrue();
            assertThat(catchThrowable(() -> store.write(tx -> {
                a.fence(tx);
                tx.putCheckpoint("stale".getBytes(StandardCharsets.UTF_8));
                return null;
            }))).isInstanceOf(StoreException.class).hasMessageContaining("no longer holds");
            assertThat(a.leads()).isFalse();
            assertThat(store.<java.util.Optional<byte[]>>read(tx -> tx.read("checkpoint"))).as("the stale holder committed nothing").isEmpty();
            assertThat(a.tryLead()).isFalse();
        }
    }

    @Test
    void queue_settledOnceInTheHoldersTransaction_andQueuedAgainWhenResent() {
        try (Shared shared = Shared.of(store)) {
            Hash k1 = Hash.of(new byte[32]);
            byte[] other = new byte[32];
            other[0] = 1;
            Hash k2 = Hash.of(other);
            shared.enqueue(new Shared.Queued(k1, false, false, new byte[] {1}));
            shared.enqueue(new Shared.Queued(k2, true, true, new byte[] {2}));
            shared.enqueue(new Shared.Queued(k1, false, false, new byte[] {1}));
            assertThat(shared.tryLead()).isTrue();
            List<Shared.Queued> queued = store.write(tx -> {
                shared.fence(tx);
                List<Shared.Queued> q = shared.queued(tx, 10);
                shared.settle(tx, java.util.Map.of(k1, new byte[] {9}));
                return q;
            });
            assertThat(queued).containsExactly(new Shared.Queued(k1, false, false, new byte[] {1}),
                    new Shared.Queued(k2, true, true, new byte[] {2}));
            assertThat(shared.outcomes(List.of(k1, k2))).containsOnlyKeys(k1);
            assertThat(store.<List<Shared.Queued>>write(tx -> shared.queued(tx, 10))).extracting(Shared.Queued::key).containsExactly(k2);
            shared.enqueue(new Shared.Queued(k1, false, false, new byte[] {1}));
            assertThat(shared.outcomes(List.of(k1))).as("queued again").isEmpty();
            assertThat(store.<List<Shared.Queued>>write(tx -> shared.queued(tx, 10))).extracting(Shared.Queued::key).containsExactly(k2, k1);
        }
    }

    @Test
    void logins_challengeTakenAtOnceByTwoInstances_isTakenByOneOnly() throws Exception {
        // Each on connections of its own, as two instances' are.
        Logins a = logins();
        Logins b = logins();
        int challenges = 50;
        Instant expires = Instant.parse("2016-09-12T16:02:00Z");
        for (int i = 0; i < challenges; i++) {
            a.challenge(hash(i), expires, challenges);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> takes = new ArrayList<>();
            for (int i = 0; i < challenges; i++) {
                for (Logins instance : List.of(a, b, a, b)) {
                    Hash h = hash(i);
                    takes.add(pool.submit(() -> instance.take(h).isPresent()));
                }
            }
            int taken = 0;
            for (Future<Boolean> f : takes) {
                taken += f.get() ? 1 : 0;
            }
            assertThat(taken).isEqualTo(challenges);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shared_onSqlite_isRefused() {
        try (Store lite = Store.sqlite(tmp.resolve("lite"))) {
            assertThat(catchThrowable(() -> Shared.of(lite))).isInstanceOf(StoreException.class);
        }
    }

    /** Ends the server process holding the sequencer role, as a dead instance's session would end. */
    private void terminateRoleHolder() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
                        + " WHERE locktype = 'advisory' AND objid::bigint = ? AND granted")) {
            s.setLong(1, PostgresShared.ROLE_LOCK & 0xFFFF_FFFFL);
            s.executeQuery().close();
        }
    }
}
