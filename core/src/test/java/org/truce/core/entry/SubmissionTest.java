package org.truce.core.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.json.Json;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;

class SubmissionTest {
    private static final TestLog LOG = new TestLog();
    private static final EntrySigner US = LOG.us;

    private static Submission sign(Visibility v) {
        return US.sign("message", TestLog.message("hello", "ru"), v, List.of(), 1, TestLog.AT);
    }

    private static byte[] bytes(JsonNode wire) {
        return wire.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Rejection reasonFor(byte[] wire) {
        return refusal(() -> Submission.parse(wire)).reason();
    }

    // ---- wire form ----

    @Test
    void parse_publicWireForm_roundTrips() throws Exception {
        Submission s = sign(Visibility.PUBLIC);
        Submission back = Submission.parse(bytes(s.toJson()));
        assertThat(back).isEqualTo(s);
        assertThat(back.header()).isEqualTo(s.header());
        assertThat(back.body()).isEqualTo(TestLog.message("hello", "ru"));
        assertThat(back.salt()).isEmpty();
        assertThat(s.toJson().has("salt")).isFalse();
    }

    @Test
    void parse_restrictedWireForm_roundTripsWithItsSalt() throws Exception {
        Submission s = sign(Visibility.named("ru", "us"));
        assertThat(s.salt()).hasSize(Submission.SALT_SIZE);
        Submission back = Submission.parse(bytes(s.toJson()));
        assertThat(back.salt()).isEqualTo(s.salt());
        assertThat(back).isEqualTo(s);
    }

    @Test
    void digest_restrictedBody_sha256OfSaltThenCanonicalBody() throws Exception {
        Submission s = sign(Visibility.PARTIES);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(s.salt());
        md.update(Json.canonical(TestLog.message("hello", "ru")));
        assertThat(s.header().body()).isEqualTo(Hash.of(md.digest()));
        assertThat(s.canonicalBody()).isEqualTo(Json.canonical(TestLog.message("hello", "ru")));
    }

    @Test
    void digest_keyOrderOrSpacing_doNotMatter() throws Exception {
        JsonNode a = Json.parse("{\"b\":1,\"a\":[1, 2]}".getBytes(StandardCharsets.UTF_8));
        JsonNode b = Json.parse("{ \"a\" : [1,2], \"b\" : 1.0 }".getBytes(StandardCharsets.UTF_8));
        assertThat(Submission.digest(new byte[0], a)).isEqualTo(Submission.digest(new byte[0], b));
    }

    @Test
    void parse_bodyWrittenDifferentlyButCanonicallyEqual_accepted() throws Exception {
        // The digest covers the canonical body, so a client may send it with any spacing or key order.
        Submission s = sign(Visibility.PUBLIC);
        String entry = s.toJson().get("entry").toString();
        String wire = "{\"body\": {\"to\": [ \"ru\" ], \"text\": \"text of hello\", \"subject\": \"hello\"},"
                + " \"entry\": " + entry + "}";
        assertThat(Submission.parse(wire.getBytes(StandardCharsets.UTF_8)).header()).isEqualTo(s.header());
    }

    // ---- salts ----

    @Test
    void sign_sameRestrictedBodyTwice_differentSaltsAndDigests() {
        Submission a = sign(Visibility.PARTIES);
        Submission b = sign(Visibility.PARTIES);
        assertThat(a.salt()).isNotEqualTo(b.salt());
        assertThat(a.header().body()).isNotEqualTo(b.header().body());
    }

    @Test
    void sign_samePublicBodyTwice_sameDigest() {
        assertThat(sign(Visibility.PUBLIC).header().body()).isEqualTo(sign(Visibility.PUBLIC).header().body());
    }

    @Test
    void parse_publicBodyWithSalt_refused() {
        ObjectNode wire = sign(Visibility.PUBLIC).toJson();
        wire.put("salt", Base64.getEncoder().encodeToString(new byte[32]));
        EntryException e = refusal(() -> Submission.parse(bytes(wire)));
        assertThat(e.reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(e).hasMessageContaining("salt");
    }

    @Test
    void parse_restrictedBodyWithoutSalt_refused() {
        ObjectNode wire = sign(Visibility.PARTIES).toJson();
        wire.remove("salt");
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void parse_restrictedBodyWithShortSalt_refused() {
        Submission s = sign(Visibility.named("ru", "us"));
        ObjectNode wire = s.toJson();
        wire.put("salt", Base64.getEncoder().encodeToString(Arrays.copyOf(s.salt(), 31)));
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void parse_saltNotBase64OrNotAString_refused() {
        ObjectNode wire = sign(Visibility.PARTIES).toJson();
        wire.put("salt", "not*base64");
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.MALFORMED);
        wire.put("salt", 32);
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.MALFORMED);
    }

    // ---- body digest ----

    @Test
    void parse_bodyChangedAfterSigning_bodyMismatch() {
        ObjectNode wire = sign(Visibility.PUBLIC).toJson();
        ((ObjectNode) wire.get("body")).put("text", "something else");
        EntryException e = refusal(() -> Submission.parse(bytes(wire)));
        assertThat(e.reason()).isEqualTo(Rejection.BODY_MISMATCH);
        assertThat(e.reason().status()).isEqualTo(422);
    }

    @Test
    void parse_saltChangedAfterSigning_bodyMismatch() {
        Submission s = sign(Visibility.PARTIES);
        byte[] salt = s.salt();
        salt[0] ^= 1;
        ObjectNode wire = s.toJson().put("salt", Base64.getEncoder().encodeToString(salt));
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.BODY_MISMATCH);
    }

    @Test
    void of_bodyNotMatchingDigest_bodyMismatch() {
        Submission s = sign(Visibility.PUBLIC);
        assertThat(refusal(() -> Submission.of(s.header(), TestLog.message("other", "ru"), new byte[0])).reason())
                .isEqualTo(Rejection.BODY_MISMATCH);
    }

    // ---- shape and size ----

    @Test
    void parse_largerThan64KiB_refusedAsTooLargeBeforeParsing() {
        byte[] wire = new byte[Submission.MAX_SIZE + 1];
        Arrays.fill(wire, (byte) '[');
        EntryException e = refusal(() -> Submission.parse(wire));
        assertThat(e.reason()).isEqualTo(Rejection.TOO_LARGE);
        assertThat(e.reason().status()).isEqualTo(413);
    }

    @Test
    void parse_exactly64KiB_accepted() throws Exception {
        byte[] body = bytes(sign(Visibility.PUBLIC).toJson());
        byte[] wire = Arrays.copyOf(body, Submission.MAX_SIZE);
        Arrays.fill(wire, body.length, wire.length, (byte) ' ');
        assertThat(Submission.parse(wire).header().author()).isEqualTo("us");
    }

    @Test
    void parse_notJson_malformed() {
        assertThat(reasonFor("{\"entry\":".getBytes(StandardCharsets.UTF_8))).isEqualTo(Rejection.MALFORMED);
        assertThat(reasonFor(new byte[0])).isEqualTo(Rejection.MALFORMED);
        assertThat(reasonFor("[]".getBytes(StandardCharsets.UTF_8))).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void parse_unknownOrMissingPart_malformed() {
        ObjectNode extra = sign(Visibility.PUBLIC).toJson().put("note", "x");
        assertThat(reasonFor(bytes(extra))).isEqualTo(Rejection.MALFORMED);
        ObjectNode noBody = sign(Visibility.PUBLIC).toJson();
        noBody.remove("body");
        assertThat(reasonFor(bytes(noBody))).isEqualTo(Rejection.MALFORMED);
        ObjectNode noEntry = sign(Visibility.PUBLIC).toJson();
        noEntry.remove("entry");
        assertThat(reasonFor(bytes(noEntry))).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void parse_bodyNotAnObject_malformed() {
        ObjectNode wire = sign(Visibility.PUBLIC).toJson();
        wire.putArray("body");
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void parse_malformedHeader_malformed() {
        ObjectNode wire = sign(Visibility.PUBLIC).toJson();
        ((ObjectNode) wire.get("entry")).put("seq", 0);
        assertThat(reasonFor(bytes(wire))).isEqualTo(Rejection.MALFORMED);
    }

    // Regression: a number beyond the range of a double in the body parsed, then the canonicaliser threw
    // IllegalArgumentException out of Submission.parse instead of a refusal.
    @Test
    void parse_bodyWithNumberBeyondDoubleRange_malformed() {
        String entry = sign(Visibility.PUBLIC).toJson().get("entry").toString();
        byte[] wire = ("{\"entry\":" + entry + ",\"body\":{\"to\":[\"ru\"],\"n\":1e400}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(reasonFor(wire)).isEqualTo(Rejection.MALFORMED);
    }

    // ---- leaf ----

    @Test
    void leafEncode_signedHeader_canonicalJsonOfEntryAndReceived() throws Exception {
        Submission s = sign(Visibility.named("ru", "us"));
        byte[] leaf = Leaf.encode(s.header(), TestLog.RECEIVED);
        JsonNode parsed = Json.parse(leaf);
        assertThat(Json.canonical(parsed)).isEqualTo(leaf);
        assertThat(parsed.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("entry", "received");
        assertThat(parsed.get("received").textValue()).isEqualTo("2016-09-20T08:00:01Z");
        assertThat(Json.canonical(parsed.get("entry"))).isEqualTo(Json.canonical(s.header().toJson(true)));
        assertThat(EntryHeader.fromJson(parsed.get("entry"))).isEqualTo(s.header());
        assertThat(new String(leaf, StandardCharsets.UTF_8)).startsWith("{\"entry\":{\"at\":\"2016-09-20T08:00:00Z\",");
    }

    @Test
    void leafEncode_anyBody_notInTheLeaf() {
        Submission s = sign(Visibility.PUBLIC);
        String leaf = new String(Leaf.encode(s.header(), TestLog.RECEIVED), StandardCharsets.UTF_8);
        assertThat(leaf).doesNotContain("text of hello");
    }

    @Test
    void leafEncode_unsignedHeader_throws() {
        EntryHeader h = sign(Visibility.PUBLIC).header();
        EntryHeader unsigned = new EntryHeader(h.v(), h.kind(), h.author(), h.key(), h.seq(), h.at(), h.visibility(),
                h.body(), h.refs(), null);
        assertThatThrownBy(() -> Leaf.encode(unsigned, TestLog.RECEIVED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leafEncode_otherReceivedTime_otherLeafHash() {
        EntryHeader h = sign(Visibility.PUBLIC).header();
        assertThat(Rfc9162.leafHash(Leaf.encode(h, TestLog.RECEIVED)))
                .isNotEqualTo(Rfc9162.leafHash(Leaf.encode(h, TestLog.RECEIVED.plusSeconds(1))));
    }
}
