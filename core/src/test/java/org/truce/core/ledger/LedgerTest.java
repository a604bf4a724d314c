package org.truce.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.truce.core.TestLog.message;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.hotline.HotlineRules;
import org.truce.core.kind.Kinds;
import org.truce.core.party.Keys;
import org.truce.core.party.PartyRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.Overlay;
import org.truce.tlog.merkle.Rfc9162;

class LedgerTest {

    private static Rejection reason(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        return refusal(c).reason();
    }

    // ---- genesis ----

    @Test
    void genesis_byOperatorIntoEmptyLog_recordsTheLogTheOperatorAndItsKey() throws Exception {
        TestLog log = new TestLog();
        TestLog.Logged g = log.genesis();
        assertThat(g.index()).isZero();
        Doc genesis = log.doc(PartyRules.LOG, PartyRules.GENESIS);
        assertThat(genesis.body().get("entryKey").textValue()).isEqualTo(log.operator.vkey());
        assertThat(genesis.body().get("origin").textValue()).isEqualTo("truce.example/log");
        assertThat(genesis.visibility()).isEqualTo(Visibility.PUBLIC);
        Doc operator = log.doc(PartyRules.COLLECTION, PartyId.OPERATOR);
        assertThat(operator.body().get("roles")).extracting(JsonNode::textValue).containsExactly("operator");
        Doc key = log.doc(Keys.COLLECTION, log.operator.keyRef());
        assertThat(key.body().get("status").textValue()).isEqualTo(Keys.ACTIVE);
        assertThat(key.body().get("lastSeq").longValue()).isEqualTo(1);
        assertThat(key.body().get("party").textValue()).isEqualTo(PartyId.OPERATOR);
    }

    @Test
    void genesis_thenOperatorEntry_verifiedWithTheDeclaredKey() throws Exception {
        TestLog log = new TestLog();
        log.genesis();
        assertThat(log.register(log.us).index()).isEqualTo(1);
        assertThat(log.state().get(PartyRules.COLLECTION, "us")).isPresent();
    }

    @Test
    void genesis_second_refused() throws Exception {
        TestLog log = new TestLog();
        log.genesis();
        EntryException e = refusal(() -> log.submit(log.operator, "genesis", log.genesisBody(log.operator.vkey()),
                Visibility.PUBLIC));
        assertThat(e.reason()).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(e).hasMessageContaining("genesis");
        assertThat(log.logged()).hasSize(1);
    }

