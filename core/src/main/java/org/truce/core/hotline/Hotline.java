package org.truce.core.hotline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Read views of the hotline, derived from the state and the clock: a party's inbox and outbox, and
 * for each message who acknowledged it and whether it is overdue. Everything returned has passed the
 * visibility filter for the reader.
 */
public final class Hotline {
    /** How a recipient stands with a message. */
    public enum Status { ACKNOWLEDGED, AWAITING, OVERDUE, NO_ACK_REQUIRED }

    private final StateView state;
    private final Clock clock;

    public Hotline(StateView state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** Messages addressed to {@code party} that {@code reader} may read, oldest first. */
    public List<ObjectNode> inbox(Reader reader, String party, @Nullable String after, int limit) {
        return view(reader, "to:" + party, after, limit);
    }

    /** Messages sent by {@code party} that {@code reader} may read, oldest first. */
    public List<ObjectNode> outbox(Reader reader, String party, @Nullable String after, int limit) {
        return view(reader, "from:" + party, after, limit);
    }

    /** One message with its acknowledgements, if {@code reader} may read it. */
    public @Nullable ObjectNode message(Reader reader, String id) {
        return state.get(HotlineRules.MESSAGES, id).filter(reader::mayRead).map(d -> describe(reader, d)).orElse(null);
    }

    /**
     * Messages under an index key in the order they were logged, after the message {@code after}
     * (the cursor: the id of the last message of the previous page); an id that names no message
     * starts from the beginning.
     */
    private List<ObjectNode> view(Reader reader, String key, @Nullable String after, int limit) {
        List<ObjectNode> out = new ArrayList<>();
        Optional<Doc> start = after == null ? Optional.empty() : state.get(HotlineRules.MESSAGES, after);
        long afterIndex = start.map(Doc::index).orElse(-1L);
        String afterId = start.map(Doc::id).orElse("");
        // Filtering may drop documents, so page through the index until the page is full.
        while (out.size() < limit) {
            List<Doc> page = state.findInLogOrder(HotlineRules.MESSAGES, key, afterIndex, afterId, limit);
            for (Doc d : page) {
                if (reader.mayRead(d) && out.size() < limit) {
                    out.add(describe(reader, d));
                }
            }
            if (page.size() < limit) {
                break;
            }
            afterIndex = page.get(page.size() - 1).index();
            afterId = page.get(page.size() - 1).id();
        }
        return out;
    }

    /** The message body with, per recipient, its acknowledgement status now. */
    private ObjectNode describe(Reader reader, Doc d) {
        ObjectNode m = d.body();
        Instant now = clock.instant();
        JsonNode ackBy = m.get("ackBy");
        ArrayNode recipients = m.putArray("recipients");
        for (JsonNode to : d.body().get("to")) {
            ObjectNode r = recipients.addObject();
            r.put("party", to.asText());
            var ack = state.get(HotlineRules.ACKS, d.id() + "/" + to.asText()).filter(reader::mayRead);
            Status s;
            if (ack.isPresent()) {
                s = Status.ACKNOWLEDGED;
                r.put("ackAt", ack.get().body().path("at").asText());
                r.put("ackIndex", ack.get().body().path("index").asLong());
            } else if (ackBy == null) {
                s = Status.NO_ACK_REQUIRED;
            } else {
                s = now.isAfter(Instant.parse(ackBy.asText())) ? Status.OVERDUE : Status.AWAITING;
            }
            r.put("status", s.name().toLowerCase(java.util.Locale.ROOT));
        }
        return m;
    }
}
