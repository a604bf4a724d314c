package org.truce.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;

/**
 * One document of the derived state: a JSON object under (collection, id), with the index keys it
 * can be found by, who may read it and which party it belongs to. Immutable.
 *
 * @param collection e.g. {@code party}, {@code key}, {@code message}
 * @param id unique within the collection
 * @param body the document
 * @param keys index keys such as {@code to:us}, at most {@link #MAX_KEYS}
 * @param visibility who may read the document, as the entry that made it
 * @param owner the party whose entry made the document; it may always read it
 * @param index the log index of the entry that last wrote the document
 */
public record Doc(String collection, String id, ObjectNode body, SortedSet<String> keys, Visibility visibility,
        String owner, long index) {
    public static final int MAX_KEYS = 64;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9.-]{0,31}");

    public Doc {
        if (!NAME.matcher(collection).matches()) {
            throw new IllegalArgumentException("bad collection name " + collection);
        }
        if (id.isEmpty() || id.length() > 200) {
            throw new IllegalArgumentException("document id must be 1–200 characters");
        }
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("a document has at most " + MAX_KEYS + " index keys");
        }
        body = body.deepCopy();
        keys = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(keys));
    }

    public Doc(String collection, String id, ObjectNode body, List<String> keys, Visibility visibility,
            String owner, long index) {
        this(collection, id, body, new TreeSet<>(keys), visibility, owner, index);
    }

    /** The canonical JSON form that the state digest hashes. */
    public byte[] canonical() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("collection", collection);
        o.put("id", id);
        o.set("body", body);
        ArrayNode k = o.putArray("keys");
        keys.forEach(k::add);
        o.set("visibility", visibility.toJson());
        o.put("owner", owner);
        o.put("index", index);
        return Json.canonical(o);
    }

    /** The body as read by a caller, who may not modify this document. */
    @Override
    public ObjectNode body() {
        return body.deepCopy();
    }

    /** Rebuilds a document from its canonical form. */
    public static Doc fromCanonical(JsonNode o) throws org.truce.core.entry.EntryException {
        List<String> keys = new java.util.ArrayList<>();
        o.get("keys").forEach(k -> keys.add(k.textValue()));
        return new Doc(o.get("collection").textValue(), o.get("id").textValue(), (ObjectNode) o.get("body"), keys,
                Visibility.fromJson(o.get("visibility")), o.get("owner").textValue(), o.get("index").longValue());
    }

}
