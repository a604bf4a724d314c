package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.Visibility;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.TileBuilder;

/** The behaviour every storage engine must have; each engine runs it through a subclass. */
abstract class StoreContractTest {
    @TempDir
    Path tmp;

    /** The store under test, opened before each test and closed after it. */
    protected Store store;

    /** Opens the engine's store; calling it again MUST open the same database. */
    protected abstract Store openStore();

    /** The JDBC URL of a new, empty database of the engine, apart from the one {@link #openStore} opens. */
    protected abstract String newDatabaseUrl(String name);

    /**
     * Where the engine's log keeps login challenges and sessions: this process's memory on SQLite, the
     * database on PostgreSQL; closed after the test.
     */
    protected abstract Logins logins();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static StoredEntry entry(long index, String text) {
        return entry(index, text, Instant.parse("2016-09-12T16:00:00.123456789Z"));
    }

    static StoredEntry entry(long index, String text, Instant received) {
        byte[] leaf = text.getBytes(StandardCharsets.UTF_8);
        return new StoredEntry(index, Rfc9162.leafHash(leaf), Hash.of(Rfc9162.newDigest().digest(leaf)), leaf,
                "message", "us", received);
    }

    static StoredBody body(long index) {
        return new StoredBody(index, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), new byte[] {0, -1, 7},
                Visibility.named("ru", "us"), "us");
    }

    static Doc doc(String id, long index, String... keys) {
        return doc("message", id, index, keys);
    }

    static Doc doc(String collection, String id, long index, String... keys) {
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id).put("n", index);
        return new Doc(collection, id, b, List.of(keys), Visibility.PARTIES, "us", index);
    }

    /** A document as the state digest sees it: every field, keys included. */
    static String canonical(Doc d) {
        return new String(d.canonical(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> stored) {
        return stored.map(b -> new String(b, StandardCharsets.UTF_8)).orElse("(none)");
    }

    /** Everything a reader can see of a small store, in a form that compares by content. */
    record View(List<String> entries, List<String> bodies, String checkpoint, List<String> tiles, List<String> toRu,
            Hash digest) {
        static final List<String> TILES = List.of("tile/0/000", "tile/0/000.p/1", "tile/entries/000.p/1");

        static View of(ReadTx tx) {
            List<String> entries = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (StoredEntry e : tx.entries(0, 1000)) {
                entries.add(e.index() + " " + e.leafHash() + " " + e.headerHash() + " " + text(Optional.of(e.leaf()))
                        + " " + e.kind() + " " + e.author() + " " + e.received());
                tx.body(e.index()).ifPresent(b -> bodies.add(b.index() + " " + text(Optional.of(b.canonicalBody()))
                        + " " + Arrays.toString(b.salt()) + " " + b.visibility() + " " + b.author()));
            }
            List<String> tiles = new ArrayList<>();
            for (String path : TILES) {
                tiles.add(path + " " + text(tx.read(path)));
            }
            return new View(entries, bodies, text(tx.read("checkpoint")), tiles,
                    tx.find("message", "to:ru", null, 1000).stream().map(Doc::id).toList(), StateDigest.of(tx));
        }
    }

    /** Waits for another thread of the test; the bound only turns a hang into a failure. */
    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the other thread never got there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- entries and bodies ----

    @Test
    void append_thenRead_returnsTheSameBytesAndTimes() {
        store.write(tx -> {
            tx.append(entry(0, "zero"), body(0));
            tx.append(entry(1, "one"), body(1));
            return null;
        });
        assertThat(store.<Long>read(tx -> tx.size())).isEqualTo(2L);
        StoredEntry e = store.read(tx -> tx.entry(1)).orElseThrow();
        assertThat(e.leaf()).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        assertThat(e.received()).isEqualTo(Instant.parse("2016-09-12T16:00:00.123456789Z"));
        StoredBody b = store.read(tx -> tx.body(1)).orElseThrow();
        assertThat(b.salt()).containsExactly(0, -1, 7);
        assertThat(b.visibility()).isEqualTo(Visibility.named("ru", "us"));
        assertThat(store.<Optional<Long>>read(tx -> tx.indexOfLeaf(e.leafHash()))).contains(1L);
        assertThat(store.<Optional<Long>>read(tx -> tx.indexOfHeader(e.headerHash()))).contains(1L);
        assertThat(store.<List<StoredEntry>>read(tx -> tx.entries(1, 10))).hasSize(1);
    }

    @Test
    void entriesWithBodies_pairEachEntryWithItsOwnBody_inIndexOrder() {
        store.write(tx -> {
            for (int i = 0; i < 5; i++) {
                StoredBody b = body(i);
                tx.append(entry(i, "entry " + i, Instant.parse("2016-09-12T16:00:00Z").plusSeconds(i)),
                        new StoredBody(i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) i},
                                i % 2 == 0 ? Visibility.PUBLIC : b.visibility(), i % 2 == 0 ? "sy" : "us"));
            }
            return null;
        });
        List<Map.Entry<StoredEntry, StoredBody>> page = store.read(tx -> tx.entriesWithBodies(1, 3));
        assertThat(page).extracting(p -> p.getKey().index()).containsExactly(1L, 2L, 3L);
        for (Map.Entry<StoredEntry, StoredBody> p : page) {
            long i = p.getKey().index();
            StoredEntry alone = store.read(tx -> tx.entry(i)).orElseThrow();
            assertThat(p.getKey().leaf()).isEqualTo(alone.leaf());
            assertThat(p.getKey().leafHash()).isEqualTo(alone.leafHash());
            assertThat(p.getKey().received()).isEqualTo(Instant.parse("2016-09-12T16:00:00Z").plusSeconds(i));
            assertThat(p.getValue().index()).isEqualTo(i);
            assertThat(text(Optional.of(p.getValue().canonicalBody()))).isEqualTo("{\"n\":" + i + "}");
            assertThat(p.getValue().salt()).containsExactly((byte) i);
            assertThat(p.getValue().visibility()).isEqualTo(i % 2 == 0 ? Visibility.PUBLIC : Visibility.named("ru", "us"));
            assertThat(p.getValue().author()).isEqualTo(i % 2 == 0 ? "sy" : "us");
        }
        assertThat(store.<List<Map.Entry<StoredEntry, StoredBody>>>read(tx -> tx.entriesWithBodies(4, 10)))
                .extracting(p -> p.getKey().index()).containsExactly(4L);
        assertThat(store.<List<Map.Entry<StoredEntry, StoredBody>>>read(tx -> tx.entriesWithBodies(5, 10))).isEmpty();
    }

    @Test
    void putEvidence_storesOncePerHash_andReadsBackTheSameBytes() {
        byte[] data = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(data);
        String sha = "ab".repeat(32);
        Instant at = Instant.parse("2016-09-20T10:00:00.123456Z");
        assertThat(store.<Boolean>write(tx -> tx.putEvidence(new StoredEvidence(sha, "image/png", data, "un", at)))).isTrue();
        assertThat(store.<Boolean>write(tx -> tx.putEvidence(new StoredEvidence(sha, "text/plain", new byte[] {1}, "ru", at))))
                .as("a second upload of the same hash changes nothing").isFalse();
        StoredEvidence e = store.<Optional<StoredEvidence>>read(tx -> tx.evidence(sha)).orElseThrow();
        assertThat(e.data()).isEqualTo(data);
        assertThat(e.mediaType()).isEqualTo("image/png");
        assertThat(e.uploader()).isEqualTo("un");
        assertThat(e.received()).isEqualTo(at);
        assertThat(store.<Optional<StoredEvidence>>read(tx -> tx.evidence("cd".repeat(32)))).isEmpty();
    }

    @Test
    void append_wrongIndex_refused() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.append(entry(1, "gap"), body(1));
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store.<Long>read(tx -> tx.size())).isZero();
    }

    @Test
    void entriesReceived_window_inOrderOfReceiptAndPagedByCursor() {
        List<String> received = List.of(
                "2016-09-12T10:00:00Z",
                "2016-09-12T10:00:01.000001Z",
                "2016-09-12T09:59:59.999999Z", // the clock was set back
                "2016-09-12T10:00:01.000001Z",
                "2016-09-12T10:00:02Z",
                "2016-09-12T10:00:00.000000500Z"); // within the first entry's microsecond
        store.write(tx -> {
            for (int i = 0; i < received.size(); i++) {
                tx.append(entry(i, "e" + i, Instant.parse(received.get(i))), body(i));
            }
            return null;
        });
        Instant from = Instant.parse("2016-09-12T10:00:00Z");
        Instant until = Instant.parse("2016-09-12T10:00:02Z");

        List<StoredEntry> all = store.read(tx -> tx.entriesReceived(from, until, null, 100));
        assertThat(all).extracting(StoredEntry::index).containsExactly(0L, 5L, 1L, 3L);
        assertThat(all).extracting(StoredEntry::received).extracting(Instant::toString)
                .containsExactly(received.get(0), received.get(5), received.get(1), received.get(3));

        List<Long> paged = new ArrayList<>();
        Long after = null;
        while (true) {
            Long a = after;
            List<StoredEntry> page = store.read(tx -> tx.entriesReceived(from, until, a, 1));
            if (page.isEmpty()) {
                break;
            }
            paged.add(page.get(0).index());
            after = page.get(0).index();
        }
        assertThat(paged).containsExactly(0L, 5L, 1L, 3L);
        assertThat(store.<List<StoredEntry>>read(tx -> tx.entriesReceived(until, until.plusSeconds(1), null, 10)))
                .extracting(StoredEntry::index).containsExactly(4L);
    }

    @Test
    void open_storeWrittenBeforeDocumentsKeptTheirKeys_movesThemIntoTheRows() throws SQLException {
        String url = newDatabaseUrl("schema_keys");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/" + store.engine())
                .target(store.engine().equals("sqlite") ? "5" : "7").load().migrate();
        String visibility = org.truce.core.json.Json.canonicalString(Visibility.PUBLIC.toJson());
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(true);
            String[][] docs = {{"message", "m1", "us"}, {"message", "m2", "ru"}, {"party", "us", "us"}};
            for (String[] d : docs) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO docs (collection, id, body, visibility, owner, idx) VALUES (?, ?, '{\"n\":1}', ?, ?, 3)")) {
                    s.setString(1, d[0]);
                    s.setString(2, d[1]);
                    s.setString(3, visibility);
                    s.setString(4, d[2]);
                    s.executeUpdate();
                }
            }
            String[][] keys = {{"message", "to:ru", "m1"}, {"message", "from:us", "m1"}, {"message", "to:us", "m2"}};
            for (String[] k : keys) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO doc_keys (collection, key, id) VALUES (?, ?, ?)")) {
                    s.setString(1, k[0]);
                    s.setString(2, k[1]);
                    s.setString(3, k[2]);
                    s.executeUpdate();
                }
            }
        }
        try (Store upgraded = Store.open(url)) {
            assertThat(upgraded.<Optional<Doc>>read(tx -> tx.get("message", "m1")).orElseThrow().keys())
                    .containsExactly("from:us", "to:ru");
            assertThat(upgraded.<Optional<Doc>>read(tx -> tx.get("party", "us")).orElseThrow().keys()).isEmpty();
            assertThat(upgraded.<List<Doc>>read(tx -> tx.find("message", "to:us", null, 10))).extracting(Doc::id)
                    .containsExactly("m2");
            assertThat(upgraded.<List<Doc>>read(tx -> tx.inLogOrder("message", 3, "m1", 10))).as("indexed in log order")
                    .extracting(Doc::id).containsExactly("m2");
            // A new version that keeps one key and changes the other, then a deletion.
            Doc m1 = upgraded.<Optional<Doc>>read(tx -> tx.get("message", "m1")).orElseThrow();
            upgraded.write(tx -> {
                tx.apply(new Change.Put(new Doc("message", "m1", m1.body(), List.of("from:us", "to:sy"), m1.visibility(),
                        m1.owner(), 4)));
                return null;
            });
            assertThat(upgraded.<List<Doc>>read(tx -> tx.find("message", "to:ru", null, 10))).isEmpty();
            assertThat(upgraded.<List<Doc>>read(tx -> tx.find("message", "to:sy", null, 10))).extracting(Doc::index)
                    .containsExactly(4L);
            upgraded.write(tx -> {
                tx.apply(new Change.Delete("message", "m1"));
                return null;
            });
            assertThat(upgraded.<List<Doc>>read(tx -> tx.find("message", "from:us", null, 10))).isEmpty();
            assertThat(upgraded.<List<Doc>>read(tx -> tx.find("message", "to:us", null, 10))).extracting(Doc::id)
                    .containsExactly("m2");
        }
    }

    @Test
    void open_storeWrittenBeforeReceiptTimesWereNumbers_backfillsThemForWindows() throws SQLException {
        String url = newDatabaseUrl("schema1");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/" + store.engine())
                .target("1").load().migrate();
        List<String> received = List.of(
                "2016-09-12T10:00:00Z",
                "2016-09-12T10:00:00.123Z",
                "2016-09-12T10:00:00.123456Z",
                "2016-09-12T10:00:00.123456789Z",
                "1969-12-31T23:59:59.999999Z",
                "2016-09-12T09:59:59.999999999Z");
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(true);
            for (int i = 0; i < received.size(); i++) {
                StoredEntry e = entry(i, "old" + i);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO entries "
                        + "(idx, leaf_hash, header_hash, leaf, kind, author, received) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    s.setLong(1, i);
                    s.setBytes(2, e.leafHash().bytes());
                    s.setBytes(3, e.headerHash().bytes());
                    s.setBytes(4, e.leaf());
                    s.setString(5, e.kind());
                    s.setString(6, e.author());
                    s.setString(7, received.get(i));
                    s.executeUpdate();
                }
            }
        }
        try (Store upgraded = Store.open(url)) {
            // An entry appended now, received in the same microsecond as old entry 2: the backfill and
            // the store agree on the number, so the two sort together in index order.
            upgraded.write(tx -> {
                tx.append(entry(6, "new", Instant.parse("2016-09-12T10:00:00.123456999Z")), body(6));
                return null;
            });
            Instant from = Instant.parse("2016-09-12T10:00:00Z");
            assertThat(upgraded.<List<StoredEntry>>read(tx -> tx.entriesReceived(from, from.plusSeconds(1), null, 100)))
                    .extracting(StoredEntry::index).containsExactly(0L, 1L, 2L, 3L, 6L);
            Instant micro = Instant.parse("2016-09-12T10:00:00.123456Z");
            assertThat(upgraded.<List<StoredEntry>>read(tx -> tx.entriesReceived(micro, micro.plusNanos(1000), null, 100)))
                    .extracting(StoredEntry::index).containsExactly(2L, 3L, 6L);
            Instant epoch = Instant.EPOCH;
            assertThat(upgraded.<List<StoredEntry>>read(tx -> tx.entriesReceived(epoch.minusNanos(1000), epoch, null, 100)))
                    .extracting(StoredEntry::index).containsExactly(4L);
            Instant second = Instant.parse("2016-09-12T09:59:59Z");
            assertThat(upgraded.<List<StoredEntry>>read(tx -> tx.entriesReceived(second, from, null, 100)))
                    .extracting(StoredEntry::index).containsExactly(5L);
            assertThat(upgraded.<List<StoredEntry>>read(tx -> tx.entries(0, 100))).extracting(StoredEntry::received)
                    .extracting(Instant::toString).containsExactlyElementsOf(List.of(received.get(0), received.get(1),
                            received.get(2), received.get(3), received.get(4), received.get(5),
                            "2016-09-12T10:00:00.123456999Z"));
        }
    }

    // ---- transactions ----

    @Test
    void write_workThrows_leavesNothingBehind() {
        store.write(tx -> {
            tx.putCheckpoint("before".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            tx.append(entry(0, "zero"), body(0));
            tx.putTile("tile/0/000.p/1", new byte[32]);
            tx.putCheckpoint("after".getBytes(StandardCharsets.UTF_8));
            tx.apply(new Change.Put(doc("m1", 0, "to:ru")));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.<Long>read(tx -> tx.size())).isZero();
        assertThat(store.<Optional<byte[]>>read(tx -> tx.read("tile/0/000.p/1"))).isEmpty();
        assertThat(new String(store.read(tx -> tx.read("checkpoint")).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("before");
        assertThat(store.<Optional<Doc>>read(tx -> tx.get("message", "m1"))).isEmpty();
    }

    @Test
    void read_duringALongWrite_seesTheOldStateThroughoutEvenAcrossTheCommit() throws Exception {
        store.write(tx -> {
            tx.append(entry(0, "zero"), body(0));
            tx.apply(new Change.Put(doc("m1", 0, "to:ru")));
            tx.putTile("tile/0/000.p/1", bytes("old tile"));
            tx.putCheckpoint(bytes("old checkpoint"));
            return null;
        });
        View before = store.read(View::of);

        CountDownLatch halfWritten = new CountDownLatch(1);
        CountDownLatch readsDone = new CountDownLatch(1);
        CountDownLatch spanningReadStarted = new CountDownLatch(1);
        CountDownLatch committed = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> write = threads.submit(() -> store.write(tx -> {
                tx.append(entry(1, "one", Instant.parse("2016-09-12T16:00:01Z")), body(1));
                tx.apply(new Change.Put(doc("m1", 1, "to:sy")));
                tx.apply(new Change.Put(doc("m2", 1, "to:ru")));
                halfWritten.countDown();
                await(readsDone);
                tx.putTile("tile/0/000.p/1", bytes("new tile"));
                tx.putCheckpoint(bytes("new checkpoint"));
                return null;
            }));
            await(halfWritten);
            for (int i = 0; i < Math.max(ConnectionStore.READERS, SqliteStore.SQLITE_READERS) + 1; i++) {
                assertThat(store.read(View::of)).isEqualTo(before);
            }
            // One read transaction that looks before the commit and again after it.
            Future<List<View>> spanning = threads.submit(() -> store.read(tx -> {
                View first = View.of(tx);
                spanningReadStarted.countDown();
                await(committed);
                return List.of(first, View.of(tx));
            }));
            await(spanningReadStarted);
            readsDone.countDown();
            write.get();
            committed.countDown();
            assertThat(spanning.get()).containsExactly(before, before);
        } finally {
            readsDone.countDown();
            committed.countDown();
            threads.shutdown();
        }

        View after = store.read(View::of);
        assertThat(after.entries()).hasSize(2);
        assertThat(after.bodies()).hasSize(2);
        assertThat(after.toRu()).containsExactly("m2");
        assertThat(after.checkpoint()).isEqualTo("new checkpoint");
        assertThat(after.tiles()).contains("tile/0/000.p/1 new tile");
        assertThat(after.digest()).isNotEqualTo(before.digest());
    }

    @Test
    void reopen_keepsEverythingCommitted() {
        store.write(tx -> {
            for (int i = 0; i < 3; i++) {
                tx.append(entry(i, "entry " + i, Instant.parse("2016-09-12T16:00:00Z").plusMillis(i)), body(i));
            }
            tx.apply(new Change.Put(doc("m1", 0, "to:ru")));
            tx.apply(new Change.Put(doc("m2", 1, "to:ru", "to:sy")));
            tx.apply(new Change.Put(doc("party", "ru", 2)));
            tx.putTile("tile/0/000.p/1", bytes("partial"));
            tx.putTile("tile/entries/000.p/1", bytes("bundle"));
            tx.putCheckpoint(bytes("checkpoint 3"));
            return null;
        });
        View before = store.read(View::of);
        store.close();
        store = openStore();
        assertThat(store.read(View::of)).isEqualTo(before);
        Instant from = Instant.parse("2016-09-12T16:00:00.001Z");
        assertThat(store.<List<StoredEntry>>read(tx -> tx.entriesReceived(from, from.plusSeconds(1), null, 10)))
                .extracting(StoredEntry::index).containsExactly(1L, 2L);

        store.write(tx -> {
            tx.append(entry(3, "entry 3"), body(3));
            return null;
        });
        store.close();
        store = openStore();
        assertThat(store.read(View::of).entries()).hasSize(4).startsWith(before.entries().toArray(String[]::new));
    }

    // ---- tiles and the checkpoint ----

    @Test
    void putTileAndCheckpoint_sameKeyAgain_readsBackTheNewBytes() {
        store.write(tx -> {
            tx.putTile("tile/0/000.p/1", bytes("first"));
            tx.putTile("tile/0/000", bytes("untouched"));
            tx.putCheckpoint(bytes("first checkpoint"));
            return null;
        });
        store.write(tx -> {
            tx.putTile("tile/0/000.p/1", bytes("second, longer than the first"));
            tx.putCheckpoint(bytes("second checkpoint, longer than the first"));
            return null;
        });
        assertThat(store.read(View::of).tiles())
                .containsExactly("tile/0/000 untouched", "tile/0/000.p/1 second, longer than the first",
                        "tile/entries/000.p/1 (none)");
        assertThat(store.read(View::of).checkpoint()).isEqualTo("second checkpoint, longer than the first");

        store.write(tx -> {
            tx.putTile("tile/0/000.p/1", bytes("3rd"));
            tx.putTile("tile/0/000.p/1", bytes("4"));
            tx.putCheckpoint(bytes("3rd checkpoint"));
            tx.putCheckpoint(bytes("4"));
            return null;
        });
        assertThat(text(store.read(tx -> tx.read("tile/0/000.p/1")))).isEqualTo("4");
        assertThat(text(store.read(tx -> tx.read("checkpoint")))).isEqualTo("4");
        assertThat(text(store.read(tx -> tx.read("tile/0/000")))).isEqualTo("untouched");
    }

    // ---- state documents ----

    @Test
    void find_byKey_pagesInIdOrderAndFollowsChanges() {
        store.write(tx -> {
            for (int i = 0; i < 25; i++) {
                tx.apply(new Change.Put(doc(String.format("m%02d", i), i, i % 2 == 0 ? "to:ru" : "to:sy", "from:us")));
            }
            return null;
        });
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            String a = after;
            List<Doc> page = store.read(tx -> tx.find("message", "to:ru", a, 5));
            page.forEach(d -> ids.add(d.id()));
            if (page.size() < 5) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        assertThat(ids).hasSize(13).isSorted().allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0);
        store.write(tx -> {
            tx.apply(new Change.Put(doc("m00", 99, "to:sy")));
            tx.apply(new Change.Delete("message", "m02"));
            return null;
        });
        assertThat(store.<List<Doc>>read(tx -> tx.find("message", "to:ru", null, 100))).hasSize(11);
        Optional<Doc> d = store.read(tx -> tx.get("message", "m00"));
        assertThat(d.orElseThrow().keys()).containsExactly("to:sy");
        assertThat(d.orElseThrow().index()).isEqualTo(99);
    }

    @Test
    void getFindAndAllDocs_documentsWithNoOneOrMostKeys_everyKeyReadAndLimitCountsDocuments() {
        List<String> most = new ArrayList<>(List.of("to:ru"));
        for (int i = 1; i < Doc.MAX_KEYS; i++) {
            most.add(String.format("k%02d", i));
        }
        Doc none = doc("a", 1);
        Doc one = doc("b", 2, "to:ru");
        Doc full = doc("c", 3, most.toArray(String[]::new));
        Doc two = doc("d", 4, "to:ru", "to:sy");
        store.write(tx -> {
            for (Doc d : List.of(none, one, full, two)) {
                tx.apply(new Change.Put(d));
            }
            return null;
        });

        for (Doc d : List.of(none, one, full, two)) {
            assertThat(store.<Optional<Doc>>read(tx -> tx.get("message", d.id())).map(StoreContractTest::canonical))
                    .contains(canonical(d));
        }
        assertThat(store.<List<Doc>>read(tx -> tx.find("message", "to:ru", null, 2))).map(StoreContractTest::canonical)
                .containsExactly(canonical(one), canonical(full));
        assertThat(store.<List<Doc>>read(tx -> tx.find("message", "to:ru", "c", 2))).map(StoreContractTest::canonical)
                .containsExactly(canonical(two));
        assertThat(store.<List<Doc>>read(tx -> tx.allDocs(null, null, 2))).map(StoreContractTest::canonical)
                .containsExactly(canonical(none), canonical(one));
        assertThat(store.<List<Doc>>read(tx -> tx.allDocs("message", "b", 2))).map(StoreContractTest::canonical)
                .containsExactly(canonical(full), canonical(two));
        assertThat(full.keys()).hasSize(Doc.MAX_KEYS);
    }

    @Test
    void allDocs_pagedByCursor_visitsEveryDocumentOnceInByteOrder() {
        // '-' sorts before '.', upper case before lower, and by UTF-8 bytes U+FF01 before U+1F600,
        // where Java's UTF-16 String order has them the other way round.
        List<String> collections = List.of("message", "a.b", "party", "a", "a-b", "key");
        List<String> ids = List.of("m9", "a", "A", "a0", "a-", "ab", "Z", "\u00e4", "\uff01", "\ud83d\ude00", "m10");
        store.write(tx -> {
            long index = 0;
            for (String c : collections) {
                for (String id : ids) {
                    tx.apply(new Change.Put(doc(c, id, index++, "k:" + id)));
                }
            }
            return null;
        });
        Comparator<String> bytewise = (x, y) -> Arrays.compareUnsigned(bytes(x), bytes(y));
        List<String> expected = new ArrayList<>();
        collections.stream().sorted(bytewise)
                .forEach(c -> ids.stream().sorted(bytewise).forEach(id -> expected.add(c + "/" + id)));
        assertThat(expected.get(0)).isEqualTo("a/A");

        for (int pageSize : new int[] {1, 4, ids.size(), 1000}) {
            List<String> visited = new ArrayList<>();
            String collection = null;
            String id = null;
            while (true) {
                String c = collection;
                String i = id;
                List<Doc> page = store.read(tx -> tx.allDocs(c, i, pageSize));
                page.forEach(d -> visited.add(d.collection() + "/" + d.id()));
                if (page.size() < pageSize) {
                    break;
                }
                collection = page.get(page.size() - 1).collection();
                id = page.get(page.size() - 1).id();
            }
            assertThat(visited).as("pages of %d", pageSize).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void findInLogOrder_pagedByCursor_visitsTheKeysDocumentsByIndexThenId() {
        // Ids in an order unrelated to their indexes, two documents written by one entry, one
        // document without the key, one in another collection, and one rewritten later.
        store.write(tx -> {
            tx.apply(new Change.Put(doc("zz", 1, "to:ru")));
            tx.apply(new Change.Put(doc("aa", 2, "to:ru")));
            tx.apply(new Change.Put(doc("mm", 3, "to:ru", "from:us")));
            tx.apply(new Change.Put(doc("bb", 3, "to:ru")));
            tx.apply(new Change.Put(doc("cc", 4, "to:sy")));
            tx.apply(new Change.Put(doc("party", "dd", 5, "to:ru")));
            tx.apply(new Change.Put(doc("yy", 0, "to:ru")));
            return null;
        });
        store.write(tx -> {
            tx.apply(new Change.Put(doc("yy", 6, "to:ru")));
            return null;
        });
        List<String> expected = List.of("zz", "aa", "bb", "mm", "yy");
        for (int pageSize : new int[] {1, 2, 5, 100}) {
            assertThat(pagedInLogOrder((tx, i, d, n) -> tx.findInLogOrder("message", "to:ru", i, d, n), pageSize))
                    .as("pages of %d", pageSize).containsExactlyElementsOf(expected);
        }
        assertThat(store.<List<Doc>>read(tx -> tx.findInLogOrder("message", "to:ru", 3, "bb", 10)).get(0).keys())
                .as("each document with all its keys").containsExactly("from:us", "to:ru");
    }

    @Test
    void inLogOrder_pagedByCursor_visitsEveryDocumentOfTheCollectionByIndexThenId() {
        // As above, with a document that has no keys at all, one deleted, one whose keys the rewrite
        // dropped, and one rewritten later: every live document is listed once, at its last index.
        store.write(tx -> {
            tx.apply(new Change.Put(doc("zz", 1, "to:ru")));
            tx.apply(new Change.Put(doc("aa", 2)));
            tx.apply(new Change.Put(doc("mm", 3, "to:ru", "from:us")));
            tx.apply(new Change.Put(doc("bb", 3, "to:sy")));
            tx.apply(new Change.Put(doc("cc", 4, "to:sy")));
            tx.apply(new Change.Put(doc("party", "dd", 5, "to:ru")));
            tx.apply(new Change.Put(doc("yy", 0, "to:ru")));
            tx.apply(new Change.Put(doc("xx", 2, "to:ru")));
            return null;
        });
        store.write(tx -> {
            tx.apply(new Change.Put(doc("yy", 6)));
            tx.apply(new Change.Delete("message", "cc"));
            return null;
        });
        List<String> expected = List.of("zz", "aa", "xx", "bb", "mm", "yy");
        for (int pageSize : new int[] {1, 2, 5, 100}) {
            assertThat(pagedInLogOrder((tx, i, d, n) -> tx.inLogOrder("message", i, d, n), pageSize))
                    .as("pages of %d", pageSize).containsExactlyElementsOf(expected);
        }
        assertThat(store.<List<Doc>>read(tx -> tx.inLogOrder("message", 3, "bb", 10)).get(0).keys())
                .as("each document with all its keys").containsExactly("from:us", "to:ru");
        assertThat(store.<List<Doc>>read(tx -> tx.inLogOrder("nothing", -1, "", 10))).isEmpty();
    }

    /** A page of documents in log order after the cursor (index, id). */
    @FunctionalInterface
    private interface LogOrderPage {
        List<Doc> read(ReadTx tx, long afterIndex, String afterId, int limit);
    }

    /** The ids of every document {@code page} yields, read page after page from the start, each page in its own read. */
    private List<String> pagedInLogOrder(LogOrderPage page, int pageSize) {
        List<String> visited = new ArrayList<>();
        long index = -1;
        String id = "";
        while (true) {
            long i = index;
            String d = id;
            List<Doc> docs = store.read(tx -> page.read(tx, i, d, pageSize));
            docs.forEach(doc -> visited.add(doc.id()));
            if (docs.size() < pageSize) {
                return visited;
            }
            index = docs.get(docs.size() - 1).index();
            id = docs.get(docs.size() - 1).id();
        }
    }

    // ---- log order: the cursor's boundaries ----

    /** Two documents written by the entry at index 3 (ids bb and mm), one before and one after. */
    private void writeAroundIndexThree() {
        store.write(tx -> {
            tx.apply(new Change.Put(doc("zz", 2, "all")));
            tx.apply(new Change.Put(doc("mm", 3, "all")));
            tx.apply(new Change.Put(doc("bb", 3, "all")));
            tx.apply(new Change.Put(doc("aa", 4, "all")));
            return null;
        });
    }

    private List<String> inLogOrderAfter(boolean byKey, long afterIndex, String afterId) {
        return store.<List<Doc>>read(tx -> byKey ? tx.findInLogOrder("message", "all", afterIndex, afterId, 10)
                : tx.inLogOrder("message", afterIndex, afterId, 10)).stream().map(Doc::id).toList();
    }

    @Test
    void logOrder_cursorAtEqualIndex_listsOnlyLaterIdsOfThatIndex() {
        writeAroundIndexThree();
        for (boolean byKey : new boolean[] {true, false}) {
            String as = byKey ? "findInLogOrder" : "inLogOrder";
            assertThat(inLogOrderAfter(byKey, 3, "")).as(as).containsExactly("bb", "mm", "aa");
            assertThat(inLogOrderAfter(byKey, 3, "bb")).as(as).containsExactly("mm", "aa");
            assertThat(inLogOrderAfter(byKey, 3, "c")).as(as + ", an id between").containsExactly("mm", "aa");
            assertThat(inLogOrderAfter(byKey, 3, "mm")).as(as).containsExactly("aa");
            assertThat(inLogOrderAfter(byKey, 3, "zzz")).as(as + ", an id after all").containsExactly("aa");
        }
    }

    @Test
    void logOrder_cursorBeforeFirstOrAtLast_listsAllOrNothing() {
        writeAroundIndexThree();
        for (boolean byKey : new boolean[] {true, false}) {
            String as = byKey ? "findInLogOrder" : "inLogOrder";
            assertThat(inLogOrderAfter(byKey, -1, "")).as(as).containsExactly("zz", "bb", "mm", "aa");
            assertThat(inLogOrderAfter(byKey, 2, "zz")).as(as + ", a later id at a lower index")
                    .containsExactly("bb", "mm", "aa");
            assertThat(inLogOrderAfter(byKey, 4, "aa")).as(as).isEmpty();
            assertThat(inLogOrderAfter(byKey, 4, "")).as(as).containsExactly("aa");
            assertThat(inLogOrderAfter(byKey, 1_000, "")).as(as).isEmpty();
        }
    }

    @Test
    void stateDigest_changesWithAnyDocumentAndNotOtherwise() {
        Hash empty = store.read(StateDigest::of);
        store.write(tx -> {
            tx.apply(new Change.Put(doc("m1", 1, "to:ru")));
            return null;
        });
        Hash one = store.read(StateDigest::of);
        assertThat(one).isNotEqualTo(empty).isEqualTo(store.read(StateDigest::of));
        store.write(tx -> {
            tx.apply(new Change.Put(doc("m1", 1, "to:sy")));
            return null;
        });
        assertThat(store.<Hash>read(StateDigest::of)).isNotEqualTo(one);
    }

    // ---- the log in the store ----

    @Test
    void tiles_writtenThroughATransaction_auditFromTheStore() throws Exception {
        Signer key = NoteKeys.parseSigner(NoteKeys.generate("store.example/log", NoteKeys.TYPE_ED25519,
                new java.security.SecureRandom()).privateKey());
        TileBuilder builder = TileBuilder.empty(true);
        store.write(tx -> {
            for (int i = 0; i < 1000; i++) {
                builder.add(("entry " + i).getBytes(StandardCharsets.UTF_8), (p, data) -> tx.putTile(p.path(), data));
            }
            builder.flushPartials((p, data) -> tx.putTile(p.path(), data));
            tx.putCheckpoint(SignedNote.sign(new Checkpoint(key.name(), builder.size(), builder.root()).text(), key).encode());
            return null;
        });
        AuditReport r = store.read(tx -> new Auditor(tx, key.verifier()).audit(null, Auditor.Progress.NONE));
        assertThat(r).isInstanceOf(AuditReport.Verified.class);
        assertThat(((AuditReport.Verified) r).checkpoint().checkpoint().size()).isEqualTo(1000);
    }

    // ---- read models kept in memory ----

    static Doc volume(String id, long index, double lon, boolean active) {
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("id", id).put("state", active ? "activated" : "ended")
                .put("version", "v" + index);
        b.putObject("footprint").put("type", "circle").put("radius", 1_000).putArray("center").add(lon).add(36.2);
        b.putObject("altitude").put("lower", 0).put("upper", 3_000);
        b.putObject("time").put("from", "2016-09-20T10:00:00Z").put("to", "2016-09-20T12:00:00Z");
        return new Doc(org.truce.core.volume.VolumeRules.VOLUMES, id, b, active ? List.of("all", "active") : List.of("all"),
                Visibility.PUBLIC, "us", index);
    }

    /** The ids and versions a 10 km circle over every volume of the test finds, as a check answers. */
    static List<String> met(org.truce.core.state.StateView state) {
        org.truce.core.geo.Footprint everywhere = new org.truce.core.geo.Footprint.Corridor(
                List.of(new org.truce.core.geo.LonLat(36.0, 36.2), new org.truce.core.geo.LonLat(37.0, 36.2)), 1_000);
        ObjectNode alt = JsonNodeFactory.instance.objectNode().put("lower", 0).put("upper", 1_000);
        return org.truce.core.volume.VolumeRules.meets(state, "query", everywhere, alt, Instant.parse("2016-09-20T10:30:00Z"),
                Instant.parse("2016-09-20T11:00:00Z")).stream().map(x -> x.id() + "@" + x.version()).toList();
    }

    /**
     * The index of what volumes meet, which the store keeps in memory between transactions, follows
     * every commit (a volume added, rewritten, ended) and keeps nothing of a write that rolled back,
     * though that write saw its own volume while it ran.
     */
    @Test
    void keptIndex_followsCommits_andForgetsRolledBackWrites() {
        store.write(tx -> {
            tx.apply(new Change.Put(volume("a", 1, 36.2, true)));
            tx.apply(new Change.Put(volume("b", 2, 36.4, true)));
            return null;
        });
        assertThat(store.read(StoreContractTest::met)).containsExactly("a@v1", "b@v2");
        assertThatThrownBy(() -> store.write(tx -> {
            org.truce.core.state.Overlay pending = new org.truce.core.state.Overlay(tx);
            pending.apply(List.of(new Change.Put(volume("c", 3, 36.6, true))));
            assertThat(met(pending)).containsExactly("a@v1", "b@v2", "c@v3");
            tx.apply(new Change.Put(volume("c", 3, 36.6, true)));
            tx.apply(new Change.Put(volume("a", 4, 36.2, false)));
            assertThat(met(tx)).containsExactly("b@v2", "c@v3");
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(store.read(StoreContractTest::met)).containsExactly("a@v1", "b@v2");
        store.write(tx -> {
            tx.apply(new Change.Put(volume("b", 5, 36.8, true)));
            tx.apply(new Change.Put(volume("a", 6, 36.2, false)));
            return null;
        });
        assertThat(store.read(StoreContractTest::met)).containsExactly("b@v5");
        store.write(tx -> {
            assertThat(met(tx)).as("a write that has changed nothing yet reads the kept index").containsExactly("b@v5");
            return null;
        });
    }

    // ---- logins ----

    static Hash hash(int n) {
        byte[] b = new byte[Hash.SIZE];
        b[0] = (byte) n;
        return Hash.of(b);
    }

    @Test
    void logins_challenge_isTakenOnce_withItsExpiry() {
        Logins logins = logins();
        Instant expires = Instant.parse("2016-09-12T16:02:00Z");
        assertThat(logins.challenge(hash(1), expires, 10)).isTrue();
        assertThat(logins.take(hash(2))).isEmpty();
        assertThat(logins.take(hash(1))).contains(expires);
        assertThat(logins.take(hash(1))).as("taken already").isEmpty();
    }

    @Test
    void logins_challenges_refusedBeyondTheBound_untilOneIsTaken() {
        Logins logins = logins();
        Instant expires = Instant.parse("2016-09-12T16:02:00Z");
        assertThat(logins.challenge(hash(1), expires, 2)).isTrue();
        assertThat(logins.challenge(hash(2), expires, 2)).isTrue();
        assertThat(logins.challenge(hash(3), expires, 2)).isFalse();
        assertThat(logins.take(hash(3))).isEmpty();
        logins.take(hash(1));
        assertThat(logins.challenge(hash(3), expires, 2)).isTrue();
    }

    @Test
    void logins_session_keptUntilEnded() {
        Logins logins = logins();
        Logins.Session s = new Logins.Session("us", "us+1a2b3c4d", Instant.parse("2016-09-12T16:15:00Z"));
        logins.open(hash(1), s);
        assertThat(logins.session(hash(1))).contains(s);
        assertThat(logins.session(hash(2))).isEmpty();
        logins.end(hash(1));
        logins.end(hash(1));
        assertThat(logins.session(hash(1))).isEmpty();
    }

    @Test
    void logins_purge_deletesWhatExpiredBeforeNow_only() {
        Logins logins = logins();
        Instant now = Instant.parse("2016-09-12T16:00:00Z");
        logins.challenge(hash(1), now.minusSeconds(1), 10);
        logins.challenge(hash(2), now, 10);
        logins.open(hash(1), new Logins.Session("us", "us+1", now.minusSeconds(1)));
        logins.open(hash(2), new Logins.Session("ru", "ru+2", now));
        logins.purge(now);
        assertThat(logins.take(hash(1))).isEmpty();
        assertThat(logins.take(hash(2))).contains(now);
        assertThat(logins.session(hash(1))).isEmpty();
        assertThat(logins.session(hash(2))).isPresent();
    }
}
