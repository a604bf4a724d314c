package org.truce.core.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.message;
import static org.truce.core.TestLog.partyBody;
import static org.truce.core.TestLog.partyKey;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.state.Doc;

class PartyRulesTest {
    private TestLog log;

    @BeforeEach
    void start() throws Exception {
        log = new TestLog();
        log.genesis();
    }

    private static Rejection reason(ThrowingCallable c) {
        return refusal(c).reason();
    }

    private Doc key(EntrySigner k) {
        return log.doc(Keys.COLLECTION, k.keyRef());
    }

    private TestLog.Logged say(EntrySigner from, String to) throws EntryException {
        return log.submit(from, "message", message("hello", to), Visibility.PUBLIC);
    }

    // ---- registration ----

    @Test
    void party_registeredByOperator_itsKeyCanSign() throws Exception {
        assertThat(reason(() -> say(log.us, PartyId.OPERATOR))).isEqualTo(Rejection.UNKNOWN_KEY);
        TestLog.Logged r = log.register(log.us);
        Doc party = log.doc(PartyRules.COLLECTION, "us");
        assertThat(party.body().get("name").textValue()).isEqualTo("US");
        assertThat(party.body().get("registered").longValue()).isEqualTo(r.index());
        assertThat(party.keys()).contains("role:party");
        Doc k = key(log.us);
        assertThat(k.body().get("vkey").textValue()).isEqualTo(log.us.vkey());
        assertThat(k.body().get("status").textValue()).isEqualTo(Keys.ACTIVE);
        assertThat(k.body().get("added").longValue()).isEqualTo(r.index());
        assertThat(k.keys()).containsExactly("party:us");
        say(log.us, PartyId.OPERATOR);
    }

