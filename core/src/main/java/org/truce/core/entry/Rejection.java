package org.truce.core.entry;

/**
 * Why an entry is refused. Each reason has a stable slug that the HTTP API publishes as the RFC 9457
 * problem {@code type}, and the status it answers with.
 */
public enum Rejection {
    MALFORMED("malformed-entry", 400, "the entry is not valid JSON of the entry format"),
    TOO_LARGE("too-large", 413, "the submission is larger than allowed"),
    UNKNOWN_KIND("unknown-kind", 422, "the entry's kind is not one this log records"),
    SCHEMA_VIOLATION("schema-violation", 422, "the body does not match its kind's schema"),
    BODY_MISMATCH("body-digest-mismatch", 422, "the body and salt do not hash to the signed body digest"),
    BAD_SIGNATURE("bad-signature", 401, "the signature does not verify with the author's key"),
    UNKNOWN_KEY("unknown-key", 401, "the signing key is not registered for the author"),
    REVOKED_KEY("revoked-key", 401, "the signing key was revoked before this entry"),
    REPLAYED_SEQ("replayed-seq", 409, "the seq is not above the last one sequenced for this key"),
    NOT_ALLOWED("not-allowed", 403, "the author may not record this entry"),
    INCONSISTENT_BODY("inconsistent-body", 422, "the body contradicts itself"),
    BAD_GEOMETRY("bad-geometry", 422, "a footprint is not a well-formed shape"),
    RULE_VIOLATION("rule-violation", 409, "the entry breaks a rule against the current state");

    private final String slug;
    private final int status;
    private final String title;

    Rejection(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** The stable identifier of this reason, used in the problem type URI. */
    public String slug() {
        return slug;
    }

    /** The HTTP status this reason answers with. */
    public int status() {
        return status;
    }

    /** A short, fixed summary of the reason. */
    public String title() {
        return title;
    }
}
