package org.truce.core.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.core.TestLog;
import org.truce.core.json.Json;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;

class EntryHeaderTest {
    private static final TestLog LOG = new TestLog();
    private static final EntrySigner US = LOG.us;

    private static EntryHeader signed(Visibility v, List<Hash> refs) {
        return US.sign("message", TestLog.message("hello", "ru"), v, refs, 42, TestLog.AT).header();
    }

    private static ObjectNode signedJson() {
        return signed(Visibility.PUBLIC, List.of(Rfc9162.leafHash(new byte[] {1}))).toJson(true);
    }

    private static Rejection reasonFor(JsonNode json) {
        return refusal(() -> EntryHeader.fromJson(json)).reason();
    }

    // ---- JSON form ----

    @Test
    void toJson_signedHeader_roundTrips() throws Exception {
        EntryHeader h = signed(Visibility.named("ru", "us"), List.of(Rfc9162.leafHash(new byte[] {1}),
                Rfc9162.leafHash(new byte[] {2})));
        EntryHeader back = EntryHeader.fromJson(Json.parse(Json.canonical(h.toJson(true))));
        assertThat(back).isEqualTo(h);
        assertThat(Json.canonicalString(back.toJson(true))).isEqualTo(Json.canonicalString(h.toJson(true)));
    }

    @Test
    void toJson_fractionalTime_roundTrips() throws Exception {
        EntryHeader h = US.sign("message", TestLog.message("s", "ru"), Visibility.PUBLIC, List.of(), 1,
                Instant.parse("2016-09-20T08:00:00.123456Z")).header();
        assertThat(h.toJson(true).get("at").textValue()).isEqualTo("2016-09-20T08:00:00.123456Z");
        assertThat(EntryHeader.fromJson(h.toJson(true))).isEqualTo(h);
    }

    @Test
    void toJson_signedHeader_hasTheFieldsOfTheDesign() {
        ObjectNode j = signedJson();
        assertThat(j.get("v").intValue()).isEqualTo(1);
        assertThat(j.get("kind").textValue()).isEqualTo("message");
        assertThat(j.get("author").textValue()).isEqualTo("us");
        assertThat(j.get("key").textValue()).isEqualTo(US.keyRef()).matches("us\\+[0-9a-f]{8}");
        assertThat(j.get("seq").longValue()).isEqualTo(42);
        assertThat(j.get("at").textValue()).isEqualTo("2016-09-20T08:00:00Z");
        assertThat(j.get("visibility").textValue()).isEqualTo("public");
        assertThat(Base64.getDecoder().decode(j.get("body").textValue())).hasSize(32);
        assertThat(Base64.getDecoder().decode(j.get("sig").textValue())).hasSize(64);
    }

    @Test
    void toJson_withoutSig_omitsSig() {
        assertThat(signed(Visibility.PUBLIC, List.of()).toJson(false).has("sig")).isFalse();
    }

    // ---- signing bytes ----

    @Test
    void signingBytes_signedHeader_canonicalJsonWithoutSig() throws Exception {
        EntryHeader h = signed(Visibility.PARTIES, List.of());
        ObjectNode withoutSig = h.toJson(true);
        withoutSig.remove("sig");
        assertThat(h.signingBytes()).isEqualTo(Json.canonical(withoutSig));
        assertThat(Json.parse(h.signingBytes()).has("sig")).isFalse();
    }

    @Test
    void signingBytes_signedOrNot_same() {
        EntryHeader h = signed(Visibility.PUBLIC, List.of());
        EntryHeader unsigned = new EntryHeader(h.v(), h.kind(), h.author(), h.key(), h.seq(), h.at(), h.visibility(),
                h.body(), h.refs(), null);
        assertThat(unsigned.signingBytes()).isEqualTo(h.signingBytes());
    }

    @Test
    void signature_authorsKey_verifiesOverSigningBytes() throws Exception {
        EntryHeader h = signed(Visibility.PUBLIC, List.of());
        var verifier = NoteKeys.parseVerifier(US.vkey());
        assertThat(verifier.verify(h.signingBytes(), h.signature())).isTrue();
        byte[] other = h.signingBytes();
        other[other.length - 2] ^= 1;
        assertThat(verifier.verify(other, h.signature())).isFalse();
    }