    @Test
    void party_registeredByNonOperator_notAllowed() throws Exception {
        log.register(log.us);
        EntrySigner xx = log.key("xx");
        assertThat(reason(() -> log.submit(log.us, "party", partyBody("xx", "party", xx.vkey()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(log.state().get(PartyRules.COLLECTION, "xx")).isEmpty();
        assertThat(reason(() -> say(xx, "us"))).isEqualTo(Rejection.UNKNOWN_KEY);
    }

    @Test
    void party_selfRegistration_notAllowed() throws Exception {
        log.register(log.us);
        assertThat(reason(() -> log.submit(log.us, "party", partyBody("us", "monitor", log.us.vkey()),
                Visibility.PUBLIC))).isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(log.doc(PartyRules.COLLECTION, "us").keys()).containsExactly("role:party");
    }

    @Test
    void party_withTheOperatorsId_refused() {
        assertThat(reason(() -> log.submit(log.operator, "party", partyBody("operator", "party", log.key("operator").vkey()),
                Visibility.PUBLIC))).isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void party_withAKeyNamedForAnotherParty_refused() {
        assertThat(reason(() -> log.submit(log.operator, "party", partyBody("xx", "party", log.ru.vkey()),
                Visibility.PUBLIC))).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(log.state().get(PartyRules.COLLECTION, "xx")).isEmpty();
        assertThat(log.state().get(Keys.COLLECTION, log.ru.keyRef())).isEmpty();
    }

    @Test
    void party_withoutKeys_registeredButCannotSign() throws Exception {
        log.submit(log.operator, "party", partyBody("us", "witness"), Visibility.PUBLIC);
        assertThat(log.doc(PartyRules.COLLECTION, "us").keys()).containsExactly("role:witness");
        assertThat(reason(() -> say(log.us, PartyId.OPERATOR))).isEqualTo(Rejection.UNKNOWN_KEY);
    }

    @Test
    void party_registeredAgain_keepsItsFirstIndexAndTakesNewRoles() throws Exception {
        TestLog.Logged first = log.register(log.us);
        ObjectNode again = partyBody("us", "monitor", log.us.vkey());
        again.withArray("roles").add("witness");
        TestLog.Logged second = log.submit(log.operator, "party", again, Visibility.PUBLIC);
        Doc party = log.doc(PartyRules.COLLECTION, "us");
        assertThat(party.body().get("registered").longValue()).isEqualTo(first.index());
        assertThat(party.body().get("updated").longValue()).isEqualTo(second.index());
        assertThat(party.keys()).containsExactly("role:monitor", "role:witness");
        assertThat(key(log.us).body().get("added").longValue()).isEqualTo(first.index());
    }

    @Test
    void party_registeredAgainWithARevokedKey_keyStaysRevoked() throws Exception {
        log.register(log.us);
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        log.submit(us2, "party.key", partyKey("us", "revoke", log.us.vkey()), Visibility.PUBLIC);
        log.register(log.us);
        assertThat(key(log.us).body().get("status").textValue()).isEqualTo(Keys.REVOKED);
        assertThat(reason(() -> say(log.us, PartyId.OPERATOR))).isEqualTo(Rejection.REVOKED_KEY);
    }

    // ---- key rotation ----

    @Test
    void partyKey_addSecondThenRevokeFirst_onlyTheNewKeySigns() throws Exception {
        log.register(log.us);
        log.register(log.ru);
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        say(log.us, "ru");
        say(us2, "ru");

        TestLog.Logged revoke = log.submit(us2, "party.key", partyKey("us", "revoke", log.us.vkey())
                .put("reason", "rotated"), Visibility.PUBLIC);
        Doc old = key(log.us);
        assertThat(old.body().get("status").textValue()).isEqualTo(Keys.REVOKED);
        assertThat(old.body().get("revoked").longValue()).isEqualTo(revoke.index());
        assertThat(old.body().get("reason").textValue()).isEqualTo("rotated");

        EntryException e = refusal(() -> say(log.us, "ru"));
        assertThat(e.reason()).isEqualTo(Rejection.REVOKED_KEY);
        assertThat(e).hasMessageContaining(log.us.keyRef());
        say(us2, "ru");
        assertThat(key(us2).body().get("status").textValue()).isEqualTo(Keys.ACTIVE);
    }

    @Test
    void partyKey_revokedKey_signatureStillVerifiesButIsRefusedInOrder() throws Exception {
        // A signed entry waiting in a batch behind the revocation must not pass.
        log.register(log.us);
        log.register(log.ru);
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        var signedBefore = log.sign(log.us, "message", message("queued", "ru"), Visibility.PUBLIC, log.next(log.us));
        log.submit(us2, "party.key", partyKey("us", "revoke", log.us.vkey()), Visibility.PUBLIC);
        assertThat(reason(() -> log.submit(signedBefore))).isEqualTo(Rejection.REVOKED_KEY);
    }

    @Test
    void partyKey_revokeTheKeyThatSignsTheRevocation_takesEffectAtOnce() throws Exception {
        log.register(log.us);
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        TestLog.Logged r = log.submit(log.us, "party.key", partyKey("us", "revoke", log.us.vkey()), Visibility.PUBLIC);
        Doc old = key(log.us);
        assertThat(old.body().get("status").textValue()).isEqualTo(Keys.REVOKED);
        // The revocation keeps the seq it was itself signed with.
        assertThat(old.body().get("lastSeq").longValue()).isEqualTo(r.entry().header().seq());
        assertThat(reason(() -> say(log.us, PartyId.OPERATOR))).isEqualTo(Rejection.REVOKED_KEY);
    }

    @Test
    void partyKey_byOperator_addsAndRevokesAPartysKey() throws Exception {
        log.register(log.us);
        EntrySigner us2 = log.key("us");
        log.submit(log.operator, "party.key", partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        log.submit(log.operator, "party.key", partyKey("us", "revoke", log.us.vkey()), Visibility.PUBLIC);
        assertThat(reason(() -> say(log.us, PartyId.OPERATOR))).isEqualTo(Rejection.REVOKED_KEY);
        say(us2, PartyId.OPERATOR);
    }

    @Test
    void partyKey_forAnotherParty_notAllowed() throws Exception {
        log.register(log.us);
        log.register(log.ru);
        EntrySigner ru2 = log.key("ru");
        assertThat(reason(() -> log.submit(log.us, "party.key", partyKey("ru", "add", ru2.vkey()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(reason(() -> log.submit(log.us, "party.key", partyKey("ru", "revoke", log.ru.vkey()),
                Visibility.PUBLIC))).isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(key(log.ru).body().get("status").textValue()).isEqualTo(Keys.ACTIVE);
    }

    @Test
    void partyKey_addingAKeyNamedForAnotherParty_refused() throws Exception {
        log.register(log.us);
        assertThat(reason(() -> log.submit(log.us, "party.key", partyKey("us", "add", log.key("ru").vkey()),
                Visibility.PUBLIC))).isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void partyKey_addExisting_refused() throws Exception {
        log.register(log.us);
        assertThat(reason(() -> log.submit(log.us, "party.key", partyKey("us", "add", log.us.vkey()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void partyKey_revokeTwiceOrUnknown_refused() throws Exception {
        log.register(log.us);
        EntrySigner us2 = log.key("us");
        log.submit(log.us, "party.key", partyKey("us", "add", us2.vkey()), Visibility.PUBLIC);
        log.submit(us2, "party.key", partyKey("us", "revoke", log.us.vkey()), Visibility.PUBLIC);
        assertThat(reason(() -> log.submit(us2, "party.key", partyKey("us", "revoke", log.us.vkey()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(reason(() -> log.submit(us2, "party.key", partyKey("us", "revoke", log.key("us").vkey()),
                Visibility.PUBLIC))).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(reason(() -> log.submit(us2, "party.key", partyKey("us", "add", log.us.vkey()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void partyKey_forUnregisteredParty_refused() throws Exception {
        EntrySigner xx = log.key("xx");
        assertThat(reason(() -> log.submit(log.operator, "party.key", partyKey("xx", "add", xx.vkey()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void partyKey_badKeyMaterial_refused() throws Exception {
        log.register(log.us);
        // Shaped like a vkey, so the schema passes, but the key ID does not match the key.
        String vkey = log.key("us").vkey();
        String wrongId = "us+00000000+" + vkey.substring(vkey.lastIndexOf('+') + 1);
        assertThat(reason(() -> log.submit(log.us, "party.key", partyKey("us", "add", wrongId), Visibility.PUBLIC)))
                .isEqualTo(Rejection.SCHEMA_VIOLATION);
    }

    // ---- keys ----

    @Test
    void keysParse_keyOfThisParty_givesTheEntryKeyRef() throws Exception {
        Keys.PartyKey k = Keys.parse(log.us.vkey(), "us");
        assertThat(k.ref()).isEqualTo(log.us.keyRef());
        assertThat(k.party()).isEqualTo("us");
        assertThat(Keys.added(k, 7).body().get("lastSeq").longValue()).isZero();
    }
}
