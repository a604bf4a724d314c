package org.truce.core.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.core.TestLog;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.json.Json;

class KindsTest {
    private static final Kinds KINDS = Kinds.standard();
    private static final TestLog LOG = new TestLog();
    private static final String LEAF = org.truce.tlog.merkle.Rfc9162.leafHash(new byte[] {1}).base64();

    static ObjectNode valid(String kind) {
        return switch (kind) {
            case "genesis" -> LOG.genesisBody(LOG.operator.vkey()).put("note", "first entry");
            case "party" -> TestLog.partyBody("us", "party", LOG.us.vkey()).put("note", "registered");
            case "party.key" -> TestLog.partyKey("us", "revoke", LOG.us.vkey()).put("reason", "lost");
            case "message" -> TestLog.message("ceasefire", "ru", "sy").put("inReplyTo", LEAF)
                    .put("ackBy", "2016-09-20T09:00:00.5Z");
            case "message.ack" -> obj().put("message", LEAF).put("note", "received");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static EntryException violation(String kind, JsonNode body) {
        return refusal(() -> KINDS.validate(kind, body));
    }

    // ---- the kinds ----

    @Test
    void names_standard_areTheKindsOfThisVersion() {
        assertThat(KINDS.names()).containsExactlyInAnyOrder("genesis", "party", "party.key", "message", "message.ack");
        assertThat(KINDS.contains("message")).isTrue();
        assertThat(KINDS.contains("incident")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"genesis", "party", "party.key", "message", "message.ack"})
    void validate_validBody_accepted(String kind) throws Exception {
        KINDS.validate(kind, valid(kind));
    }

    @ParameterizedTest
    @ValueSource(strings = {"genesis", "party", "party.key", "message", "message.ack"})
    void validate_unknownProperty_refusedNamingIt(String kind) {
        EntryException e = violation(kind, valid(kind).put("colour", "red"));
        assertThat(e.reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
        assertThat(e).hasMessageContaining("colour");
    }

    @ParameterizedTest
    @ValueSource(strings = {"genesis", "party", "party.key", "message", "message.ack"})
    void validate_notAnObject_refused(String kind) {
        assertThat(violation(kind, Json.mapper().getNodeFactory().arrayNode()).reason())
                .isEqualTo(Rejection.SCHEMA_VIOLATION);
    }

    @Test
    void validate_unknownKind_refused() {
        EntryException e = violation("incident.claim", obj());
        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_KIND);
        assertThat(e).hasMessageContaining("incident.claim");
    }

    @Test
    void schema_unknownKind_throws() {
        assertThatThrownBy(() -> KINDS.schema("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- invalid bodies ----

    static Stream<Arguments> invalid() {
        String vkeyRu = LOG.ru.vkey();
        return Stream.of(
                // genesis
                bad("genesis", "origin", b -> b.remove("origin")),
                bad("genesis", "entryKey", b -> b.remove("entryKey")),
                bad("genesis", "origin", b -> b.put("origin", "has space")),
                bad("genesis", "entryKey", b -> b.put("entryKey", "operator+zzzz")),
                bad("genesis", "name", b -> b.put("name", "")),
                // party
                bad("party", "roles", b -> b.remove("roles")),
                bad("party", "id", b -> b.put("id", "US")),
                bad("party", "id", b -> b.put("id", "u")),
                bad("party", "id", b -> b.put("id", "us\n")),
                bad("party", "id", b -> b.put("id", "a" + "b".repeat(32))),
                bad("party", "name", b -> b.put("name", "x".repeat(201))),
                bad("party", "name", b -> b.put("name", "two\nlines")),
                bad("party", "roles", b -> b.putArray("roles").add("king")),
                bad("party", "roles", b -> b.putArray("roles")),
                bad("party", "roles", b -> b.putArray("roles").add("party").add("party")),
                bad("party", "keys", b -> b.putArray("keys").add("not a vkey")),
                bad("party", "keys", b -> {
                    var keys = b.putArray("keys");
                    for (int i = 0; i < 9; i++) {
                        keys.add(LOG.key("us").vkey());
                    }
                }),
                // party.key
                bad("party.key", "action", b -> b.remove("action")),
                bad("party.key", "action", b -> b.put("action", "delete")),
                bad("party.key", "vkey", b -> b.put("vkey", "us+1234+abc")),
                bad("party.key", "vkey", b -> b.put("vkey", vkeyRu.replace("+", " "))),
                bad("party.key", "vkey", b -> b.put("vkey", vkeyRu + "x".repeat(300))),
                bad("party.key", "party", b -> b.put("party", "U S")),
                // message
                bad("message", "subject", b -> b.remove("subject")),
                bad("message", "to", b -> b.remove("to")),
                bad("message", "text", b -> b.remove("text")),
                bad("message", "subject", b -> b.put("subject", "s".repeat(201))),
                bad("message", "text", b -> b.put("text", "t".repeat(16_001))),
                bad("message", "to", b -> b.putArray("to")),
                bad("message", "to", b -> b.putArray("to").add("ru").add("ru")),
                bad("message", "to", b -> b.putArray("to").add("Ru")),
                bad("message", "to", b -> b.put("to", "ru")),
                bad("message", "inReplyTo", b -> b.put("inReplyTo", "abc")),
                bad("message", "ackBy", b -> b.put("ackBy", "2016-09-20 09:00:00")),
                bad("message", "ackBy", b -> b.put("ackBy", "2016-09-20T09:00:00+00:00")),
                bad("message", "ackBy", b -> b.put("ackBy", "tomorrow")),
                bad("message", "ackBy", b -> b.put("ackBy", 1474362000)),
                bad("message", "ackBy", b -> b.put("ackBy", "2016-02-30T09:00:00Z")),
                bad("message", "ackBy", b -> b.put("ackBy", "2016-09-20T24:00:00Z")),
                bad("message", "ackBy", b -> b.put("ackBy", "2015-02-29T09:00:00Z")),
                // message.ack
                bad("message.ack", "message", b -> b.remove("message")),
                bad("message.ack", "message", b -> b.put("message", LEAF.substring(1))),
                bad("message.ack", "note", b -> b.put("note", 5)));
    }

    private static Arguments bad(String kind, String field, Consumer<ObjectNode> change) {
        return Arguments.of(kind, field, change);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalid")
    void validate_invalidBody_refusedNamingTheField(String kind, String field, Consumer<ObjectNode> change) {
        ObjectNode body = valid(kind);
        change.accept(body);
        EntryException e = violation(kind, body);
        assertThat(e.reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
        // The validator names a field by its location (/to/0) or, when it is missing, in quotes ('to').
        String f = Pattern.quote(field);
        assertThat(e.getMessage()).containsPattern("/" + f + "\\b|'" + f + "'");
    }

    @Test
    void validate_manyErrors_messageStaysBounded() {
        ObjectNode body = obj();
        for (int i = 0; i < 200; i++) {
            body.put("extra" + i, i);
        }
        assertThat(violation("message", body).getMessage()).hasSizeLessThan(2_000);
    }

    // ---- published schemas ----

    @ParameterizedTest
    @ValueSource(strings = {"genesis", "party", "party.key", "message", "message.ack"})
    void schema_publishedDocument_isStrictJsonWithItsId(String kind) throws Exception {
        JsonNode s = KINDS.schema(kind);
        assertThat(s.get("$id").textValue()).isEqualTo(Kinds.SCHEMA_BASE + kind + ".json");
        assertThat(s.get("$schema").textValue()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.get("title").textValue()).isEqualTo(kind);
        assertThat(s.get("type").textValue()).isEqualTo("object");
        assertThat(s.get("additionalProperties").booleanValue()).isFalse();
        try (InputStream in = Kinds.class.getResourceAsStream("schemas/" + kind + ".json")) {
            assertThat(Json.parse(in.readAllBytes())).isEqualTo(s);
        }
    }

    @Test
    void schema_defsDocument_isStrictJsonWithItsId() throws Exception {
        try (InputStream in = Kinds.class.getResourceAsStream("schemas/defs.json")) {
            JsonNode d = Json.parse(in.readAllBytes());
            assertThat(d.get("$id").textValue()).isEqualTo(Kinds.SCHEMA_BASE + "defs.json");
            assertThat(d.get("$defs").has("partyId")).isTrue();
        }
    }

    @Test
    void schema_changedByCaller_publishedOneUnchanged() {
        ((ObjectNode) KINDS.schema("message")).put("title", "changed");
        assertThat(KINDS.schema("message").get("title").textValue()).isEqualTo("message");
    }
}