    @Test
    void signature_unsignedHeader_throws() {
        EntryHeader h = signed(Visibility.PUBLIC, List.of());
        EntryHeader unsigned = new EntryHeader(h.v(), h.kind(), h.author(), h.key(), h.seq(), h.at(), h.visibility(),
                h.body(), h.refs(), null);
        assertThatThrownBy(unsigned::signature).isInstanceOf(IllegalStateException.class);
    }

    // ---- fromJson: malformed headers ----

    static Stream<Arguments> malformed() {
        String b64of31 = Base64.getEncoder().encodeToString(new byte[31]);
        String sig63 = Base64.getEncoder().encodeToString(new byte[63]);
        return Stream.of(
                // unknown and missing fields
                edit("unknown field", j -> j.put("extra", 1)),
                edit("unknown field named like a field", j -> j.put("Sig", "x")),
                edit("missing v", j -> j.remove("v")),
                edit("missing kind", j -> j.remove("kind")),
                edit("missing author", j -> j.remove("author")),
                edit("missing key", j -> j.remove("key")),
                edit("missing seq", j -> j.remove("seq")),
                edit("missing at", j -> j.remove("at")),
                edit("missing visibility", j -> j.remove("visibility")),
                edit("missing body", j -> j.remove("body")),
                edit("missing refs", j -> j.remove("refs")),
                edit("missing sig", j -> j.remove("sig")),
                // wrong types
                edit("v as string", j -> j.put("v", "1")),
                edit("v 2", j -> j.put("v", 2)),
                edit("v 1.0", j -> j.put("v", new java.math.BigDecimal("1.0"))),
                edit("kind as number", j -> j.put("kind", 7)),
                edit("author as null", j -> j.putNull("author")),
                edit("seq as string", j -> j.put("seq", "42")),
                edit("seq fractional", j -> j.put("seq", 4.2)),
                edit("at as number", j -> j.put("at", 1474358400)),
                edit("refs as string", j -> j.put("refs", "x")),
                edit("refs holding a number", j -> j.putArray("refs").add(1)),
                edit("sig as array", j -> j.putArray("sig")),
                edit("visibility as number", j -> j.put("visibility", 1)),
                edit("visibility as object", j -> j.putObject("visibility")),
                // values out of range
                edit("seq 0", j -> j.put("seq", 0)),
                edit("seq -1", j -> j.put("seq", -1)),
                edit("seq 2^53", j -> j.put("seq", 1L << 53)),
                edit("kind with capitals", j -> j.put("kind", "Message")),
                edit("kind of three words", j -> j.put("kind", "a.b.c")),
                edit("author not a party id", j -> j.put("author", "U S")),
                // non-canonical times
                edit("at with .000", j -> j.put("at", "2016-09-20T08:00:00.000Z")),
                edit("at with +00:00", j -> j.put("at", "2016-09-20T08:00:00+00:00")),
                edit("at with lowercase z", j -> j.put("at", "2016-09-20t08:00:00z")),
                edit("at without seconds", j -> j.put("at", "2016-09-20T08:00Z")),
                edit("at not a time", j -> j.put("at", "yesterday")),
                edit("at with an offset", j -> j.put("at", "2016-09-20T10:00:00+02:00")),
                edit("at an impossible date", j -> j.put("at", "2016-02-30T08:00:00Z")),
                // keys
                edit("key with 7 hex digits", j -> j.put("key", "us+1a2b3c4")),
                edit("key in uppercase hex", j -> j.put("key", "us+1A2B3C4D")),
                edit("key without +", j -> j.put("key", "us-1a2b3c4d")),
                edit("key of another author", j -> j.put("key", "ru+1a2b3c4d")),
                edit("key as a vkey", j -> j.put("key", US.vkey())),
                // base64
                edit("body not base64", j -> j.put("body", "not base64!")),
                edit("body of 31 bytes", j -> j.put("body", b64of31)),
                edit("body unpadded", j -> j.put("body", j.get("body").textValue().replace("=", ""))),
                edit("sig not base64", j -> j.put("sig", "***")),
                edit("sig of 63 bytes", j -> j.put("sig", sig63)),
                edit("ref not base64", j -> j.putArray("refs").add("%%%")),
                edit("too many refs", j -> {
                    ArrayNode r = j.putArray("refs");
                    for (int i = 0; i <= EntryHeader.MAX_REFS; i++) {
                        r.add(Rfc9162.leafHash(new byte[] {(byte) i}).base64());
                    }
                }),
                // visibility
                edit("visibility unsorted", j -> j.putArray("visibility").add("us").add("ru")),
                edit("visibility duplicate", j -> j.putArray("visibility").add("ru").add("ru")),
                edit("visibility empty", j -> j.putArray("visibility")),
                edit("visibility unknown string", j -> j.put("visibility", "private")),
                edit("visibility uppercase", j -> j.put("visibility", "PUBLIC")),
                edit("visibility bad party id", j -> j.putArray("visibility").add("RU")),
                edit("visibility too many", j -> {
                    ArrayNode a = j.putArray("visibility");
                    for (int i = 0; i <= Visibility.MAX_NAMED; i++) {
                        a.add(String.format("p%02d", i));
                    }
                }));
    }

