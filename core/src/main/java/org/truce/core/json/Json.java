package org.truce.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON mapper for untrusted input and the RFC 8785 (JCS) canonical form. Parsing is strict
 * and bounded before any object is built: duplicate keys, trailing content, nesting deeper than
 * {@link #MAX_DEPTH}, strings longer than {@link #MAX_STRING} and numbers longer than
 * {@link #MAX_NUMBER} digits are refused. So is what RFC 8785 cannot canonicalise (it requires
 * I-JSON): integers beyond ±(2^53−1), other numbers beyond the range of an IEEE 754 double, and
 * strings with a lone surrogate.
 * Thread-safe.
 */
public final class Json {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING = 64 * 1024;
    public static final int MAX_NUMBER = 32;
    /** The largest magnitude of an integer that every JSON implementation keeps exactly: 2^53 − 1. */
    private static final java.math.BigInteger MAX_EXACT_INTEGER = java.math.BigInteger.ONE.shiftLeft(53)
            .subtract(java.math.BigInteger.ONE);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING)
                .maxNumberLength(MAX_NUMBER)
                .build());
        MAPPER.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses untrusted UTF-8 JSON into a tree. */
    public static JsonNode parse(byte[] json) throws InvalidJsonException {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new InvalidJsonException("the document is empty");
            }
            requireIJson(node);
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidJsonException(e.getMessage());
        } catch (NumberFormatException | ArithmeticException e) {
            // A number Jackson cannot hold, such as an exponent of thousands of millions.
            throw new InvalidJsonException("a number cannot be read: " + e.getMessage());
        }
    }

    /**
     * Refuses what {@link #canonical} cannot represent faithfully: an integer that a double would round,
     * a number that is infinite as a double
     * (the canonicaliser throws) and a lone surrogate (it would become '?', so two different documents
     * would share one canonical form and one digest). Recursion is bounded by {@link #MAX_DEPTH}.
     */
    private static void requireIJson(JsonNode n) throws InvalidJsonException {
        if (n.isIntegralNumber()) {
            if (n.bigIntegerValue().abs().compareTo(MAX_EXACT_INTEGER) > 0) {
                throw new InvalidJsonException("the integer " + n.asText() + " is beyond ±(2^53−1), the range in which"
                        + " JSON numbers are exact (RFC 7493); send it as a string");
            }
        } else if (n.isNumber()) {
            if (!Double.isFinite(n.doubleValue())) {
                throw new InvalidJsonException("the number " + n.asText() + " is beyond the range of an IEEE 754 double");
            }
        } else if (n.isTextual()) {
            requireWellFormed(n.textValue());
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                requireIJson(e);
            }
        } else if (n.isObject()) {
            for (var f : n.properties()) {
                requireWellFormed(f.getKey());
                requireIJson(f.getValue());
            }
        }
    }

    private static void requireWellFormed(String s) throws InvalidJsonException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidJsonException("a string has a lone surrogate \\u"
                        + Integer.toHexString(c) + " at character " + i);
            }
        }
    }

    /**
     * The RFC 8785 canonical UTF-8 bytes of a tree, written straight from it: properties in the order
     * of their names' UTF-16 code units, no white space, strings with only the escapes the RFC names,
     * and numbers as ECMAScript writes their double value (erdtman's {@code NumberToJSON}; integers of
     * at most 53 bits, nearly all of ours, as their digits).
     */
    public static byte[] canonical(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        canonical(node, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final long EXACT = 1L << 53;

    private static void canonical(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                java.util.Collections.sort(names);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(names.get(i), out);
                    out.append(':');
                    canonical(node.get(names.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    canonical(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> {
                if ((node.isInt() || node.isLong()) && Math.abs(node.longValue()) <= EXACT) {
                    out.append(node.longValue());
                } else {
                    double d = Double.parseDouble(node.asText());
                    try {
                        out.append(org.erdtman.jcs.NumberToJSON.serializeNumber(d));
                    } catch (IOException e) {
                        throw new IllegalArgumentException("cannot canonicalise the number " + node.asText(), e);
                    }
                }
            }
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("cannot canonicalise a " + node.getNodeType() + " node");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The canonical form as a string. */
    public static String canonicalString(JsonNode node) {
        return new String(canonical(node), StandardCharsets.UTF_8);
    }
}
