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
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The one JSON mapper for untrusted input and the RFC 8785 (JCS) canonical form. Parsing is strict
 * and bounded before any object is built: duplicate keys, trailing content, nesting deeper than
 * {@link #MAX_DEPTH}, strings longer than {@link #MAX_STRING} and numbers longer than
 * {@link #MAX_NUMBER} digits are refused. Thread-safe.
 */
public final class Json {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING = 64 * 1024;
    public static final int MAX_NUMBER = 32;

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
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidJsonException(e.getMessage());
        }
    }

    /** The RFC 8785 canonical UTF-8 bytes of a tree. */
    public static byte[] canonical(JsonNode node) {
        try {
            if (node.isContainerNode()) {
                return new JsonCanonicalizer(MAPPER.writeValueAsString(node)).getEncodedUTF8();
            }
            // The canonicaliser takes objects and arrays only: a scalar is canonicalised as the sole
            // element of an array, without the brackets.
            byte[] wrapped = new JsonCanonicalizer("[" + MAPPER.writeValueAsString(node) + "]").getEncodedUTF8();
            return java.util.Arrays.copyOfRange(wrapped, 1, wrapped.length - 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot canonicalise: " + e.getMessage(), e);
        }
    }

    /** The canonical form as a string. */
    public static String canonicalString(JsonNode node) {
        return new String(canonical(node), StandardCharsets.UTF_8);
    }
}