    private static Arguments edit(String name, Consumer<ObjectNode> change) {
        return Arguments.of(name, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void fromJson_malformedField_refusedAsMalformed(String name, Consumer<ObjectNode> change) {
        ObjectNode j = signedJson();
        change.accept(j);
        assertThat(reasonFor(j)).isEqualTo(Rejection.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"entry\"", "42", "null"})
    void fromJson_notAnObject_refusedAsMalformed(String json) throws Exception {
        assertThat(reasonFor(Json.parse(json.getBytes()))).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void fromJson_largestSeqAndMostRefs_accepted() throws Exception {
        ObjectNode j = signedJson();
        j.put("seq", EntryHeader.MAX_SEQ);
        ArrayNode r = j.putArray("refs");
        for (int i = 0; i < EntryHeader.MAX_REFS; i++) {
            r.add(Rfc9162.leafHash(new byte[] {(byte) i}).base64());
        }
        EntryHeader h = EntryHeader.fromJson(j);
        assertThat(h.seq()).isEqualTo((1L << 53) - 1);
        assertThat(h.refs()).hasSize(16);
    }

    @Test
    void fromJson_unknownFieldMessage_namesTheField() {
        ObjectNode j = signedJson().put("colour", "red");
        assertThat(refusal(() -> EntryHeader.fromJson(j))).hasMessageContaining("colour");
    }

    @Test
    void fromJson_namedVisibility_parsedSorted() throws Exception {
        ObjectNode j = signedJson();
        j.putArray("visibility").add("ru").add("sy").add("us");
        assertThat(EntryHeader.fromJson(j).visibility()).isEqualTo(Visibility.named("us", "sy", "ru"));
        assertThat(Visibility.named("us", "ru").toJson().toString()).isEqualTo("[\"ru\",\"us\"]");
    }

    @Test
    void fromJson_unknownButWellFormedKind_accepted() throws Exception {
        // The kind is checked against the log's kinds by the ledger, not by the header's parser.
        ObjectNode j = signedJson().put("kind", "incident.claim");
        assertThat(EntryHeader.fromJson(j).kind()).isEqualTo("incident.claim");
    }

    @Test
    void fromJson_hugeStringField_refusedWithShortMessage() {
        String huge = "x".repeat(10_000);
        ObjectNode j = signedJson().put(huge, 1);
        EntryException e = refusal(() -> EntryHeader.fromJson(j));
        assertThat(e.reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(e.getMessage()).hasSizeLessThan(200);
    }

    // ---- constructor ----

    @Test
    void constructor_keyOfAnotherAuthor_throws() {
        EntryHeader h = signed(Visibility.PUBLIC, List.of());
        assertThatThrownBy(() -> new EntryHeader(1, "message", "us", "ru+01234567",
                1, h.at(), Visibility.PUBLIC, h.body(), List.of(), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_mutableRefs_copied() {
        List<Hash> refs = new java.util.ArrayList<>(List.of(Rfc9162.leafHash(new byte[] {1})));
        EntryHeader h = signed(Visibility.PUBLIC, refs);
        refs.clear();
        assertThat(h.refs()).hasSize(1);
    }
}
