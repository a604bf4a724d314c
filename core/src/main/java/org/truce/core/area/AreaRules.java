package org.truce.core.area;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.truce.core.actor.ActorRules;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Area declarations: any registered party or the operator declares a registered actor present in or
 * controlling an area (a footprint) from a time, until a time or open. A declaration is recorded once
 * under its id and never overwritten; what disagrees is worked out when reading.
 */
public final class AreaRules implements KindRules {
    public static final String DECLARATION = "area.declaration";
    public static final String AREAS = "area.declaration";

    @Override
    public List<String> kinds() {
        return List.of(DECLARATION);
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        ActorRules.requireRegistered(state, e.header().author());
        ObjectNode b = (ObjectNode) e.body();
        String id = b.get("id").textValue();
        if (state.get(AREAS, id).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/id: declaration " + id + " is already recorded");
        }
        ActorRules.requireActor(state, b.get("actor").textValue(), "/actor");
        NotificationRules.footprint(b.get("footprint"), "/footprint");
        if (b.has("to") && !Instant.parse(b.get("to").textValue()).isAfter(Instant.parse(b.get("from").textValue()))) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/to: the period ends after it starts");
        }
        b.put("version", NotificationRules.version(null, b));
        e.stamp(b);
        return List.of(new Change.Put(new Doc(AREAS, id, b, List.of("all", "actor:" + b.get("actor").textValue(),
                "by:" + e.header().author()), e.header().visibility(), e.header().author(), e.index())));
    }
}
