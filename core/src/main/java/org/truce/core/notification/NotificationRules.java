package org.truce.core.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.truce.core.access.Reader;
import org.truce.core.actor.ActorRules;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.FootprintException;
import org.truce.core.geo.Footprints;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Notified sites and movements, their acknowledgements and withdrawals. Any registered party or the
 * operator notifies; every party it names to acknowledge must be registered; a footprint must be a
 * well-formed shape (a movement's route a corridor, its legs in order, each ending after it starts).
 * Only a named party acknowledges, once, and only while the notification stands; only the notifier or
 * the operator withdraws it. An id is notified once: a changed site is withdrawn and notified anew.
 */
public final class NotificationRules implements KindRules {
    public static final String SITE = "notification.site";
    public static final String MOVEMENT = "notification.movement";
    public static final String ACK = "notification.ack";
    public static final String WITHDRAW = "notification.withdraw";
    /** Collections: sites and movements by id, acknowledgements by their entry's leaf hash. */
    public static final String SITES = "notification.site";
    public static final String MOVEMENTS = "notification.movement";
    public static final String ACKS = "notification.ack";

    @Override
    public List<String> kinds() {
        return List.of(SITE, MOVEMENT, ACK, WITHDRAW);
    }

    /** The index key of the notifications {@code party} must acknowledge. */
    public static String ackKey(String party) {
        return "ack:" + party;
    }

    /** The index key of the acknowledgements of one site or movement, e.g. {@code site:aleppo-hospital}. */
    public static String subjectKey(String type, String id) {
        return type + ":" + id;
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        ActorRules.requireRegistered(state, e.header().author());
        return switch (e.header().kind()) {
            case SITE, MOVEMENT -> notify(state, e);
            case ACK -> ack(state, e);
            case WITHDRAW -> withdraw(state, e);
            default -> throw new IllegalArgumentException(e.header().kind());
        };
    }

    /**
     * The version of an entity: the SHA-256, in hex, of the previous version's hex (none for the first)
     * followed by the canonical JSON of the body as signed, so each version commits to the whole chain.
     */
    public static String version(@org.jspecify.annotations.Nullable String previous, JsonNode body) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            if (previous != null) {
                md.update(previous.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return java.util.HexFormat.of().formatHex(md.digest(org.truce.core.json.Json.canonical(body)));
        } catch (java.security.NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }

    /**
     * When a notified site stands, as [start, end): from its {@code from}, or its notification, until
     * its withdrawal; the end is {@link Instant#MAX} while it stands.
     */
    public static Instant[] standing(JsonNode site) {
        Instant start = Instant.parse(site.has("from") ? site.get("from").textValue() : site.get("at").textValue());
        Instant end = site.has("withdrawn") ? Instant.parse(site.get("withdrawn").get("at").textValue()) : Instant.MAX;
        return new Instant[] {start, end};
    }

    /** The footprint at {@code field} of a body, checked as a shape. */
    public static Footprint footprint(JsonNode n, String field) throws EntryException {
        try {
            return Footprints.parse(n, field);
        } catch (FootprintException x) {
            throw new EntryException(Rejection.BAD_GEOMETRY, x.getMessage());
        }
    }

    private List<Change> notify(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        boolean site = e.header().kind().equals(SITE);
        String collection = site ? SITES : MOVEMENTS;
        String id = b.get("id").textValue();
        if (state.get(collection, id).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/id: " + (site ? "site " : "movement ") + id
                    + " is already notified; withdraw it and notify it anew under another id to change it");
        }
        if (site) {
            footprint(b.get("footprint"), "/footprint");
        } else {
            if (!(footprint(b.get("route"), "/route") instanceof Footprint.Corridor)) {
                throw new EntryException(Rejection.BAD_GEOMETRY, "/route: a movement's route is a corridor");
            }
            Instant last = Instant.MIN;
            JsonNode legs = b.get("legs");
            for (int i = 0; i < legs.size(); i++) {
                Instant from = Instant.parse(legs.get(i).get("from").textValue());
                Instant to = Instant.parse(legs.get(i).get("to").textValue());
                if (!to.isAfter(from)) {
                    throw new EntryException(Rejection.INCONSISTENT_BODY, "/legs/" + i + "/to: a leg ends after it starts");
                }
                if (from.isBefore(last)) {
                    throw new EntryException(Rejection.INCONSISTENT_BODY, "/legs/" + i
                            + "/from: legs are in order, each starting when or after the one before ends");
                }
                last = to;
                if (legs.get(i).has("footprint")) {
                    footprint(legs.get(i).get("footprint"), "/legs/" + i + "/footprint");
                }
            }
        }
        List<String> keys = new ArrayList<>();
        keys.add("all");
        keys.add("by:" + e.header().author());
        for (JsonNode p : b.get("acknowledge")) {
            ActorRules.requireParty(state, p.textValue(), "/acknowledge");
            keys.add(ackKey(p.textValue()));
        }
        if (site) {
            keys.add("category:" + b.get("category").textValue());
        }
        b.put("version", version(null, b));
        e.stamp(b);
        return List.of(new Change.Put(new Doc(collection, id, b, keys, e.header().visibility(), e.header().author(), e.index())));
    }

    private static String[] subject(JsonNode b) {
        return b.has("site") ? new String[] {"site", SITES, b.get("site").textValue()}
                : new String[] {"movement", MOVEMENTS, b.get("movement").textValue()};
    }

    private List<Change> ack(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        String[] s = subject(b);
        Doc n = readable(state, s, author);
        if (n.body().has("withdrawn")) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/" + s[0] + ": " + s[2] + " was withdrawn");
        }
        boolean named = false;
        for (JsonNode p : n.body().get("acknowledge")) {
            named |= p.textValue().equals(author);
        }
        if (!named) {
            throw new EntryException(Rejection.NOT_ALLOWED, author + " is not among the parties named to acknowledge " + s[2]);
        }
        String key = NotificationRules.subjectKey(s[0], s[2]);
        for (Doc a : state.findAll(ACKS, key, 10_000)) {
            if (a.owner().equals(author)) {
                throw new EntryException(Rejection.RULE_VIOLATION, author + " already acknowledged " + s[2] + " in entry "
                        + a.id());
            }
        }
        e.stamp(b);
        return List.of(new Change.Put(new Doc(ACKS, e.leafHash().base64(), b, List.of(key, "by:" + author),
                e.header().visibility(), author, e.index())));
    }

    private List<Change> withdraw(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        String[] s = subject(b);
        Doc n = readable(state, s, author);
        if (!n.owner().equals(author) && !author.equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.NOT_ALLOWED, s[2] + " was notified by " + n.owner() + "; only it withdraws it");
        }
        if (n.body().has("withdrawn")) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/" + s[0] + ": " + s[2] + " was already withdrawn");
        }
        ObjectNode body = n.body();
        e.stamp(body.putObject("withdrawn").put("reason", b.get("reason").textValue()));
        return List.of(new Change.Put(new Doc(n.collection(), n.id(), body, n.keys(), n.visibility(), n.owner(), e.index())));
    }

    private static Doc readable(StateView state, String[] s, String author) throws EntryException {
        Optional<Doc> d = state.get(s[1], s[2]);
        if (d.isEmpty() || !(author.equals(PartyId.OPERATOR) || Reader.party(author).mayRead(d.get()))) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/" + s[0] + ": no " + s[0] + " " + s[2] + " is notified");
        }
        return d.get();
    }
}
