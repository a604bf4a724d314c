package org.truce.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.truce.core.json.Json;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;

/**
 * The signed header of an entry, as the author signs it:
 * <pre>{"v":1,"kind":"message","author":"us","key":"us+1a2b3c4d","seq":42,"at":"2016-09-20T08:00:00Z",
 *  "visibility":"public","body":"&lt;base64 SHA-256(salt ‖ JCS(body))&gt;","refs":[…],"sig":"&lt;base64&gt;"}</pre>
 * The signature is Ed25519 over the RFC 8785 canonical JSON of every field but {@code sig}. Immutable.
 *
 * @param sig the base64 signature, or null for a header not yet signed
 */
public record EntryHeader(
        int v,
        String kind,
        String author,
        String key,
        long seq,
        Instant at,
        Visibility visibility,
        Hash body,
        List<Hash> refs,
        @Nullable String sig) {

    public static final int VERSION = 1;
    public static final int MAX_REFS = 16;
    /** The largest seq, so that it stays an exact integer in every JSON implementation. */
    public static final long MAX_SEQ = (1L << 53) - 1;

    private static final Pattern KIND = Pattern.compile("[a-z]{1,24}(\\.[a-z]{1,24})?");
    private static final Pattern KEY = Pattern.compile("([a-z][a-z0-9-]{1,31})\\+[0-9a-f]{8}");
    private static final Set<String> FIELDS =
            Set.of("v", "kind", "author", "key", "seq", "at", "visibility", "body", "refs", "sig");

    public EntryHeader {
        if (v != VERSION) {
            throw new IllegalArgumentException("entry version " + v + " is not " + VERSION);
        }
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind '" + kind + "' is not noun or noun.verb");
        }
        if (!PartyId.isValid(author)) {
            throw new IllegalArgumentException("author '" + author + "' is not a party id");
        }
        var m = KEY.matcher(key);
        if (!m.matches() || !m.group(1).equals(author)) {
            throw new IllegalArgumentException("key '" + key + "' is not <author>+<8 hex digits>");
        }
        if (seq < 1 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("seq " + seq + " is outside 1–2^53−1");
        }
        refs = List.copyOf(refs);
        if (refs.size() > MAX_REFS) {
            throw new IllegalArgumentException("an entry refers to at most " + MAX_REFS + " others");
        }
        if (sig != null && decodedLength(sig) != 64) {
            throw new IllegalArgumentException("sig is not a base64 Ed25519 signature");
        }
    }

    /** A copy carrying a signature. */
    public EntryHeader withSig(byte[] signature) {
        return new EntryHeader(v, kind, author, key, seq, at, visibility, body, refs,
                Base64.getEncoder().encodeToString(signature));
    }

    /** The signature bytes; the header MUST be signed. */
    public byte[] signature() {
        if (sig == null) {
            throw new IllegalStateException("the header is not signed");
        }
        return Base64.getDecoder().decode(sig);
    }

    /** The canonical time format: RFC 3339 in UTC, fractional seconds only when present. */
    public static String formatTime(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** The JSON object, with the signature if {@code withSig} and the header is signed. */
    public ObjectNode toJson(boolean withSig) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("v", v);
        o.put("kind", kind);
        o.put("author", author);
        o.put("key", key);
        o.put("seq", seq);
        o.put("at", formatTime(at));
        o.set("visibility", visibility.toJson());
        o.put("body", body.base64());
        ArrayNode r = o.putArray("refs");
        refs.forEach(h -> r.add(h.base64()));
        if (withSig && sig != null) {
            o.put("sig", sig);
        }
        return o;
    }

    /** What the author signs: the canonical JSON of every field but {@code sig}. */
    public byte[] signingBytes() {
        return Json.canonical(toJson(false));
    }

    /** Parses an untrusted signed header, field by field, refusing anything unknown or missing. */
    public static EntryHeader fromJson(JsonNode n) throws EntryException {
        if (!n.isObject()) {
            throw malformed("the entry is not a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw malformed("the entry has an unknown field '" + truncate(f) + "'");
            }
        }
        int v = (int) integer(n, "v", 1, 1000);
        if (v != VERSION) {
            throw malformed("entry version " + v + " is not supported; this log records version " + VERSION);
        }
        String kind = text(n, "kind", 64);
        String author = text(n, "author", 64);
        String key = text(n, "key", 80);
        long seq = integer(n, "seq", 1, MAX_SEQ);
        String atText = text(n, "at", 40);
        Instant at;
        try {
            at = Instant.parse(atText);
        } catch (DateTimeParseException e) {
            throw malformed("at '" + truncate(atText) + "' is not an RFC 3339 UTC time");
        }
        if (!formatTime(at).equals(atText)) {
            throw malformed("at must be written as " + formatTime(at));
        }
        JsonNode vis = n.get("visibility");
        if (vis == null) {
            throw malformed("the entry has no visibility");
        }
        Visibility visibility = Visibility.fromJson(vis);
        Hash body = hash(text(n, "body", 64), "body");
        JsonNode refsNode = n.get("refs");
        if (refsNode == null || !refsNode.isArray() || refsNode.size() > MAX_REFS) {
            throw malformed("refs is an array of at most " + MAX_REFS + " leaf hashes");
        }
        List<Hash> refs = new ArrayList<>();
        for (JsonNode r : refsNode) {
            if (!r.isTextual()) {
                throw malformed("refs holds something that is not a base64 hash");
            }
            refs.add(hash(r.textValue(), "ref"));
        }
        String sig = text(n, "sig", 100);
        if (decodedLength(sig) != 64) {
            throw malformed("sig is not a base64 Ed25519 signature");
        }
        try {
            return new EntryHeader(v, kind, author, key, seq, at, visibility, body, refs, sig);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, int max) throws EntryException {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw malformed("the entry's " + field + " is missing or not a string");
        }
        if (f.textValue().length() > max) {
            throw malformed("the entry's " + field + " is longer than " + max + " characters");
        }
        return f.textValue();
    }

    private static long integer(JsonNode n, String field, long min, long max) throws EntryException {
        JsonNode f = n.get(field);
        if (f == null || !f.isIntegralNumber() || !f.canConvertToLong() || f.longValue() < min || f.longValue() > max) {
            throw malformed("the entry's " + field + " is missing or not an integer from " + min + " to " + max);
        }
        return f.longValue();
    }

    private static Hash hash(String b64, String what) throws EntryException {
        try {
            return Hash.fromBase64(b64, what);
        } catch (FormatException e) {
            throw malformed(e.getMessage());
        }
    }

    private static int decodedLength(String b64) {
        try {
            return Base64.getDecoder().decode(b64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static EntryException malformed(String message) {
        return new EntryException(Rejection.MALFORMED, message);
    }

    private static String truncate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
