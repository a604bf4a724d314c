package org.truce.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;

/**
 * What a client sends: the signed header, the body it commits to, and the salt (32 random bytes for
 * restricted bodies, none for public ones). Wire form: {@code {"entry":{…},"body":{…},"salt":"…"}}.
 * Immutable.
 */
public final class Submission {
    /** The largest submission accepted, in bytes, checked before parsing. */
    public static final int MAX_SIZE = 64 * 1024;
    public static final int SALT_SIZE = 32;

    private static final Set<String> FIELDS = Set.of("entry", "body", "salt");

    private final EntryHeader header;
    private final JsonNode body;
    private final byte[] salt;
    private final byte[] canonicalBody;

    private Submission(EntryHeader header, JsonNode body, byte[] salt) {
        this.header = header;
        this.body = body.deepCopy();
        this.salt = salt.clone();
        this.canonicalBody = Json.canonical(body);
    }

    /** Assembles a submission, checking that the body and salt hash to the header's digest. */
    public static Submission of(EntryHeader header, JsonNode body, byte[] salt) throws EntryException {
        if (!body.isObject()) {
            throw new EntryException(Rejection.MALFORMED, "the body is not a JSON object");
        }
        if (header.visibility().restricted() ? salt.length != SALT_SIZE : salt.length != 0) {
            throw new EntryException(Rejection.MALFORMED, header.visibility().restricted()
                    ? "a restricted body needs a salt of " + SALT_SIZE + " bytes"
                    : "a public body has no salt");
        }
        Submission s = new Submission(header, body, salt);
        if (!s.computeDigest().equals(header.body())) {
            throw new EntryException(Rejection.BODY_MISMATCH, "the body and salt hash to " + s.computeDigest()
                    + ", not the signed digest " + header.body());
        }
        return s;
    }

    /** The digest a header commits to: {@code SHA-256(salt ‖ JCS(body))}. */
    public static Hash digest(byte[] salt, JsonNode body) {
        MessageDigest md = Rfc9162.newDigest();
        md.update(salt);
        md.update(Json.canonical(body));
        return Hash.of(md.digest());
    }

    private Hash computeDigest() {
        MessageDigest md = Rfc9162.newDigest();
        md.update(salt);
        md.update(canonicalBody);
        return Hash.of(md.digest());
    }

    /** Parses untrusted wire bytes, bounded before any parsing. */
    public static Submission parse(byte[] wire) throws EntryException {
        if (wire.length > MAX_SIZE) {
            throw new EntryException(Rejection.TOO_LARGE, "the submission is " + wire.length
                    + " bytes; at most " + MAX_SIZE + " are accepted");
        }
        JsonNode root;
        try {
            root = Json.parse(wire);
        } catch (InvalidJsonException e) {
            throw new EntryException(Rejection.MALFORMED, "the submission is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new EntryException(Rejection.MALFORMED, "the submission is not a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new EntryException(Rejection.MALFORMED, "the submission has an unknown field '"
                        + (f.length() > 40 ? f.substring(0, 40) : f) + "'");
            }
        }
        JsonNode entry = root.get("entry");
        JsonNode body = root.get("body");
        if (entry == null || body == null) {
            throw new EntryException(Rejection.MALFORMED, "the submission needs both entry and body");
        }
        EntryHeader header = EntryHeader.fromJson(entry);
        byte[] salt = new byte[0];
        JsonNode s = root.get("salt");
        if (s != null) {
            if (!s.isTextual()) {
                throw new EntryException(Rejection.MALFORMED, "salt is not a base64 string");
            }
            try {
                salt = Base64.getDecoder().decode(s.textValue());
            } catch (IllegalArgumentException e) {
                throw new EntryException(Rejection.MALFORMED, "salt is not valid base64");
            }
        }
        return of(header, body, salt);
    }

    public EntryHeader header() {
        return header;
    }

    public JsonNode body() {
        return body.deepCopy();
    }

    public byte[] salt() {
        return salt.clone();
    }

    /** The RFC 8785 form of the body, as committed to by the digest. */
    public byte[] canonicalBody() {
        return canonicalBody.clone();
    }

    /** The wire form. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("entry", header.toJson(true));
        o.set("body", body.deepCopy());
        if (salt.length > 0) {
            o.put("salt", Base64.getEncoder().encodeToString(salt));
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Submission s && s.header.equals(header) && Arrays.equals(s.salt, salt)
                && Arrays.equals(s.canonicalBody, canonicalBody);
    }

    @Override
    public int hashCode() {
        return header.hashCode();
    }
}
