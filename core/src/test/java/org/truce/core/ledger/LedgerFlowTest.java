package org.truce.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.hotline.Hotline;
import org.truce.core.state.Doc;
import org.truce.core.state.Overlay;
import org.truce.core.state.StateView;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;

/** Whole flows through the ledger: signed, sent over the wire, admitted, applied in order. */
class LedgerFlowTest {
    private static final Instant T0 = Instant.parse("2016-09-12T16:00:00Z");
    private static final StateView EMPTY = new StateView() {
        @Override
        public Optional<Doc> get(String collection, String id) {
            return Optional.empty();
        }

        @Override
        public List<Doc> find(String collection, String key, String afterId, int limit) {
            return List.of();
        }
    };

    private final SecureRandom rng = new SecureRandom();
    private final Ledger ledger = Ledger.standard();
    private Overlay state;
    private long index;
    private EntrySigner operator;
    private EntrySigner us;
    private EntrySigner ru;
    private EntrySigner sy;

    @BeforeEach
    void genesisAndParties() throws Exception {
        state = new Overlay(EMPTY);
        operator = signer(PartyId.OPERATOR);
        us = signer("us");
        ru = signer("ru");
        sy = signer("sy");
        ObjectNode g = obj().put("origin", "truce.example/log").put("name", "Joint centre")
                .put("checkpointKey", NoteKeys.generate("truce.example/log", NoteKeys.TYPE_ED25519, rng).vkey())
                .put("entryKey", operator.vkey());
        apply(operator, "genesis", g, Visibility.PUBLIC, 1);
        register(us, 2);
        register(ru, 3);
        register(sy, 4);
    }

