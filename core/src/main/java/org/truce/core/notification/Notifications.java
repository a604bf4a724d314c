package org.truce.core.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Read views of notified sites and movements, derived from the state and the clock: each with every
 * named party's acknowledgement (when and in which entry) or its absence, awaiting before the
 * deadline and overdue after it. Every notification returned has passed the visibility filter for the
 * reader. An acknowledgement counts whoever may read its body: its author, kind and time are in the
 * public leaf of the log anyway; only its note is withheld from a reader outside its visibility.
 */
public final class Notifications {
    /** The most notifications of one kind listed at once. */
    static final int MAX_LISTED = 100_000;

    private final StateView state;
    private final Clock clock;

    public Notifications(StateView state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** A site or a movement, by its type ({@code site} or {@code movement}) and id, with its acknowledgements. */
    public Optional<ObjectNode> get(Reader reader, String type, String id) {
        return state.get(collection(type), id).filter(reader::mayRead).map(d -> view(reader, type, d));
    }

    /**
     * The sites or movements the reader may see, in id order: all, or those {@code party} must
     * acknowledge, or of those only the ones it has not acknowledged yet.
     */
    public List<ObjectNode> list(Reader reader, String type, @Nullable String party, boolean unacknowledgedOnly) {
        String key = party == null ? "all" : NotificationRules.ackKey(party);
        List<ObjectNode> out = new ArrayList<>();
        for (Doc d : state.findAll(collection(type), key, MAX_LISTED)) {
            if (!reader.mayRead(d)) {
                continue;
            }
            ObjectNode v = view(reader, type, d);
            if (unacknowledgedOnly && party != null) {
                boolean pending = false;
                for (JsonNode a : v.get("acknowledgements")) {
                    pending |= a.get("party").textValue().equals(party) && !a.get("status").textValue().equals("acknowledged");
                }
                if (!pending || v.has("withdrawn")) {
                    continue;
                }
            }
            out.add(v);
        }
        return out;
    }

    private static String collection(String type) {
        return switch (type) {
            case "site" -> NotificationRules.SITES;
            case "movement" -> NotificationRules.MOVEMENTS;
            default -> throw new IllegalArgumentException("a notification is a site or a movement, not " + type);
        };
    }

    private ObjectNode view(Reader reader, String type, Doc d) {
        ObjectNode v = d.body();
        v.put("type", type);
        v.set("visibility", d.visibility().toJson());
        Map<String, Doc> acks = new HashMap<>();
        for (Doc a : state.findAll(NotificationRules.ACKS, NotificationRules.subjectKey(type, d.id()), 10_000)) {
            acks.put(a.owner(), a);
        }
        Instant deadline = Instant.parse(v.get("ackBy").textValue());
        Instant now = clock.instant();
        ArrayNode list = v.putArray("acknowledgements");
        int awaiting = 0;
        for (JsonNode p : d.body().get("acknowledge")) {
            String party = p.textValue();
            ObjectNode a = list.addObject().put("party", party);
            Doc ack = acks.get(party);
            if (ack != null) {
                a.put("status", "acknowledged").put("at", ack.body().get("at").textValue())
                        .put("entry", ack.body().get("entry").textValue()).put("index", ack.body().get("index").longValue());
                if (reader.mayRead(ack) && ack.body().has("note")) {
                    a.put("note", ack.body().get("note").textValue());
                }
            } else {
                a.put("status", now.isAfter(deadline) ? "overdue" : "awaiting");
                awaiting++;
            }
        }
        v.put("unacknowledged", awaiting);
        return v;
    }
}