    @Test
    void genesis_secondWithAnotherOperatorKey_refused() throws Exception {
        TestLog log = new TestLog();
        log.genesis();
        EntrySigner other = log.key(PartyId.OPERATOR);
        assertThat(reason(() -> log.submit(other, "genesis", log.genesisBody(other.vkey()), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(log.doc(PartyRules.LOG, PartyRules.GENESIS).body().get("entryKey").textValue())
                .isEqualTo(log.operator.vkey());
    }

    @Test
    void genesis_byNonOperator_notAllowed() {
        TestLog log = new TestLog();
        assertThat(reason(() -> log.submit(log.us, "genesis", log.genesisBody(log.us.vkey()), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(log.state().get(PartyRules.LOG, PartyRules.GENESIS)).isEmpty();
    }

    @Test
    void genesis_signedByAnotherKeyThanTheDeclaredEntryKey_unknownKey() {
        TestLog log = new TestLog();
        EntrySigner other = log.key(PartyId.OPERATOR);
        assertThat(reason(() -> log.submit(other, "genesis", log.genesisBody(log.operator.vkey()), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.UNKNOWN_KEY);
        assertThat(log.logged()).isEmpty();
    }

    @Test
    void genesis_declaringAKeyNamedForAnotherParty_refused() {
        TestLog log = new TestLog();
        assertThat(reason(() -> log.submit(log.operator, "genesis", log.genesisBody(log.us.vkey()), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(log.logged()).isEmpty();
    }

    @Test
    void genesis_notAtIndexZero_refused() {
        TestLog log = new TestLog();
        Submission s = log.sign(log.operator, "genesis", log.genesisBody(log.operator.vkey()), Visibility.PUBLIC, 1);
        Sequenced at5 = new Sequenced(5, Rfc9162.leafHash(Leaf.encode(s.header(), TestLog.RECEIVED)), s.header(),
                s.body(), TestLog.RECEIVED);
        assertThat(reason(() -> log.ledger().apply(TestLog.EMPTY, at5))).isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void admit_entryBeforeGenesis_unknownKey() {
        TestLog log = new TestLog();
        assertThat(reason(() -> log.register(log.us))).isEqualTo(Rejection.UNKNOWN_KEY);
    }

    // ---- kinds and schemas ----

    @Test
    void admit_unknownKind_refused() throws Exception {
        TestLog log = TestLog.started();
        assertThat(reason(() -> log.submit(log.us, "conflict", obj(), Visibility.PUBLIC)))
                .isEqualTo(Rejection.UNKNOWN_KIND);
    }

    @Test
    void admit_bodyBreakingItsSchema_refusedNamingTheField() throws Exception {
        TestLog log = TestLog.started();
        EntryException e = refusal(() -> log.submit(log.us, "message", message("s", "ru").put("colour", "red"),
                Visibility.PUBLIC));
        assertThat(e.reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
        assertThat(e).hasMessageContaining("colour");
    }

    @Test
    void constructor_kindWithoutRules_throws() {
        assertThatThrownBy(() -> new Ledger(Kinds.standard(), List.of(new PartyRules())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message");
        assertThatThrownBy(() -> new Ledger(Kinds.standard(), List.of(new PartyRules(), new HotlineRules(),
                new HotlineRules()))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- signatures and keys ----

    @Test
    void admit_unregisteredKey_unknownKey() throws Exception {
        TestLog log = TestLog.started();
        EntrySigner stranger = log.key("xx");
        assertThat(reason(() -> log.submit(stranger, "message", message("hi", "ru"), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.UNKNOWN_KEY);
        EntrySigner secondUsKey = log.key("us");
        assertThat(reason(() -> log.submit(secondUsKey, "message", message("hi", "ru"), Visibility.PUBLIC, 1)))
                .isEqualTo(Rejection.UNKNOWN_KEY);
    }

    @Test
    void admit_flippedSignatureBit_badSignature() throws Exception {
        TestLog log = TestLog.started();
        ObjectNode wire = log.sign(log.us, "message", message("hi", "ru"), Visibility.PUBLIC, 1).toJson();
        ObjectNode entry = (ObjectNode) wire.get("entry");
        byte[] sig = Base64.getDecoder().decode(entry.get("sig").textValue());
        sig[10] ^= 0x01;
        entry.put("sig", Base64.getEncoder().encodeToString(sig));
        EntryException e = refusal(() -> log.submitWire(wire));
        assertThat(e.reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(e.reason().status()).isEqualTo(401);
    }

    @Test
    void admit_fieldChangedAfterSigning_badSignature() throws Exception {
        TestLog log = TestLog.started();
        for (var change : List.<java.util.function.Consumer<ObjectNode>>of(
                e -> e.put("seq", 2),
                e -> e.put("at", "2016-09-20T08:00:01Z"),
                e -> e.putArray("refs").add(Rfc9162.leafHash(new byte[] {7}).base64()))) {
            ObjectNode wire = log.sign(log.us, "message", message("hi", "ru"), Visibility.PUBLIC, 1).toJson();
            change.accept((ObjectNode) wire.get("entry"));
            assertThat(reason(() -> log.submitWire(wire))).isEqualTo(Rejection.BAD_SIGNATURE);
        }
        assertThat(log.next(log.us)).isEqualTo(1);
    }

    @Test
    void admit_bodySwappedWithItsDigest_badSignature() throws Exception {
        TestLog log = TestLog.started();
        Submission signed = log.sign(log.us, "message", message("ceasefire at 19:00", "ru"), Visibility.PUBLIC, 1);
        Submission forged = log.sign(log.us, "message", message("ceasefire at 21:00", "ru"), Visibility.PUBLIC, 1);
        ObjectNode wire = forged.toJson();
        ((ObjectNode) wire.get("entry")).put("sig", signed.header().sig());
        assertThat(reason(() -> log.submitWire(wire))).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void admit_signedByAnotherKeyOfTheSameParty_badSignature() throws Exception {
        TestLog log = TestLog.started();
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", TestLog.partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        ObjectNode wire = log.sign(us2, "message", message("hi", "ru"), Visibility.PUBLIC, 5).toJson();
        ((ObjectNode) wire.get("entry")).put("key", log.us.keyRef());
        assertThat(reason(() -> log.submitWire(wire))).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void admit_signatureOfAnotherParty_refused() throws Exception {
        TestLog log = TestLog.started();
        // ru signs an entry that claims to be written by us: the key must be us's, and ru's signature
        // does not verify with it.
        ObjectNode wire = log.sign(log.ru, "message", message("hi", "sy"), Visibility.PUBLIC, 1).toJson();
        ObjectNode entry = (ObjectNode) wire.get("entry");
        entry.put("author", "us").put("key", log.us.keyRef());
        assertThat(reason(() -> log.submitWire(wire))).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    // ---- seq ----

    @Test
    void apply_sameSeqAgain_replayed() throws Exception {
        TestLog log = TestLog.started();
        log.submit(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 5);
        EntryException e = refusal(() -> log.submit(log.us, "message", message("b", "ru"), Visibility.PUBLIC, 5));
        assertThat(e.reason()).isEqualTo(Rejection.REPLAYED_SEQ);
        assertThat(e.reason().status()).isEqualTo(409);
    }

    @Test
    void apply_identicalEntryAgain_replayed() throws Exception {
        TestLog log = TestLog.started();
        Submission s = log.sign(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 1);
        log.submit(s);
        assertThat(reason(() -> log.submit(s))).isEqualTo(Rejection.REPLAYED_SEQ);
    }

    @Test
    void apply_lowerSeq_replayed() throws Exception {
        TestLog log = TestLog.started();
        Submission first = log.sign(log.us, "message", message("first", "ru"), Visibility.PUBLIC, 1);
        Submission second = log.sign(log.us, "message", message("second", "ru"), Visibility.PUBLIC, 2);
        log.submit(second);
        assertThat(reason(() -> log.submit(first))).isEqualTo(Rejection.REPLAYED_SEQ);
    }

    @Test
    void apply_gapInSeq_acceptedAndRecorded() throws Exception {
        TestLog log = TestLog.started();
        log.submit(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 1);
        log.submit(log.us, "message", message("b", "ru"), Visibility.PUBLIC, 9);
        assertThat(log.doc(Keys.COLLECTION, log.us.keyRef()).body().get("lastSeq").longValue()).isEqualTo(9);
        assertThat(reason(() -> log.submit(log.us, "message", message("c", "ru"), Visibility.PUBLIC, 8)))
                .isEqualTo(Rejection.REPLAYED_SEQ);
        log.submit(log.us, "message", message("d", "ru"), Visibility.PUBLIC, 10);
    }

    @Test
    void apply_largestSeq_acceptedOnceThenTheKeyIsSpent() throws Exception {
        TestLog log = TestLog.started();
        log.submit(log.us, "message", message("a", "ru"), Visibility.PUBLIC, (1L << 53) - 1);
        assertThat(reason(() -> log.submit(log.us, "message", message("b", "ru"), Visibility.PUBLIC, (1L << 53) - 1)))
                .isEqualTo(Rejection.REPLAYED_SEQ);
    }

    @Test
    void apply_seqIsPerKey_notPerParty() throws Exception {
        TestLog log = TestLog.started();
        log.submit(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 50);
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", TestLog.partyKey("us", "add", us2.vkey()), Visibility.PUBLIC, 51);
        TestLog.Logged m = log.submit(us2, "message", message("from the new key", "ru"), Visibility.PUBLIC, 1);
        assertThat(m.entry().header().key()).isEqualTo(us2.keyRef());
        // Every party's seq is its own: ru starts at 1 whatever us has reached.
        log.submit(log.ru, "message", message("b", "us"), Visibility.PUBLIC, 1);
    }

    @Test
    void apply_refusedEntry_doesNotConsumeItsSeq() throws Exception {
        TestLog log = TestLog.started();
        assertThat(reason(() -> log.submit(log.us, "message", message("a", "nobody"), Visibility.PUBLIC, 3)))
                .isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(log.doc(Keys.COLLECTION, log.us.keyRef()).body().get("lastSeq").longValue()).isZero();
        log.submit(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 3);
    }

    @Test
    void apply_acceptedEntry_updatesTheKeysLastSeqFirst() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged m = log.submit(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 4);
        assertThat(m.changes()).hasSize(2);
        Doc key = ((Change.Put) m.changes().get(0)).doc();
        assertThat(key.collection()).isEqualTo(Keys.COLLECTION);
        assertThat(key.body().get("lastSeq").longValue()).isEqualTo(4);
        assertThat(((Change.Put) m.changes().get(1)).doc().collection()).isEqualTo(HotlineRules.MESSAGES);
    }

    @Test
    void apply_anyEntry_leavesTheStateItReadsUnchanged() throws Exception {
        TestLog log = TestLog.started();
        Overlay before = log.state();
        int changes = before.changes().size();
        Submission s = log.sign(log.us, "message", message("a", "ru"), Visibility.PUBLIC, 1);
        log.ledger().apply(before, new Sequenced(99, Rfc9162.leafHash(new byte[] {9}), s.header(), s.body(),
                TestLog.RECEIVED));
        assertThat(before.changes()).hasSize(changes);
        assertThat(log.doc(Keys.COLLECTION, log.us.keyRef()).body().get("lastSeq").longValue()).isZero();
    }

    // ---- determinism ----

    @Test
    void apply_sameEntriesToTwoFreshOverlays_identicalChanges() throws Exception {
        TestLog log = TestLog.started();
        EntrySigner us2 = log.key("us");
        TestLog.Logged q = log.submit(log.us, "message", message("q", "ru", "sy").put("ackBy", "2016-09-20T09:00:00Z"),
                Visibility.PARTIES);
        log.submit(log.ru, "message.ack", obj().put("message", q.id()), Visibility.named("ru", "us"));
        log.submit(log.ru, "message", message("a", "us").put("inReplyTo", q.id()), Visibility.named("ru", "us"));
        log.submit(log.us, "party.key", TestLog.partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        log.submit(us2, "party.key", TestLog.partyKey("us", "revoke", log.us.vkey()).put("reason", "rotated"),
                Visibility.PUBLIC);
        log.submit(log.operator, "party", TestLog.partyBody("sy", "monitor", log.sy.vkey()), Visibility.PUBLIC);

        List<List<Change>> first = log.replay();
        List<List<Change>> second = log.replay();
        List<List<Change>> original = log.logged().stream().map(TestLog.Logged::changes).toList();
        assertThat(canonical(first)).isEqualTo(canonical(second)).isEqualTo(canonical(original));
        assertThat(canonical(first)).hasSize(log.logged().size());
    }

    private static List<List<String>> canonical(List<List<Change>> all) {
        return all.stream().map(cs -> cs.stream().map(c -> c instanceof Change.Put p
                ? new String(p.doc().canonical(), java.nio.charset.StandardCharsets.UTF_8)
                : c.toString()).toList()).toList();
    }

    @Test
    void fromCanonical_docOfAMessage_sameCanonicalForm() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged m = log.submit(log.us, "message", message("q", "ru"), Visibility.named("ru", "us"));
        Doc d = ((Change.Put) m.changes().get(1)).doc();
        Doc back = Doc.fromCanonical(org.truce.core.json.Json.parse(d.canonical()));
        // Compared by canonical form: Jackson tells an int node from a long node of the same value.
        assertThat(back.canonical()).isEqualTo(d.canonical());
        assertThat(back.visibility()).isEqualTo(d.visibility());
        assertThat(back.keys()).isEqualTo(d.keys());
        assertThat(back.owner()).isEqualTo("us");
    }

    @Test
    void party_invalidId_empty() throws Exception {
        TestLog log = TestLog.started();
        assertThat(Ledger.party(log.state(), "us")).isPresent();
        assertThat(Ledger.party(log.state(), "US")).isEmpty();
    }
}
