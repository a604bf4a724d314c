package org.truce.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    private static JsonNode parse(String json) throws InvalidJsonException {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String canonical(String json) throws InvalidJsonException {
        return Json.canonicalString(parse(json));
    }

    // ---- parse: refusals ----

    @Test
    void parse_duplicateKey_refused() {
        assertThatThrownBy(() -> parse("{\"a\":1,\"b\":2,\"a\":3}"))
                .isInstanceOf(InvalidJsonException.class).hasMessageContaining("a");
    }

    @Test
    void parse_duplicateKeyInNestedObject_refused() {
        assertThatThrownBy(() -> parse("{\"x\":[{\"k\":1,\"k\":1}]}")).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void parse_nestingOf32_accepted() throws Exception {
        assertThat(parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)).isArray()).isTrue();
        assertThat(parse("{\"a\":".repeat(Json.MAX_DEPTH - 1) + "[]" + "}".repeat(Json.MAX_DEPTH - 1)).isObject())
                .isTrue();
    }

    @Test
    void parse_nestingDeeperThan32_refused() {
        assertThatThrownBy(() -> parse("[".repeat(33) + "]".repeat(33)))
                .isInstanceOf(InvalidJsonException.class).hasMessageContaining("depth");
        assertThatThrownBy(() -> parse("{\"a\":".repeat(33) + "1" + "}".repeat(33)))
                .isInstanceOf(InvalidJsonException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "[1] [2]", "{\"a\":1}}", "1 2", "\"a\" ,"})
    void parse_trailingContent_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void parse_trailingWhitespace_accepted() throws Exception {
        assertThat(parse("{\"a\":1} \n\t ").get("a").intValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "[NaN]", "{\"a\":NaN}", "[Infinity]", "[-Infinity]", "[+Infinity]"})
    void parse_nonNumericNumber_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[123456789012345678901234567890123]", "[1.23456789012345678901234567890123]",
            "{\"seq\":-123456789012345678901234567890123}"})
    void parse_numberLongerThan32Digits_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("32");
    }

    @Test
    void parse_numberOf32Digits_accepted() throws Exception {
        assertThat(parse("[1.2345678901234567890123456789012]").get(0).isNumber()).isTrue();
    }

    // Regression: 9007199254740993 (2^53 + 1) parsed and was canonicalised as 9007199254740992, so a
    // signed body's number silently changed and two bodies shared one digest.
    @ParameterizedTest
    @ValueSource(strings = {"[9007199254740992]", "{\"a\":-9007199254740992}", "[12345678901234567890123456789012]"})
    void parse_integerBeyondTwoTo53_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("2^53");
    }

    @Test
    void parse_integerOfTwoTo53MinusOne_acceptedAndCanonicalisedExactly() throws Exception {
        assertThat(new String(Json.canonical(parse("[9007199254740991,-9007199254740991]")), StandardCharsets.UTF_8))
                .isEqualTo("[9007199254740991,-9007199254740991]");
    }

    // Regression: 1e400 parsed (as a BigDecimal) and then made Json.canonical throw an unchecked
    // IllegalArgumentException, so a submission body holding it escaped Submission.parse as a 500.
    @ParameterizedTest
    @ValueSource(strings = {"1e400", "[1e400]", "{\"a\":-1E+309}", "{\"a\":[{\"b\":2e308}]}"})
    void parse_numberBeyondDoubleRange_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("IEEE 754");
    }

    // Regression: a lone surrogate parsed and was canonicalised as '?', so {"a":"\ud800"} and {"a":"?"}
    // had the same canonical form and therefore the same body digest.
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "{\"a\":\"x\\udc00\"}", "{\"\\ud83d\":1}", "[\"\\ude00\\ud83d\"]"})
    void parse_loneSurrogate_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void parse_surrogatePair_accepted() throws Exception {
        assertThat(parse("{\"a\":\"\\ud83d\\ude00\"}").get("a").textValue()).isEqualTo("😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t  "})
    void parse_empty_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'a':1}", "{a:1}", "[1,]", "{\"a\":1,}", "[01]", "[.5]", "[+1]", "[0x10]",
            "[1] // c", "/* c */ [1]", "[\"a\tb\"]", "{\"a\"}", "[", "tru"})
    void parse_notStrictJson_refused(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void parse_invalidUtf8_refused() {
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xff, '"'})).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void parse_stringLongerThanMax_refused() {
        String json = "[\"" + "a".repeat(Json.MAX_STRING + 1) + "\"]";
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidJsonException.class);
    }

    // ---- canonical: RFC 8785 ----

    @Test
    void canonical_rfc8785Section322Example_matches() throws Exception {
        String in = "{\n"
                + "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
                + "              2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n"
                + "}";
        assertThat(canonical(in)).isEqualTo("{\"literals\":[null,true,false],"
                + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void canonical_rfc8785Section323Example_sortsKeysByUtf16CodeUnits() throws Exception {
        String in = "{\n"
                + "  \"\\u20ac\": \"Euro Sign\",\n"
                + "  \"\\r\": \"Carriage Return\",\n"
                + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
                + "  \"1\": \"One\",\n"
                + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
                + "  \"\\u0080\": \"Control\",\n"
                + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
                + "}";
        // U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16, after it in code points.
        assertThat(canonical(in)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text. */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void canonical_rfc8785AppendixBNumber_matches(String bits, String expected) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(Json.canonicalString(DoubleNode.valueOf(d))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.0 | 1",
        "-0.0 | 0",
        "-0 | 0",
        "100 | 100",
        "1e2 | 100",
        "123e-2 | 1.23",
        "1e20 | 100000000000000000000",
        "1e21 | 1e+21",
        "1E-6 | 0.000001",
        "1E-7 | 1e-7",
        "0.10 | 0.1",
        "9007199254740993.0 | 9007199254740992",
    })
    void canonical_parsedNumber_writtenAsEcmaScript(String in, String expected) throws Exception {
        assertThat(canonical("[" + in + "]")).isEqualTo("[" + expected + "]");
        assertThat(canonical(in)).isEqualTo(expected);
    }

    @Test
    void canonical_whitespaceAndKeyOrderOfInput_doNotMatter() throws Exception {
        assertThat(canonical("{ \"b\" : [ 1 , { \"d\":1, \"c\":2 } ], \"a\" : \"x\" }"))
                .isEqualTo(canonical("{\"a\":\"x\",\"b\":[1,{\"c\":2,\"d\":1}]}"))
                .isEqualTo("{\"a\":\"x\",\"b\":[1,{\"c\":2,\"d\":1}]}");
    }

    @Test
    void canonical_scalar_writtenWithoutBrackets() throws Exception {
        assertThat(canonical("\"a\\u0041\"")).isEqualTo("\"aA\"");
        assertThat(canonical("true")).isEqualTo("true");
        assertThat(canonical("null")).isEqualTo("null");
    }

    @Test
    void canonical_nonAscii_writtenAsUtf8() throws Exception {
        assertThat(Json.canonical(parse("[\"é€😀\"]")))
                .isEqualTo("[\"é€😀\"]".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The canonical form is written straight from the tree; erdtman's canonicaliser, which reads the
     * JSON text again, is the oracle: the same bytes for the random trees that parse (of 20,000) of every node type,
     * strings with control characters, surrogate pairs and U+2028, and numbers of every shape.
     */
    @Test
    void canonical_randomTrees_sameBytesAsTheReferenceCanonicaliser() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(8785);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            String json = randomJson(rnd, 0);
            JsonNode tree;
            try {
                tree = parse(json);
            } catch (InvalidJsonException e) {
                continue; // two keys that read the same ("/" and "\\/"), or a number beyond a double
            }
            compared++;
            String text = Json.mapper().writeValueAsString(tree);
            byte[] expected = new org.erdtman.jcs.JsonCanonicalizer("[" + text + "]").getEncodedUTF8();
            byte[] actual = Json.canonical(tree);
            assertThat(new String(actual, StandardCharsets.UTF_8)).as(json)
                    .isEqualTo(new String(expected, 1, expected.length - 2, StandardCharsets.UTF_8));
        }
        assertThat(compared).isGreaterThan(15_000);
    }

    private static final String[] PIECES = {"a", "B", "1", " ", "\\n", "\\t", "\\u0000", "\\u001f", "\\u007f", "\\\"",
        "\\\\", "/", "\\/", "\u00e9", "\u20ac", "\\u2028", "\\ud83d\\ude00", "\ufb33", "\\u0080", "\\b", "\\f", "\\r"};

    private static String randomString(java.util.SplittableRandom rnd) {
        StringBuilder b = new StringBuilder("\"");
        for (int n = rnd.nextInt(6); n > 0; n--) {
            b.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        return b.append('"').toString();
    }

    private static String randomNumber(java.util.SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> Integer.toString(rnd.nextInt());
            case 1 -> Long.toString(rnd.nextLong(-9007199254740991L, 9007199254740992L));
            case 2 -> rnd.nextInt(1000) + "." + rnd.nextInt(1_000_000);
            case 3 -> (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(100) + "e" + (rnd.nextInt(600) - 300);
            case 4 -> Double.toString(Double.longBitsToDouble(rnd.nextLong()) % 1e300);
            case 5 -> "-0";
            case 6 -> "0." + "0".repeat(rnd.nextInt(10)) + rnd.nextInt(1, 1000) + "E" + (rnd.nextInt(50) - 25);
            default -> rnd.nextInt(10) + "." + rnd.nextInt(10) + "0";
        };
    }

    private static String randomJson(java.util.SplittableRandom rnd, int depth) {
        int kind = rnd.nextInt(depth > 3 ? 5 : 7);
        switch (kind) {
            case 0: return randomString(rnd);
            case 1: return randomNumber(rnd);
            case 2: return rnd.nextBoolean() ? "true" : "false";
            case 3: return "null";
            case 4: return randomNumber(rnd);
            case 5: {
                StringBuilder b = new StringBuilder("[");
                for (int n = rnd.nextInt(4); n > 0; n--) {
                    b.append(randomJson(rnd, depth + 1)).append(n > 1 ? "," : "");
                }
                return b.append(']').toString();
            }
            default: {
                java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
                for (int n = rnd.nextInt(5); n > 0; n--) {
                    m.put(randomString(rnd), randomJson(rnd, depth + 1));
                }
                StringBuilder b = new StringBuilder("{");
                m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append(':').append(v));
                return b.append('}').toString();
            }
        }
    }
}
