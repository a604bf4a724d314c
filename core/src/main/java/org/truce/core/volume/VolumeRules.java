package org.truce.core.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.truce.core.actor.ActorRules;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.Prepared;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Volumes and the key rule. A volume is a footprint × an altitude band × a time window, in a state
 * (accepted, activated, ended) with a priority. Writing one that is not ended MUST name in {@code key}
 * the current version of every entity it meets in four dimensions: another party's or its own volume
 * not ended (overlapping in time and altitude), a protected site standing at the time (at any altitude:
 * protection errs towards a conflict), a movement's leg during its window, an area declared for an
 * actor of a party to the truce during the window. A missing or stale version
 * is refused with 409 listing exactly what is missing, so no party can say it was not shown a
 * conflict. Each conflict is recorded for both sides to read. The window must not be over when the log receives the entry, nor start more than
 * {@value #MAX_DAYS_AHEAD} days after. Versions are SHA-256 chains over the bodies as signed.
 */
public final class VolumeRules implements KindRules {
    public static final String VOLUME = "volume";
    public static final String VOLUMES = "volume";
    /** Conflicts found when a volume was written, one per entity it meets, for both sides to read. */
    public static final String CONFLICTS = "volume.conflict";
    static final int MAX_DAYS_AHEAD = 30;

    @Override
    public List<String> kinds() {
        return List.of(VOLUME);
    }

    /** An entity a volume meets, as a key names it. */
    public record Entity(String type, String id, String version) {
        @Override
        public String toString() {
            return type + " " + id + " at version " + version;
        }
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        String author = e.header().author();
        ActorRules.requireRegistered(state, author);
        if (author.equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "volumes are a party's; the operator records none");
        }
        ObjectNode b = (ObjectNode) e.body();
        String id = b.get("id").textValue();
        Optional<Doc> current = state.get(VOLUMES, id);
        String supersedes = e.text("supersedes");
        String previous = null;
        if (current.isPresent()) {
            Doc c = current.get();
            if (supersedes == null || !supersedes.equals(c.body().get("entry").textValue())) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/supersedes: volume " + id + " exists; its current version is "
                        + "entry " + c.body().get("entry").textValue());
            }
            if (!c.owner().equals(author)) {
                throw new EntryException(Rejection.NOT_ALLOWED, "volume " + id + " is " + c.owner() + "'s");
            }
            String was = c.body().get("state").textValue();
            String now = b.get("state").textValue();
            if (was.equals("ended") || (was.equals("activated") && now.equals("accepted"))) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/state: a volume goes from accepted to activated to ended, "
                        + "not from " + was + " to " + now);
            }
            previous = c.body().get("version").textValue();
        } else if (supersedes != null) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/supersedes: there is no volume " + id);
        }
        Instant from = Instant.parse(b.get("time").get("from").textValue());
        Instant to = Instant.parse(b.get("time").get("to").textValue());
        if (!to.isAfter(from)) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/time/to: the window ends after it starts");
        }
        JsonNode alt = b.get("altitude");
        if (alt.get("upper").doubleValue() < alt.get("lower").doubleValue()) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/altitude/upper: the band's upper bound is at or above its lower");
        }
        boolean ended = b.get("state").textValue().equals("ended");
        if (!ended) {
            if (!to.isAfter(e.received())) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/time/to: the window is over (" + to + ") when the log "
                        + "receives it (" + e.received() + ")");
            }
            if (from.isAfter(e.received().plus(Duration.ofDays(MAX_DAYS_AHEAD)))) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/time/from: a volume starts at most " + MAX_DAYS_AHEAD
                        + " days after the log receives it");
            }
        }
        Footprint footprint = NotificationRules.footprint(b.get("footprint"), "/footprint");
        List<Entity> met = ended ? List.of() : meets(state, id, footprint, alt, from, to);
        Set<Entity> named = new LinkedHashSet<>();
        for (JsonNode k : b.get("key")) {
            named.add(new Entity(k.get("type").textValue(), k.get("id").textValue(), k.get("version").textValue()));
        }
        List<Entity> missing = met.stream().filter(x -> !named.contains(x)).toList();
        if (!missing.isEmpty()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/key: the volume meets what its key does not name at its "
                    + "current version: " + String.join("; ", missing.stream().map(Entity::toString).toList()));
        }
        ObjectNode doc = b.deepCopy();
        doc.put("version", NotificationRules.version(previous, b));
        ArrayNode conflicts = doc.putArray("meets");
        for (Entity x : met) {
            conflicts.addObject().put("type", x.type()).put("id", x.id()).put("version", x.version());
        }
        e.stamp(doc);
        List<String> keys = new ArrayList<>(List.of("all", "by:" + author));
        if (!ended) {
            keys.add("active");
        }
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Put(new Doc(VOLUMES, id, doc, keys, e.header().visibility(), author, e.index())));
        for (Entity x : met) {
            String other = state.get(collection(x.type()), x.id()).orElseThrow().owner();
            ObjectNode c = doc.objectNode().put("volume", id).put("version", doc.get("version").textValue());
            c.putObject("with").put("type", x.type()).put("id", x.id()).put("version", x.version()).put("owner", other);
            e.stamp(c);
            changes.add(new Change.Put(new Doc(CONFLICTS, e.leafHash().base64() + ":" + x.type() + ":" + x.id(), c,
                    List.of("all", "party:" + author, "party:" + other, "volume:" + id, "entry:" + e.leafHash().base64()),
                    org.truce.core.entry.Visibility.named(
                            new java.util.TreeSet<>(List.of(author, other)).toArray(String[]::new)), author, e.index())));
        }
        return changes;
    }

    /** The collection of an entity type a key names. */
    public static String collection(String type) {
        return switch (type) {
            case "volume" -> VOLUMES;
            case "area" -> "area.declaration";
            default -> "notification." + type;
        };
    }

    /** Every entity other than volume {@code self} that a volume with these dimensions meets, with its version. */
    public static List<Entity> meets(StateView state, String self, Footprint f, JsonNode alt, Instant from, Instant to) {
        return meets(state, self, Prepared.of(f), alt.get("lower").doubleValue(), alt.get("upper").doubleValue(), from, to);
    }

    /**
     * Every entity other than volume {@code self} that a prepared footprint meets in the altitude band
     * and window: volumes first, then sites, movements and areas, each in id order.
     */
    public static List<Entity> meets(StateView state, String self, Prepared f, double lower, double upper, Instant from,
            Instant to) {
        SpaceIndex.Item[] met = SpaceIndex.at(state).meeting(f, lower, upper, from, to);
        List<Entity> found = new ArrayList<>(met.length);
        long selfOrder = SpaceIndex.order(0, self);
        SpaceIndex.Item last = null;
        for (SpaceIndex.Item i : met) {
            // A movement's legs are items of their own, next to each other in this order: the first names it.
            boolean again = last != null && last.type == i.type && last.order == i.order && last.id.equals(i.id);
            last = i;
            if (again || i.type == 0 && i.order == selfOrder && i.id.equals(self) || i.type == 3 && !ofAParty(state, i.actor)) {
                continue;
            }
            found.add(new Entity(i.typeName(), i.id, i.version));
        }
        return found;
    }

    /** Whether an actor is a party's (affiliated with a registered party) or a party to the truce by its status. */
    static boolean ofAParty(StateView state, String actor) {
        Optional<Doc> a = state.get(ActorRules.ACTORS, actor);
        if (a.isEmpty()) {
            return false;
        }
        if (a.get().body().path("affiliation").has("party")) {
            return true;
        }
        Doc last = null;
        for (Doc s : state.findAll(ActorRules.STATUSES, ActorRules.actorKey(actor), 10_000)) {
            if (last == null || s.index() > last.index()) {
                last = s;
            }
        }
        return last != null && last.body().get("status").textValue().equals("party");
    }
}
