package org.truce.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.core.ledger.Ledger;
import org.truce.server.TestClock;
import org.truce.server.sequencer.Receipt;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.TileBuilder;

/**
 * The full audit over a real store: a log of a few parties exchanging messages over three entry
 * bundles, in which one party adds a key and revokes its first one, audits clean; each way of forging
 * or corrupting it is found at the entry at fault. Each engine runs it through a subclass.
 */
abstract class LogAuditTest {
    private static final String ORIGIN = "truce.example/audit";
    private static final Instant T0 = Instant.parse("2016-09-12T16:00:00Z");
    private static final int MESSAGES = 300;

    private final SecureRandom rng = new SecureRandom();
    private final TestClock clock = new TestClock(T0);
    private final Map<String, Long> seqs = new HashMap<>();
    private final List<Store> opened = new ArrayList<>();
    private Signer checkpointKey;
    private EntrySigner operator;
    private EntrySigner us;
    private EntrySigner usSecond;
    private EntrySigner ru;
    private EntrySigner sy;
    private String url;
    private Store store;
    private long added;
    private long revoked;
    private long size;

    /** The JDBC URL of a new, empty database of the engine under test. */
    protected abstract String newDatabase(String name);

    /** Opens the store at a URL from {@link #newDatabase}. */
    protected abstract Store open(String url);

    /** A plain JDBC connection to a URL from {@link #newDatabase}, for altering what the store holds. */
    protected abstract Connection connect(String url) throws SQLException;

    @BeforeEach
    void log() throws Exception {
        url = newDatabase("audit");
        store = keep(open(url));
        checkpointKey = NoteKeys.parseSigner(NoteKeys.generate(ORIGIN, NoteKeys.TYPE_ED25519, rng).privateKey());
        operator = signer(PartyId.OPERATOR);
        us = signer("us");
        usSecond = signer("us");
        ru = signer("ru");
        sy = signer("sy");
        try (Sequencer sequencer = new Sequencer(store, Ledger.standard(), checkpointKey, clock, Sequencer.Options.DEFAULT)) {
            List<CompletableFuture<Receipt>> answers = new ArrayList<>();
            ObjectNode genesis = obj().put("origin", ORIGIN).put("name", "Operator")
                    .put("checkpointKey", checkpointKey.verifier().vkey()).put("entryKey", operator.vkey());
            // Entries are admitted against the state: each one that registers keys is waited for.
            answers.add(sequencer.submit(sign(operator, "genesis", genesis, Visibility.PUBLIC)));
            answers.get(0).get();
            for (EntrySigner p : List.of(us, ru, sy)) {
                ObjectNode b = obj().put("id", p.party()).put("name", p.party().toUpperCase());
                b.putArray("roles").add("party");
                b.putArray("keys").add(p.vkey());
                answers.add(sequencer.submit(sign(operator, "party", b, Visibility.PUBLIC)));
                answers.get(answers.size() - 1).get();
            }
            List<EntrySigner> senders = List.of(us, ru, sy);
            for (int i = 0; i < MESSAGES; i++) {
                answers.add(sequencer.submit(message(senders.get(i % 3), senders.get((i + 1) % 3).party(), i)));
            }
            ObjectNode add = obj().put("party", "us").put("action", "add").put("vkey", usSecond.vkey());
            answers.add(sequencer.submit(sign(us, "party.key", add, Visibility.PUBLIC)));
            answers.get(answers.size() - 1).get();
            // A key may sign its own revocation; it signs nothing after it.
            ObjectNode revoke = obj().put("party", "us").put("action", "revoke").put("vkey", us.vkey())
                    .put("reason", "rotated");
            answers.add(sequencer.submit(sign(us, "party.key", revoke, Visibility.PUBLIC)));
            answers.get(answers.size() - 1).get();
            for (int i = 0; i < MESSAGES; i++) {
                EntrySigner from = i % 2 == 0 ? usSecond : ru;
                answers.add(sequencer.submit(message(from, from == ru ? "us" : "ru", MESSAGES + i)));
            }
            List<Long> indexes = new ArrayList<>();
            for (CompletableFuture<Receipt> a : answers) {
                indexes.add(a.get().index());
            }
            added = indexes.get(4 + MESSAGES);
            revoked = added + 1;
            size = indexes.size();
        }
    }

    @AfterEach
    void close() {
        opened.forEach(Store::close);
    }

    // ---------------------------------------------------------------- a good log

    @Test
    void run_goodLog_passesEveryEntryAndSignature() {
        assertThat(size).as("three entry bundles").isGreaterThan(512);
        for (int threads : List.of(1, 3)) {
            LogAudit.Result r = audit(store, threads);
            assertThat(r.failure()).as("threads " + threads).isNull();
            assertThat(r.passed()).isTrue();
            assertThat(r.entries()).isEqualTo(size);
            assertThat(r.signatures()).isEqualTo(size);
            assertThat(r.checkpoint().size()).isEqualTo(size);
        }
    }

