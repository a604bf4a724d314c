package org.truce.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.truce.core.entry.EntryHeader;
import org.truce.tlog.merkle.Hash;

/**
 * An entry at its place in the log: what the projection applies.
 *
 * @param index its log index
 * @param leafHash its leaf hash, by which other entries refer to it
 * @param header the signed header
 * @param body the body it commits to
 * @param received when the log received it
 */
public record Sequenced(long index, Hash leafHash, EntryHeader header, JsonNode body, Instant received) {
    public Sequenced {
        body = body.deepCopy();
    }

    @Override
    public JsonNode body() {
        return body.deepCopy();
    }

    /** A text field of the body, or null. */
    public @org.jspecify.annotations.Nullable String text(String field) {
        JsonNode n = body.get(field);
        return n == null || !n.isTextual() ? null : n.textValue();
    }

    /**
     * Records in a state document who wrote this entry ({@code by}), when they say ({@code at}), and
     * where it is in the log ({@code index}, and {@code entry}, its leaf hash).
     */
    public ObjectNode stamp(ObjectNode doc) {
        doc.put("by", header.author());
        doc.put("at", EntryHeader.formatTime(header.at()));
        doc.put("index", index);
        doc.put("entry", leafHash.base64());
        return doc;
    }
}