    private EntrySigner signer(String party) throws Exception {
        return EntrySigner.fromPrivateKey(NoteKeys.generate(party, NoteKeys.TYPE_ED25519, rng).privateKey());
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private void register(EntrySigner p, long seq) throws Exception {
        ObjectNode b = obj().put("id", p.party()).put("name", p.party().toUpperCase());
        b.putArray("roles").add("party");
        b.putArray("keys").add(p.vkey());
        apply(operator, "party", b, Visibility.PUBLIC, seq);
    }

    /** Signs, sends over the wire form, admits and applies; returns the entry's leaf hash. */
    private Hash apply(EntrySigner s, String kind, ObjectNode body, Visibility v, long seq) throws EntryException {
        Submission signed = s.sign(kind, body, v, List.of(), seq, T0);
        Submission wire = Submission.parse(signed.toJson().toString().getBytes(StandardCharsets.UTF_8));
        ledger.admit(state, wire);
        Hash leaf = Rfc9162.leafHash(Leaf.encode(wire.header(), T0));
        state.apply(ledger.apply(state, new Sequenced(index++, leaf, wire.header(), wire.body(), T0)));
        return leaf;
    }

    private static Rejection reason(ThrowingRunnable r) {
        try {
            r.run();
        } catch (EntryException e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError("expected an EntryException, got " + e, e);
        }
        throw new AssertionError("expected the entry to be refused");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private ObjectNode message(String to, String subject) {
        ObjectNode b = obj().put("subject", subject).put("text", "text");
        b.putArray("to").add(to);
        return b;
    }

    // ---- keys and seq ----

    @Test
    void apply_rotatedThenRevokedKey_refusesTheRevokedKeyFromThenOn() throws Exception {
        EntrySigner us2 = signer("us");
        apply(us, "party.key", obj().put("party", "us").put("action", "add").put("vkey", us2.vkey()), Visibility.PUBLIC, 1);
        apply(us2, "party.key", obj().put("party", "us").put("action", "revoke").put("vkey", us.vkey())
                .put("reason", "rotated"), Visibility.PUBLIC, 1);
        assertThat(reason(() -> apply(us, "message", message("ru", "old key"), Visibility.PUBLIC, 2)))
                .isEqualTo(Rejection.REVOKED_KEY);
        apply(us2, "message", message("ru", "new key"), Visibility.PUBLIC, 2);
    }

    @Test
    void apply_replayedOrReorderedSeq_refused() throws Exception {
        apply(us, "message", message("ru", "a"), Visibility.PUBLIC, 5);
        assertThat(reason(() -> apply(us, "message", message("ru", "b"), Visibility.PUBLIC, 5)))
                .isEqualTo(Rejection.REPLAYED_SEQ);
        assertThat(reason(() -> apply(us, "message", message("ru", "c"), Visibility.PUBLIC, 4)))
                .isEqualTo(Rejection.REPLAYED_SEQ);
        apply(us, "message", message("ru", "d"), Visibility.PUBLIC, 9);
    }

    @Test
    void admit_unregisteredKeyOrNonOperatorRegistration_refused() throws Exception {
        EntrySigner stranger = signer("xx");
        assertThat(reason(() -> apply(stranger, "message", message("ru", "hi"), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.UNKNOWN_KEY);
        ObjectNode b = obj().put("id", "xx").put("name", "X");
        b.putArray("roles").add("party");
        b.putArray("keys").add(stranger.vkey());
        assertThat(reason(() -> apply(us, "party", b, Visibility.PUBLIC, 1))).isEqualTo(Rejection.NOT_ALLOWED);
    }

    @Test
    void admit_bodyBreakingItsSchema_refusedNamingTheField() {
        ObjectNode b = message("ru", "x").put("colour", "red");
        assertThatThrownBy(() -> apply(us, "message", b, Visibility.PUBLIC, 1))
                .isInstanceOf(EntryException.class).hasMessageContaining("colour")
                .satisfies(e -> assertThat(((EntryException) e).reason()).isEqualTo(Rejection.SCHEMA_VIOLATION));
    }

    // ---- the hotline ----

    @Test
    void hotline_unacknowledgedPastDeadline_isOverdueUntilAcknowledged() throws Exception {
        Hash m = apply(us, "message", message("ru", "ceasefire at 19:00").put("ackBy", "2016-09-12T18:00:00Z"),
                Visibility.PARTIES, 1);
        Clock before = Clock.fixed(Instant.parse("2016-09-12T17:00:00Z"), ZoneOffset.UTC);
        Clock after = Clock.fixed(Instant.parse("2016-09-12T18:00:01Z"), ZoneOffset.UTC);
        assertThat(status(before, "ru", m)).isEqualTo("awaiting");
        assertThat(status(after, "ru", m)).isEqualTo("overdue");
        apply(ru, "message.ack", obj().put("message", m.base64()), Visibility.PARTIES, 1);
        assertThat(status(after, "ru", m)).isEqualTo("acknowledged");
        assertThat(reason(() -> apply(ru, "message.ack", obj().put("message", m.base64()), Visibility.PARTIES, 2)))
                .isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(reason(() -> apply(sy, "message.ack", obj().put("message", m.base64()), Visibility.PARTIES, 1)))
                .isEqualTo(Rejection.NOT_ALLOWED);
    }

    private String status(Clock clock, String party, Hash message) {
        ObjectNode m = new Hotline(state, clock).message(Reader.party(party), message.base64());
        return m.get("recipients").get(0).get("status").asText();
    }

    @Test
    void hotline_namedMessage_invisibleToOthersOnEveryView() throws Exception {
        Hash m = apply(us, "message", message("ru", "between us"), Visibility.named("ru", "us"), 1);
        Clock now = Clock.fixed(T0, ZoneOffset.UTC);
        Hotline h = new Hotline(state, now);
        assertThat(h.inbox(Reader.party("ru"), "ru", null, 10)).hasSize(1);
        assertThat(h.outbox(Reader.party("us"), "us", null, 10)).hasSize(1);
        assertThat(h.inbox(Reader.party("sy"), "ru", null, 10)).isEmpty();
        assertThat(h.outbox(Reader.PUBLIC, "us", null, 10)).isEmpty();
        assertThat(h.message(Reader.party("sy"), m.base64())).isNull();
        assertThat(h.message(Reader.PUBLIC, m.base64())).isNull();
    }

    @Test
    void hotline_replyByOutsider_refused() throws Exception {
        Hash m = apply(us, "message", message("ru", "q"), Visibility.PUBLIC, 1);
        ObjectNode reply = message("us", "a").put("inReplyTo", m.base64());
        assertThat(reason(() -> apply(sy, "message", reply, Visibility.PUBLIC, 1))).isEqualTo(Rejection.NOT_ALLOWED);
        Hash r = apply(ru, "message", reply, Visibility.PUBLIC, 1);
        ObjectNode doc = new Hotline(state, Clock.systemUTC()).message(Reader.PUBLIC, r.base64());
        assertThat(doc.get("thread").asText()).isEqualTo(m.base64());
    }

    // ---- determinism ----

    @Test
    void apply_sameEntriesTwice_sameChanges() throws Exception {
        Submission s = us.sign("message", message("ru", "same"), Visibility.PUBLIC, List.of(), 1, T0);
        Sequenced e = new Sequenced(index, Rfc9162.leafHash(Leaf.encode(s.header(), T0)), s.header(), s.body(), T0);
        var a = ledger.apply(state, e);
        var b = ledger.apply(state, e);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(((org.truce.core.state.Change.Put) a.get(i)).doc().canonical())
                    .isEqualTo(((org.truce.core.state.Change.Put) b.get(i)).doc().canonical());
        }
    }
}
