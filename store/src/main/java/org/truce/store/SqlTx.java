package org.truce.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.Visibility;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.tlog.merkle.Hash;

/** A transaction over one leased JDBC connection; valid until its store commits or rolls it back. Not thread-safe. */
final class SqlTx implements WriteTx {
    private static final String CHECKPOINT = "checkpoint";

    private final Lease lease;
    private final org.truce.core.state.Memory memory;
    /**
     * The version of the committed state the read models compare: the store's commit count when the
     * transaction began, or for a shared database the database's own counter as this transaction
     * sees it, read when first needed (-1 until then).
     */
    private long commits;
    private final boolean shared;
    /** Whether the transaction has changed the state. */
    private boolean written;

    SqlTx(Lease lease, org.truce.core.state.Memory memory, boolean shared) {
        this.lease = lease;
        this.memory = memory;
        this.shared = shared;
        this.commits = shared ? -1 : memory.commits();
    }

    @Override
    public org.truce.core.state.Derived derived() {
        if (shared && commits < 0) {
            // A reader's snapshot, or a writer holding the write lock, sees the counter that matches the
            // state it reads; every write raises it just before it commits, so this transaction's own
            // writes are not counted in it, and a write that has written reads through itself.
            commits = one("SELECT n FROM store_version WHERE id = 1", s -> { }, r -> r.getLong(1)).orElse(0L);
        }
        return written ? org.truce.core.state.Derived.written(memory, commits)
                : org.truce.core.state.Derived.committed(memory, commits, this);
    }

    /** Whether the transaction has changed the state. */
    boolean wroteState() {
        return written;
    }

