package org.truce.core.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
                    .put("ackBy", "2016-09-20T09:00:00.5Z").set("about", obj().put("site", "m10"));
            case "message.ack" -> obj().put("message", LEAF).put("note", "received");
            case "actor" -> {
                ObjectNode b = obj().put("id", "jabhat-al-nusra").put("name", "Jabhat al-Nusra").put("type", "armed-group")
                        .put("source", "UN Security Council resolution 2170 (2014)");
                b.putArray("aliases").add("al-Nusra Front");
                b.putObject("affiliation").put("actor", "al-qaeda");
                yield b;
            }
            case "actor.name" -> obj().put("actor", "jabhat-al-nusra").put("name", "Jabhat Fatah al-Sham")
                    .put("change", "renamed").put("from", "2016-07-28T00:00:00Z").put("source", "the group's announcement");
            case "actor.status" -> obj().put("actor", "jabhat-al-nusra").put("status", "excluded")
                    .put("from", "2016-02-27T00:00:00Z").put("agreement", "cessation-2016-02").put("source", "the terms");
            case "agreement" -> {
                ObjectNode b = obj().put("id", "cessation-2016-02").put("title", "Cessation of hostilities")
                        .put("text", "The terms.").put("link", "https://2009-2017.state.gov/r/pa/prs/ps/2016/02/252908.htm")
                        .put("effective", "2016-02-26T22:00:00Z").put("timeZone", "Asia/Damascus");
                b.putArray("parties").add("us").add("ru");
                b.putArray("invited").add("sy");
                b.putArray("monitors").add("ctf");
                b.putArray("excludes").add("isil");
                ArrayNode steps = b.putArray("steps");
                ObjectNode s1 = steps.addObject().put("id", "accept").put("title", "Acceptance").put("fulfilment", "Confirms");
                s1.putArray("obligated").add("sy");
                s1.putObject("deadline").put("at", "2016-02-26T10:00:00Z");
                ObjectNode s2 = steps.addObject().put("id", "in-force").put("title", "In force").put("fulfilment", "Ceases")
                        .put("phase", 2).put("collectively", true);
                s2.putArray("obligated").add("sy").add("us");
                s2.putArray("preconditions").add("accept");
                s2.putObject("deadline").put("offset", "P1DT12H").putObject("after").put("event", "assessed-full")
                        .put("step", "accept");
                yield b;
            }
            case "agreement.accept" -> obj().put("agreement", "cessation-2016-02").put("note", "accepted");
            case "step.report" -> {
                ObjectNode b = obj().put("agreement", "cessation-2016-02").put("step", "accept").put("statement", "done");
                b.putArray("evidence").add("ab".repeat(32));
                yield b;
            }
            case "step.assessment" -> obj().put("agreement", "cessation-2016-02").put("step", "accept").put("score", 3)
                    .put("reasons", "confirmed").put("report", LEAF);
            case "deadline.extension" -> obj().put("agreement", "cessation-2016-02").put("step", "accept")
                    .put("until", "2016-03-01T00:00:00Z").put("reason", "more time").put("proposal", LEAF);
            case "pause" -> obj().put("agreement", "cessation-2016-02").put("from", "2016-03-01T00:00:00Z")
                    .put("until", "2016-03-03T00:00:00Z").put("reason", "talks");
            case "agreement.withdraw" -> obj().put("agreement", "cessation-2016-02").put("reason", "violations");
            case "incident" -> {
                ObjectNode b = org.truce.core.incident.IncidentRulesTest.convoy().put("supersedes", LEAF)
                        .put("summary", "Struck after unloading.");
                ObjectNode loc = (ObjectNode) b.get("location");
                loc.remove("point");
                ArrayNode ring = loc.putArray("polygon").addArray();
                for (double[] p : new double[][] {{36.95, 36.15}, {36.97, 36.15}, {36.97, 36.16}, {36.95, 36.15}}) {
                    ring.addArray().add(p[0]).add(p[1]);
                }
                loc.put("iso", 760).put("region", "Middle East").put("admin2", "Jebel Saman").put("admin3", "Atareb")
                        .put("place", "Urum al-Kubra");
                ((ObjectNode) b.get("casualties")).putObject("injured").put("best", 5);
                b.putArray("actors").add("sarc");
                b.putArray("actorNames").addObject().put("name", "Syrian Arab Red Crescent").put("role", "actor2");
                b.putArray("sites").add("urum-warehouse");
                b.putArray("areas").add("western-aleppo");
                b.putArray("agreements").add("geneva-2016-09");
                b.putArray("sources").add("UN OCHA statement, 2016-09-20");
                b.putArray("evidence").addObject().put("sha256", "ab".repeat(32)).put("type", "image/jpeg").put("size", 1000)
                        .put("name", "photo.jpg");
                yield b;
            }
            case "incident.observation" -> {
                ObjectNode b = obj().put("incident", "urum-al-kubra").put("supersedes", LEAF).put("narrative", "Seen from the road.");
                b.putObject("observer").put("kind", "patrol").put("name", "Patrol 3").putArray("position").add(36.9).add(36.1);
                b.putObject("time").put("from", "2016-09-19T17:00:00Z").put("to", "2016-09-19T18:00:00Z");
                b.putArray("observed").addObject().put("what", "explosion").put("how", "heard").put("count", 4)
                        .put("direction", "NE").put("distance", "3-5km").put("note", "in quick succession");
                yield b;
            }
            case "incident.claim" -> {
                ObjectNode b = obj().put("incident", "urum-al-kubra").put("supersedes", LEAF).put("stance", "alleges")
                        .put("statement", "Its aircraft struck.").put("explanation", "none");
                b.putObject("perpetrator").put("party", "ru");
                b.putObject("figures").putObject("killed").put("best", 20);
                b.putArray("sources").add("press briefing");
                yield b;
            }
            case "incident.assessment" -> {
                ObjectNode b = obj().put("incident", "urum-al-kubra").put("revises", LEAF).put("certainty", "likely")
                        .put("finding", "An air strike.").put("violation", true);
                b.putObject("attribution").put("actor", "unknown-aircraft");
                b.putArray("reasons").add("the board of inquiry");
                yield b;
            }
            case "notification.site" -> org.truce.core.notification.NotificationRulesTest.hospital("m10")
                    .put("from", "2016-09-18T00:00:00Z").put("operatedBy", "SAMS").put("contact", "+963 0").put("note", "n");
            case "notification.movement" -> org.truce.core.notification.NotificationRulesTest.convoy().put("cargo", "food")
                    .put("operatedBy", "SARC").put("contact", "+963 0").put("note", "n");
            case "notification.ack" -> obj().put("site", "m10").put("note", "received");
            case "notification.withdraw" -> obj().put("movement", "un-sarc-convoy").put("reason", "postponed");
            case "volume" -> {
                ObjectNode b = obj().put("id", "ru-patrol").put("supersedes", LEAF).put("name", "Patrol").put("purpose", "air patrol")
                        .put("state", "activated").put("priority", 10);
                b.putObject("footprint").put("type", "corridor").put("halfWidth", 2000).putArray("coordinates")
                        .add(obj().arrayNode().add(37.1).add(36.2)).add(obj().arrayNode().add(37.3).add(36.3));
                b.putObject("altitude").put("lower", 0).put("upper", 3000).put("reference", "AGL");
                b.putObject("time").put("from", "2016-09-20T10:00:00Z").put("to", "2016-09-20T12:00:00Z");
                b.putArray("key").addObject().put("type", "site").put("id", "m10").put("version", "ab".repeat(32));
                yield b;
            }
            case "area.declaration" -> org.truce.core.area.AreaRulesTest.tharda("saa-tharda", "syrian-arab-army", "control",
                    "2016-01-01T00:00:00Z").put("to", "2016-12-31T00:00:00Z").put("source", "sy statement").put("note", "n");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static EntryException violation(String kind, JsonNode body) {
        return refusal(() -> KINDS.validate(kind, body));
    }

    // ---- the kinds ----

    static Stream<String> kinds() {
        return KINDS.names().stream();
    }

    @Test
    void names_standard_areTheKindsOfThisVersion() {
        assertThat(KINDS.names()).containsExactlyInAnyOrder("genesis", "party", "party.key", "message", "message.ack",
                "actor", "actor.name", "actor.status", "agreement", "agreement.accept", "step.report", "step.assessment",
                "deadline.extension", "pause", "agreement.withdraw", "incident", "incident.observation", "incident.claim",
                "incident.assessment", "notification.site", "notification.movement", "notification.ack",
                "notification.withdraw", "volume", "area.declaration");
        assertThat(KINDS.contains("message")).isTrue();
        assertThat(KINDS.contains("conflict")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validate_validBody_accepted(String kind) throws Exception {
        KINDS.validate(kind, valid(kind));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validate_unknownProperty_refusedNamingIt(String kind) {
        EntryException e = violation(kind, valid(kind).put("colour", "red"));
        assertThat(e.reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
        assertThat(e).hasMessageContaining("colour");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validate_notAnObject_refused(String kind) {
        assertThat(violation(kind, Json.mapper().getNodeFactory().arrayNode()).reason())
                .isEqualTo(Rejection.SCHEMA_VIOLATION);
    }

    @Test
    void validate_unknownKind_refused() {
        EntryException e = violation("conflict", obj());
        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_KIND);
        assertThat(e).hasMessageContaining("conflict");
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
                // actors
                bad("actor", "id", b -> b.put("id", "Has Capitals")),
                bad("actor", "type", b -> b.put("type", "army")),
                bad("actor", "source", b -> b.remove("source")),
                bad("actor", "affiliation", b -> b.putObject("affiliation")),
                bad("actor.name", "from", b -> b.remove("from")),
                bad("actor.name", "change", b -> b.put("change", "rebranded")),
                bad("actor.status", "status", b -> b.put("status", "hostile")),
                bad("actor.status", "from", b -> b.put("from", "2016-02-30T00:00:00Z")),
                // agreements
                bad("agreement", "steps", b -> b.putArray("steps")),
                bad("agreement", "parties", b -> b.putArray("parties")),
                bad("agreement", "link", b -> b.put("link", "javascript:alert(1)")),
                bad("agreement", "offset", b -> ((ObjectNode) b.get("steps").get(1).get("deadline")).put("offset", "48 hours")),
                bad("agreement", "offset", b -> ((ObjectNode) b.get("steps").get(1).get("deadline")).put("offset", "P")),
                bad("agreement", "offset", b -> ((ObjectNode) b.get("steps").get(1).get("deadline")).put("offset", "PT")),
                bad("agreement", "offset", b -> ((ObjectNode) b.get("steps").get(1).get("deadline")).put("offset", "P1Y")),
                bad("agreement", "event", b -> ((ObjectNode) b.get("steps").get(1).get("deadline").get("after"))
                        .put("event", "started")),
                bad("agreement", "step", b -> ((ObjectNode) b.get("steps").get(1).get("deadline").get("after")).remove("step")),
                bad("agreement", "offset", b -> ((ObjectNode) b.get("steps").get(0).get("deadline")).put("offset", "PT1H")),
                bad("agreement", "at", b -> ((ObjectNode) b.get("steps").get(0).get("deadline")).put("at", "tomorrow")),
                bad("agreement", "obligated", b -> ((ObjectNode) b.get("steps").get(0)).putArray("obligated")),
                bad("agreement", "fulfilment", b -> ((ObjectNode) b.get("steps").get(0)).remove("fulfilment")),
                bad("step.report", "evidence", b -> b.putArray("evidence").add("not a hash")),
                bad("step.report", "statement", b -> b.put("statement", "")),
                bad("step.assessment", "score", b -> b.put("score", 4)),
                bad("step.assessment", "score", b -> b.put("score", 2.5)),
                bad("step.assessment", "reasons", b -> b.remove("reasons")),
                bad("deadline.extension", "until", b -> b.remove("until")),
                bad("pause", "from", b -> b.remove("from")),
                bad("agreement.withdraw", "reason", b -> b.remove("reason")),
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
    @MethodSource("kinds")
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
