package org.truce.server.sequencer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.tlog.merkle.Hash;

/**
 * The outcome of a queued submission as the shared queue records it, JSON: a receipt
 * {@code {"index","leafHash","checkpoint","duplicate"}}, a refusal {@code {"refused": slug, "message"}},
 * a failure {@code {"failed": message}} (nothing written; the submitter may send again), or for a
 * group {@code {"group": [outcome…]}}. Written and read only by Truce instances of one database.
 */
final class Outcomes {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Outcomes() {}

    /** The outcome a completed answer holds. */
    static byte[] of(CompletableFuture<Receipt> answer) {
        try {
            Receipt r = answer.getNow(null);
            if (r == null) {
                return failed("not answered");
            }
            ObjectNode o = F.objectNode().put("index", r.index()).put("leafHash", r.leafHash().base64())
                    .put("checkpoint", r.checkpoint()).put("duplicate", r.duplicate());
            return bytes(o);
        } catch (CompletionException e) {
            return e.getCause() instanceof EntryException ee ? refused(ee) : failed(e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            return failed("cancelled");
        }
    }

    static byte[] refused(EntryException e) {
        return bytes(F.objectNode().put("refused", e.reason().slug()).put("message", e.getMessage()));
    }

    static byte[] failed(String message) {
        return bytes(F.objectNode().put("failed", message));
    }

    /** A failure, with the storage fault behind it when there is one, so the submitter's instance answers it as such. */
    static byte[] failed(Throwable cause) {
        ObjectNode o = F.objectNode().put("failed", String.valueOf(cause.getMessage()));
        if (cause instanceof org.truce.store.StoreException se && se.fault().isPresent()) {
            o.put("fault", se.fault().get().name());
        }
        return bytes(o);
    }

    static byte[] group(List<byte[]> each) {
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("group");
        for (byte[] b : each) {
            a.add(parse(b));
        }
        return bytes(o);
    }

    /** The outcomes of a group's entries, in order. */
    static List<byte[]> group(byte[] outcome) {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode n : parse(outcome).path("group")) {
            out.add(bytes(n));
        }
        return out;
    }

    /** The receipt an outcome holds; a refusal or failure is thrown as the answer's exception. */
    static Receipt receipt(byte[] outcome) {
        JsonNode o = parse(outcome);
        if (o.has("refused")) {
            throw new CompletionException(new EntryException(rejection(o.get("refused").asText()), o.path("message").asText()));
        }
        if (o.has("failed") && o.has("fault")) {
            throw new CompletionException(new org.truce.store.StoreException("the entry was not sequenced: " + o.get("failed").asText(),
                    org.truce.store.StoreException.Fault.valueOf(o.get("fault").asText())));
        }
        if (o.has("failed")) {
            throw new CompletionException(new OverloadedException("the entry was not sequenced: " + o.get("failed").asText()));
        }
        try {
            return new Receipt(o.get("index").asLong(), Hash.fromBase64(o.get("leafHash").asText(), "leaf hash"),
                    o.get("checkpoint").asText(), o.get("duplicate").asBoolean());
        } catch (org.truce.tlog.FormatException e) {
            throw new IllegalStateException("an outcome in the shared queue is malformed: " + e.getMessage(), e);
        }
    }

    /** Completes {@code f} with what {@code outcome} holds. */
    static void complete(CompletableFuture<Receipt> f, byte[] outcome) {
        try {
            f.complete(receipt(outcome));
        } catch (CompletionException e) {
            f.completeExceptionally(e.getCause());
        }
    }

    private static Rejection rejection(String slug) {
        for (Rejection r : Rejection.values()) {
            if (r.slug().equals(slug)) {
                return r;
            }
        }
        return Rejection.RULE_VIOLATION;
    }

    private static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] b) {
        try {
            return Json.parse(b);
        } catch (InvalidJsonException e) {
            throw new IllegalStateException("an outcome in the shared queue is not JSON: " + e.getMessage(), e);
        }
    }
}