    /** Runs {@code work} on this transaction's connection, for engine-specific statements of the same transaction. */
    <T> T onConnection(Lease.Work<T> work) throws SQLException {
        return lease.run(work);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    /** Reads the current row. */
    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet r) throws SQLException;
    }

    /** Reads a whole result, moving through it itself. */
    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet r) throws SQLException;
    }

    /** Runs a query and hands its whole result to {@code rows}. */
    private <T> T select(String sql, Binder binder, Rows<T> rows) {
        try {
            return lease.run(c -> {
                PreparedStatement s = lease.prepare(c, sql);
                try {
                    binder.bind(s);
                    try (ResultSet r = s.executeQuery()) {
                        return rows.read(r);
                    }
                } finally {
                    lease.release(s);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("query failed (" + sql + "): " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, Row<T> row) {
        return select(sql, binder, r -> {
            List<T> out = new ArrayList<>();
            while (r.next()) {
                out.add(row.read(r));
            }
            return out;
        });
    }

    private <T> Optional<T> one(String sql, Binder binder, Row<T> row) {
        List<T> l = query(sql, binder, row);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private int update(String sql, Binder binder) {
        try {
            return lease.run(c -> {
                PreparedStatement s = lease.prepare(c, sql);
                try {
                    binder.bind(s);
                    return s.executeUpdate();
                } finally {
                    lease.release(s);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("update failed (" + sql + "): " + e.getMessage(), e);
        }
    }

    // ---- the log ----

    /** One past the highest index: append keeps indexes contiguous from 0, and this reads the key index only. */
    @Override
    public long size() {
        return one("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries", s -> { }, r -> r.getLong(1)).orElse(0L);
    }

    private static StoredEntry entry(ResultSet r) throws SQLException {
        return new StoredEntry(r.getLong(1), Hash.of(r.getBytes(2)), Hash.of(r.getBytes(3)), r.getBytes(4),
                r.getString(5), r.getString(6), Instant.parse(r.getString(7)));
    }

    private static final String ENTRY_COLUMNS = "SELECT idx, leaf_hash, header_hash, leaf, kind, author, received FROM entries ";

    @Override
    public Optional<StoredEntry> entry(long index) {
        return one(ENTRY_COLUMNS + "WHERE idx = ?", s -> s.setLong(1, index), SqlTx::entry);
    }

    @Override
    public List<StoredEntry> entries(long fromIndex, int limit) {
        return query(ENTRY_COLUMNS + "WHERE idx >= ? ORDER BY idx LIMIT ?", s -> {
            s.setLong(1, fromIndex);
            s.setInt(2, limit);
        }, SqlTx::entry);
    }

    @Override
    public List<StoredEntry> entriesReceived(Instant from, Instant until, @Nullable Long afterIndex, int limit) {
        String window = ENTRY_COLUMNS + "WHERE received_us >= ? AND received_us < ? ";
        String order = "ORDER BY received_us, idx LIMIT ?";
        if (afterIndex == null) {
            return query(window + order, s -> {
                s.setLong(1, epochMicros(from));
                s.setLong(2, epochMicros(until));
                s.setInt(3, limit);
            }, SqlTx::entry);
        }
        return query(window + "AND (received_us, idx) > (SELECT received_us, idx FROM entries WHERE idx = ?) " + order, s -> {
            s.setLong(1, epochMicros(from));
            s.setLong(2, epochMicros(until));
            s.setLong(3, afterIndex);
            s.setInt(4, limit);
        }, SqlTx::entry);
    }

    /**
     * A time as the store indexes it: microseconds since the epoch, rounded down. The V2 migrations
     * compute the same from the stored text for entries written before the column existed.
     */
    static long epochMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    @Override
    public Optional<Long> indexOfLeaf(Hash leafHash) {
        return one("SELECT idx FROM entries WHERE leaf_hash = ?", s -> s.setBytes(1, leafHash.bytes()), r -> r.getLong(1));
    }

    @Override
    public Optional<Long> indexOfHeader(Hash headerHash) {
        return one("SELECT idx FROM entries WHERE header_hash = ?", s -> s.setBytes(1, headerHash.bytes()),
                r -> r.getLong(1));
    }

    @Override
    public Optional<StoredBody> body(long index) {
        return one("SELECT idx, body, salt, visibility, author FROM bodies WHERE idx = ?", s -> s.setLong(1, index),
                r -> new StoredBody(r.getLong(1), r.getBytes(2), r.getBytes(3), visibility(r.getString(4)), r.getString(5)));
    }

    @Override
    public List<java.util.Map.Entry<StoredEntry, StoredBody>> entriesWithBodies(long fromIndex, int limit) {
        return query("SELECT e.idx, e.leaf_hash, e.header_hash, e.leaf, e.kind, e.author, e.received, "
                + "b.body, b.salt, b.visibility, b.author FROM entries e LEFT JOIN bodies b ON b.idx = e.idx "
                + "WHERE e.idx >= ? ORDER BY e.idx LIMIT ?", s -> {
                    s.setLong(1, fromIndex);
                    s.setInt(2, limit);
                }, r -> {
                    StoredEntry e = entry(r);
                    byte[] body = r.getBytes(8);
                    if (body == null) {
                        throw new StoreException("entry " + e.index() + " has no stored body");
                    }
                    return java.util.Map.entry(e, new StoredBody(e.index(), body, r.getBytes(9), visibility(r.getString(10)),
                            r.getString(11)));
                });
    }

    @Override
    public void append(StoredEntry e, StoredBody b) {
        long size = size();
        if (e.index() != size || b.index() != size) {
            throw new IllegalStateException("entry " + e.index() + " appended to a log of size " + size);
        }
        update("INSERT INTO entries (idx, leaf_hash, header_hash, leaf, kind, author, received, received_us) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setLong(1, e.index());
                    s.setBytes(2, e.leafHash().bytes());
                    s.setBytes(3, e.headerHash().bytes());
                    s.setBytes(4, e.leaf());
                    s.setString(5, e.kind());
                    s.setString(6, e.author());
                    s.setString(7, EntryHeader.formatTime(e.received()));
                    s.setLong(8, epochMicros(e.received()));
                });
        update("INSERT INTO bodies (idx, body, salt, visibility, author) VALUES (?, ?, ?, ?, ?)", s -> {
            s.setLong(1, b.index());
            s.setBytes(2, b.canonicalBody());
            s.setBytes(3, b.salt());
            s.setString(4, Json.canonicalString(b.visibility().toJson()));
            s.setString(5, b.author());
        });
    }

    // ---- tiles and checkpoint ----

    @Override
    public Optional<byte[]> read(String path) {
        if (path.equals(CHECKPOINT)) {
            return one("SELECT note FROM checkpoint WHERE id = 1", s -> { }, r -> r.getBytes(1));
        }
        return one("SELECT data FROM tiles WHERE path = ?", s -> s.setString(1, path), r -> r.getBytes(1));
    }

    @Override
    public String describe() {
        return "the store";
    }

    @Override
    public void putTile(String path, byte[] data) {
        update("INSERT INTO tiles (path, data) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET data = excluded.data", s -> {
            s.setString(1, path);
            s.setBytes(2, data);
        });
    }

    @Override
    public Optional<StoredEvidence> evidence(String sha256) {
        return one("SELECT sha256, media_type, data, uploader, received_us FROM evidence WHERE sha256 = ?",
                s -> s.setString(1, sha256), r -> new StoredEvidence(r.getString(1), r.getString(2), r.getBytes(3),
                        r.getString(4), Instant.EPOCH.plus(r.getLong(5), java.time.temporal.ChronoUnit.MICROS)));
    }

    @Override
    public List<String> evidenceHashes(@Nullable String afterSha256, int limit) {
        return query("SELECT sha256 FROM evidence WHERE sha256 > ? ORDER BY sha256 LIMIT ?", s -> {
            s.setString(1, afterSha256 == null ? "" : afterSha256);
            s.setInt(2, limit);
        }, r -> r.getString(1));
    }

    @Override
    public boolean putEvidence(StoredEvidence e) {
        return update("INSERT INTO evidence (sha256, media_type, size, data, uploader, received_us) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (sha256) DO NOTHING", s -> {
                    byte[] data = e.data();
                    s.setString(1, e.sha256());
                    s.setString(2, e.mediaType());
                    s.setLong(3, data.length);
                    s.setBytes(4, data);
                    s.setString(5, e.uploader());
                    s.setLong(6, java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, e.received()));
                }) == 1;
    }

    @Override
    public void putCheckpoint(byte[] note) {
        update("INSERT INTO checkpoint (id, note) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET note = excluded.note",
                s -> s.setBytes(1, note));
    }

    // ---- state ----

    /**
     * The documents {@code sql} selects: the columns of {@link #DOC_COLUMNS} of {@code docs}, in the
     * order and number the caller needs. Each row carries its document's keys, so nothing is joined.
     */
    private List<Doc> docs(String sql, Binder binder) {
        return query(sql, binder, r -> new Doc(r.getString(1), r.getString(2), (ObjectNode) parse(r.getString(3)),
                keys(r.getString(7)), visibility(r.getString(4)), r.getString(5), r.getLong(6)));
    }

    private static final String DOC_COLUMNS = "d.collection, d.id, d.body, d.visibility, d.owner, d.idx, d.keys";
    private static final String DOCS = "SELECT " + DOC_COLUMNS + " FROM docs d ";

    @Override
    public Optional<Doc> get(String collection, String id) {
        List<Doc> l = docs(DOCS + "WHERE d.collection = ? AND d.id = ?", s -> {
            s.setString(1, collection);
            s.setString(2, id);
        });
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<Doc> find(String collection, String key, @Nullable String afterId, int limit) {
        // Driven from the key's range of the doc_keys primary key, so a page costs its own size however
        // rare the key is among the collection's documents.
        return docs("SELECT " + DOC_COLUMNS + " FROM doc_keys f JOIN docs d ON d.collection = f.collection AND d.id = f.id "
                + "WHERE f.collection = ? AND f.key = ? AND f.id > ? ORDER BY f.id LIMIT ?", s -> {
                    s.setString(1, collection);
                    s.setString(2, key);
                    s.setString(3, afterId == null ? "" : afterId);
                    s.setInt(4, limit);
                });
    }

    /**
     * A key's documents in log order: driven from the key's range of the doc_keys primary key, then
     * sorted, so a page costs the key's documents. That suits a key few documents carry; a whole
     * collection is read by {@link #IN_LOG_ORDER}. Parameters: collection, key, index, index, id, limit.
     */
    static final String FIND_IN_LOG_ORDER = DOCS + "JOIN doc_keys f ON f.collection = d.collection AND f.id = d.id "
            + "WHERE d.collection = ? AND f.key = ? AND (d.idx > ? OR d.idx = ? AND d.id > ?) ORDER BY d.idx, d.id LIMIT ?";

    /**
     * A collection's documents in log order: a range of the index docs_in_log_order (collection, idx,
     * id) from the cursor on, so a page costs its own size however many documents come before the
     * cursor. The cursor is one row value, which both engines take as where a range of the index
     * starts. Parameters: collection, index, id, limit.
     */
    static final String IN_LOG_ORDER = DOCS + "WHERE d.collection = ? AND (d.idx, d.id) > (?, ?) ORDER BY d.idx, d.id LIMIT ?";

    @Override
    public List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit) {
        return docs(FIND_IN_LOG_ORDER, s -> {
            s.setString(1, collection);
            s.setString(2, key);
            s.setLong(3, afterIndex);
            s.setLong(4, afterIndex);
            s.setString(5, afterId);
            s.setInt(6, limit);
        });
    }

    @Override
    public List<Doc> inLogOrder(String collection, long afterIndex, String afterId, int limit) {
        return docs(IN_LOG_ORDER, s -> {
            s.setString(1, collection);
            s.setLong(2, afterIndex);
            s.setString(3, afterId);
            s.setInt(4, limit);
        });
    }

    @Override
    public List<Doc> allDocs(@Nullable String afterCollection, @Nullable String afterId, int limit) {
        return docs(DOCS + "WHERE (d.collection, d.id) > (?, ?) ORDER BY d.collection, d.id LIMIT ?", s -> {
            s.setString(1, afterCollection == null ? "" : afterCollection);
            s.setString(2, afterId == null ? "" : afterId);
            s.setInt(3, limit);
        });
    }

    /**
     * Writes a document's new version or its deletion. A document keeps its keys in its row; the
     * {@code doc_keys} index gains and loses only the keys that differ from the version it replaces,
     * so rewriting a document whose keys did not change (a key's {@code lastSeq}) writes one row.
     */
    @Override
    public void apply(Change change) {
        written = true;
        String collection = change instanceof Change.Put p ? p.doc().collection() : ((Change.Delete) change).collection();
        String id = change instanceof Change.Put p ? p.doc().id() : ((Change.Delete) change).id();
        Optional<SortedSet<String>> before = one("SELECT keys FROM docs WHERE collection = ? AND id = ?", s -> {
            s.setString(1, collection);
            s.setString(2, id);
        }, r -> keys(r.getString(1)));
        SortedSet<String> after = change instanceof Change.Put p ? p.doc().keys() : java.util.Collections.emptySortedSet();
        for (String k : before.orElse(java.util.Collections.emptySortedSet())) {
            if (!after.contains(k)) {
                key("DELETE FROM doc_keys WHERE collection = ? AND key = ? AND id = ?", collection, k, id);
            }
        }
        for (String k : after) {
            if (before.isEmpty() || !before.get().contains(k)) {
                key("INSERT INTO doc_keys (collection, key, id) VALUES (?, ?, ?)", collection, k, id);
            }
        }
        if (!(change instanceof Change.Put p)) {
            if (before.isPresent()) {
                update("DELETE FROM docs WHERE collection = ? AND id = ?", s -> {
                    s.setString(1, collection);
                    s.setString(2, id);
                });
            }
            return;
        }
        Doc d = p.doc();
        String sql = before.isPresent()
                ? "UPDATE docs SET body = ?, visibility = ?, owner = ?, idx = ?, keys = ? WHERE collection = ? AND id = ?"
                : "INSERT INTO docs (body, visibility, owner, idx, keys, collection, id) VALUES (?, ?, ?, ?, ?, ?, ?)";
        update(sql, s -> {
            s.setString(1, Json.canonicalString(d.body()));
            s.setString(2, Json.canonicalString(d.visibility().toJson()));
            s.setString(3, d.owner());
            s.setLong(4, d.index());
            s.setString(5, keysJson(d.keys()));
            s.setString(6, collection);
            s.setString(7, id);
        });
    }

    private void key(String sql, String collection, String key, String id) {
        update(sql, s -> {
            s.setString(1, collection);
            s.setString(2, key);
            s.setString(3, id);
        });
    }

    /** A document's keys as its row keeps them: a JSON array of strings. */
    private static String keysJson(java.util.Set<String> keys) {
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        keys.forEach(a::add);
        return Json.canonicalString(a);
    }

    private static SortedSet<String> keys(String json) {
        TreeSet<String> keys = new TreeSet<>();
        for (JsonNode k : parse(json)) {
            if (!k.isTextual()) {
                throw new StoreException("a stored document's keys are not strings: " + json);
            }
            keys.add(k.textValue());
        }
        return keys;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidJsonException e) {
            throw new StoreException("a stored document is not JSON: " + e.getMessage());
        }
    }

    private static Visibility visibility(String json) {
        try {
            return Visibility.fromJson(parse(json));
        } catch (EntryException e) {
            throw new StoreException("a stored visibility is malformed: " + e.getMessage());
        }
    }
}
