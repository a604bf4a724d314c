package org.truce.core.actor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.party.PartyRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Armed actors: registered once with their first name, then given aliases or renamed, and their
 * standing towards the truce recorded as a history of status changes, each with its source. The
 * operator and any registered party may record them; the author of each change is on the record.
 */
public final class ActorRules implements KindRules {
    public static final String ACTOR = "actor";
    public static final String NAME = "actor.name";
    public static final String STATUS = "actor.status";
    /** Collections: actors by id; names and statuses by the leaf hash of their entry. */
    public static final String ACTORS = "actor";
    public static final String NAMES = "actor.name";
    public static final String STATUSES = "actor.status";

    @Override
    public List<String> kinds() {
        return List.of(ACTOR, NAME, STATUS);
    }

    /** The index key under which documents naming an actor by {@code name} are found. */
    public static String nameKey(String name) {
        return "name:" + name.strip().toLowerCase(Locale.ROOT);
    }

    /** The index key of the documents about actor {@code id}. */
    public static String actorKey(String id) {
        return "actor:" + id;
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        requireRegistered(state, e.header().author());
        return switch (e.header().kind()) {
            case ACTOR -> actor(state, e);
            case NAME -> name(state, e);
            case STATUS -> status(state, e);
            default -> throw new IllegalArgumentException(e.header().kind());
        };
    }

    private List<Change> actor(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String id = b.get("id").textValue();
        if (state.get(ACTORS, id).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/id: actor " + id + " is already registered");
        }
        JsonNode aff = b.path("affiliation");
        if (aff.has("party")) {
            requireParty(state, aff.get("party").textValue(), "/affiliation/party");
        }
        if (aff.has("actor")) {
            requireActor(state, aff.get("actor").textValue(), "/affiliation/actor");
        }
        List<String> keys = new ArrayList<>();
        keys.add(nameKey(b.get("name").textValue()));
        b.path("aliases").forEach(a -> {
            if (!keys.contains(nameKey(a.textValue()))) {
                keys.add(nameKey(a.textValue()));
            }
        });
        keys.add("all");
        e.stamp(b);
        return List.of(new Change.Put(new Doc(ACTORS, id, b, keys, e.header().visibility(), e.header().author(), e.index())));
    }

    private List<Change> name(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String actor = b.get("actor").textValue();
        requireActor(state, actor, "/actor");
        e.stamp(b);
        return List.of(new Change.Put(new Doc(NAMES, e.leafHash().base64(), b,
                List.of(actorKey(actor), nameKey(b.get("name").textValue())), e.header().visibility(), e.header().author(),
                e.index())));
    }

    private List<Change> status(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String actor = b.get("actor").textValue();
        requireActor(state, actor, "/actor");
        List<String> keys = new ArrayList<>();
        keys.add(actorKey(actor));
        if (b.has("agreement")) {
            String agreement = b.get("agreement").textValue();
            if (state.get("agreement", agreement).isEmpty()) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/agreement: no agreement " + agreement);
            }
            keys.add("agreement:" + agreement);
        }
        e.stamp(b);
        return List.of(new Change.Put(new Doc(STATUSES, e.leafHash().base64(), b, keys, e.header().visibility(),
                e.header().author(), e.index())));
    }


    /** Refuses an author that is neither the operator nor a registered party. */
    public static void requireRegistered(StateView state, String author) throws EntryException {
        if (!author.equals(PartyId.OPERATOR) && state.get(PartyRules.COLLECTION, author).isEmpty()) {
            throw new EntryException(Rejection.NOT_ALLOWED, author + " is not a registered party");
        }
    }

    /** Refuses a reference, at {@code field}, to a party that is not registered. */
    public static void requireParty(StateView state, String party, String field) throws EntryException {
        if (state.get(PartyRules.COLLECTION, party).isEmpty()) {
            throw new EntryException(Rejection.RULE_VIOLATION, field + ": " + party + " is not a registered party");
        }
    }

    /** Refuses a reference, at {@code field}, to an actor that is not registered. */
    public static void requireActor(StateView state, String actor, String field) throws EntryException {
        if (state.get(ACTORS, actor).isEmpty()) {
            throw new EntryException(Rejection.RULE_VIOLATION, field + ": no actor " + actor + " is registered");
        }
    }
}