    @Test
    void run_otherLogKey_failsOnTheCheckpoint() throws Exception {
        Signer other = NoteKeys.parseSigner(NoteKeys.generate(ORIGIN, NoteKeys.TYPE_ED25519, rng).privateKey());
        LogAudit.Result r = LogAudit.of(other.verifier(), 2).run(store, Auditor.Progress.NONE);
        assertThat(r.failure().index()).isEqualTo(-1);
        assertThat(r.failure().problem()).startsWith("checkpoint");
        assertThat(r.entries()).isZero();
    }

    // ---------------------------------------------------------------- signatures

    @Test
    void run_signatureAlteredInTheEntryTable_namesTheEntry() throws Exception {
        long k = 200;
        byte[] forged = leafWithAlteredSignature(entry(store, k));
        try (Connection c = connect(url); PreparedStatement s = c.prepareStatement("UPDATE entries SET leaf = ? WHERE idx = ?")) {
            s.setBytes(1, forged);
            s.setLong(2, k);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        assertThat(tilesOnly(store)).as("the tiles alone do not show it").isInstanceOf(AuditReport.Verified.class);
        LogAudit.Result r = audit(store, 2);
        assertThat(r.failure().index()).isEqualTo(k);
        assertThat(r.failure().problem()).contains("differs from the one in the log's entry bundle");
        assertThat(r.entries()).isEqualTo(k);
    }

    @Test
    void run_signatureAlteredAndLogResealed_namesTheEntry() {
        long k = 400;
        Store forged = reseal("forged", e -> e.getKey().index() == k ? withAlteredSignature(e) : e, List.of());
        assertThat(tilesOnly(forged)).as("tiles and checkpoint agree").isInstanceOf(AuditReport.Verified.class);
        LogAudit.Result r = audit(forged, 2);
        assertThat(r.failure()).isEqualTo(new LogAudit.Failure(k, "the signature does not verify with key "
                + header(entry(forged, k)).key()));
        assertThat(r.entries()).isEqualTo(k);
    }

    // ---------------------------------------------------------------- keys

    @Test
    void run_entrySignedWithRevokedKeyAfterItsRevocation_namesTheEntry() {
        Store forged = reseal("revoked", UnaryOperator.identity(), List.of(message(us, "ru", -1)));
        assertThat(tilesOnly(forged)).isInstanceOf(AuditReport.Verified.class);
        LogAudit.Result r = audit(forged, 2);
        assertThat(r.failure()).isEqualTo(new LogAudit.Failure(size, "signed with key " + us.keyRef()
                + ", revoked at entry " + revoked));
        assertThat(r.signatures()).isEqualTo(size);
    }

    @Test
    void run_entrySignedWithKeyTheLogNeverRegistered_namesTheEntry() throws Exception {
        EntrySigner stranger = signer("ru");
        Store forged = reseal("stranger", UnaryOperator.identity(), List.of(message(stranger, "us", -1)));
        LogAudit.Result r = audit(forged, 2);
        assertThat(r.failure()).isEqualTo(new LogAudit.Failure(size, "signed with key " + stranger.keyRef()
                + ", which the log has not registered before it"));
    }

    @Test
    void run_keyAddedByAnotherParty_namesTheEntry() throws Exception {
        ObjectNode add = obj().put("party", "ru").put("action", "add").put("vkey", signer("ru").vkey());
        Store forged = reseal("intruder", UnaryOperator.identity(), List.of(sign(sy, "party.key", add, Visibility.PUBLIC)));
        LogAudit.Result r = audit(forged, 2);
        assertThat(r.failure()).isEqualTo(new LogAudit.Failure(size, "sy may not change the keys of ru"));
    }

    // ---------------------------------------------------------------- bodies

    @Test
    void run_keyBodyAltered_namesTheEntry() throws Exception {
        byte[] altered = Json.canonical(obj().put("party", "us").put("action", "add").put("vkey", signer("us").vkey()));
        try (Connection c = connect(url); PreparedStatement s = c.prepareStatement("UPDATE bodies SET body = ? WHERE idx = ?")) {
            s.setBytes(1, altered);
            s.setLong(2, added);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        LogAudit.Result r = audit(store, 2);
        assertThat(r.failure().index()).isEqualTo(added);
        assertThat(r.failure().problem()).startsWith("the stored body hashes to ").contains("not the digest the entry signed");
    }

    // ---------------------------------------------------------------- determinism

    @Test
    void run_severalFaults_sameFirstFailureWhateverTheThreadCount() {
        // The first fault is the last entry of one bundle and the next is the first of the next bundle,
        // so that a thread on the later bundle finds its fault long before one on the earlier bundle.
        Set<Long> bad = Set.of(511L, 512L, 513L, 700L, size - 1);
        Store forged = reseal("many", e -> bad.contains(e.getKey().index()) ? withAlteredSignature(e) : e,
                List.of(message(us, "ru", -1)));
        LogAudit.Result one = audit(forged, 1);
        assertThat(one.failure().index()).isEqualTo(511);
        for (int threads : List.of(2, 3, 4, 8, 8)) {
            assertThat(audit(forged, threads)).as("threads " + threads).isEqualTo(one);
        }
    }

    // ---------------------------------------------------------------- helpers

    private LogAudit.Result audit(Store s, int threads) {
        return LogAudit.of(checkpointKey.verifier(), threads).run(s, Auditor.Progress.NONE);
    }

    private AuditReport tilesOnly(Store s) {
        return s.read(tx -> new Auditor(tx, checkpointKey.verifier()).audit(null, Auditor.Progress.NONE));
    }

    private Store keep(Store s) {
        opened.add(s);
        return s;
    }

    /**
     * A copy of the log in a new database, each entry passed through {@code edit}, then {@code extra}
     * appended, with its tiles rebuilt and a checkpoint signed with the log key: what an operator who
     * rewrote the log would publish. The sequencer would refuse the extra entries; this writes them
     * through the store directly.
     */
    private Store reseal(String name, UnaryOperator<Map.Entry<StoredEntry, StoredBody>> edit, List<Submission> extra) {
        Store target = keep(open(newDatabase(name)));
        TileBuilder tiles = TileBuilder.empty(true);
        target.write(tx -> {
            for (long i = 0; i < size; i++) {
                long index = i;
                Map.Entry<StoredEntry, StoredBody> e = edit.apply(store.read(r -> Map.entry(r.entry(index).orElseThrow(),
                        r.body(index).orElseThrow())));
                tx.append(e.getKey(), e.getValue());
                tiles.add(e.getKey().leaf(), (path, data) -> tx.putTile(path.path(), data));
            }
            for (Submission s : extra) {
                long index = tiles.size();
                Instant received = T0.plus(Duration.ofHours(1));
                EntryHeader h = s.header();
                byte[] leaf = Leaf.encode(h, received);
                tx.append(new StoredEntry(index, Rfc9162.leafHash(leaf), Sequencer.headerHash(h), leaf, h.kind(), h.author(),
                        received), new StoredBody(index, s.canonicalBody(), s.salt(), h.visibility(), h.author()));
                tiles.add(leaf, (path, data) -> tx.putTile(path.path(), data));
            }
            tiles.flushPartials((path, data) -> tx.putTile(path.path(), data));
            tx.putCheckpoint(SignedNote.sign(new Checkpoint(ORIGIN, tiles.size(), tiles.root()).text(), checkpointKey).encode());
            return null;
        });
        return target;
    }

    private static Map.Entry<StoredEntry, StoredBody> withAlteredSignature(Map.Entry<StoredEntry, StoredBody> e) {
        StoredEntry old = e.getKey();
        byte[] leaf = leafWithAlteredSignature(old);
        EntryHeader h = header(leaf);
        return Map.entry(new StoredEntry(old.index(), Rfc9162.leafHash(leaf), Sequencer.headerHash(h), leaf, old.kind(),
                old.author(), old.received()), e.getValue());
    }

    /** The entry's leaf with one bit of its signature flipped. */
    private static byte[] leafWithAlteredSignature(StoredEntry e) {
        EntryHeader h = header(e.leaf());
        byte[] sig = h.signature();
        sig[10] ^= 0x01;
        return Leaf.encode(h.withSig(sig), e.received());
    }

    private static StoredEntry entry(Store s, long index) {
        return s.read(tx -> tx.entry(index).orElseThrow());
    }

    private static EntryHeader header(StoredEntry e) {
        return header(e.leaf());
    }

    private static EntryHeader header(byte[] leaf) {
        try {
            return EntryHeader.fromJson(Json.parse(leaf).path("entry"));
        } catch (Exception ex) {
            throw new IllegalStateException(new String(leaf, StandardCharsets.UTF_8), ex);
        }
    }

    private Submission message(EntrySigner from, String to, int n) {
        ObjectNode b = obj().put("subject", "message " + n).put("text", "text of message " + n);
        b.putArray("to").add(to);
        return sign(from, "message", b, Visibility.named(from.party(), to));
    }

    private Submission sign(EntrySigner s, String kind, JsonNode body, Visibility v) {
        long seq = seqs.merge(s.keyRef(), 1L, Long::sum);
        return s.sign(kind, body, v, List.of(), seq, T0);
    }

    private EntrySigner signer(String party) throws Exception {
        return EntrySigner.fromPrivateKey(NoteKeys.generate(party, NoteKeys.TYPE_ED25519, rng).privateKey());
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }
}
