package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.truce.core.access.Reader;
import org.truce.core.actor.ActorRules;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.party.PartyRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Incidents and the accounts around them. An incident is recorded by any registered party or the
 * operator and revised only by its recorder, each version naming the one it supersedes; observations
 * and claims are kept per entry and replaced in the current view only by their own author's later
 * entry; assessments are a monitor's and stay on the record when a later one revises them.
 *
 * <p>Rules: the time window runs forwards and spans at most {@value #MAX_WINDOW_DAYS} days; polygon
 * rings are closed; casualty figures satisfy low ≤ best ≤ high (the schema checks that the
 * sub-event type belongs to the event type); linked actors and agreements exist; whoever writes about an incident may read it; a
 * new version keeps the visibility of the first.
 */
public final class IncidentRules implements KindRules {
    public static final String INCIDENT = "incident";
    public static final String OBSERVATION = "incident.observation";
    public static final String CLAIM = "incident.claim";
    public static final String ASSESSMENT = "incident.assessment";
    /** Collections: the current version of each incident by id, and every version by its entry. */
    public static final String INCIDENTS = "incident";
    public static final String VERSIONS = "incident.version";
    public static final String OBSERVATIONS = "incident.observation";
    public static final String CLAIMS = "incident.claim";
    public static final String ASSESSMENTS = "incident.assessment";
    static final int MAX_WINDOW_DAYS = 366;

    /** ACLED's event types and the sub-event types of each. */
    public static final Map<String, List<String>> EVENT_TYPES = Map.of(
            "Battles", List.of("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
            "Explosions/Remote violence", List.of("Chemical weapon", "Air/drone strike", "Suicide bomb",
                    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
            "Violence against civilians", List.of("Sexual violence", "Attack", "Abduction/forced disappearance"),
            "Protests", List.of("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
            "Riots", List.of("Violent demonstration", "Mob violence"),
            "Strategic developments", List.of("Agreement", "Arrests", "Change to group/activity",
                    "Disrupted weapons use", "Headquarters or base established", "Looting/property destruction",
                    "Non-violent transfer of territory", "Other"));

    @Override
    public List<String> kinds() {
        return List.of(INCIDENT, OBSERVATION, CLAIM, ASSESSMENT);
    }

    /** The index key of documents about incident {@code id}. */
    public static String incidentKey(String id) {
        return "incident:" + id;
    }

    /** The index key of incidents whose time window touches the month of {@code t} (UTC). */
    public static String monthKey(Instant t) {
        return "month:" + YearMonth.from(t.atOffset(ZoneOffset.UTC));
    }

    /** The index key of incidents of an event or sub-event type. */
    public static String typeKey(String type) {
        return "type:" + slug(type);
    }

    /** The index key of incidents in a first-level administrative region. */
    public static String regionKey(String region) {
        return "region:" + region.strip().toLowerCase(Locale.ROOT);
    }

    /** The index key of documents that reference an evidence file. */
    public static String evidenceKey(String sha256) {
        return "evidence:" + sha256;
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        ActorRules.requireRegistered(state, e.header().author());
        return switch (e.header().kind()) {
            case INCIDENT -> incident(state, e);
            case OBSERVATION, CLAIM -> account(state, e);
            case ASSESSMENT -> assessment(state, e);
            default -> throw new IllegalArgumentException(e.header().kind());
        };
    }

    private List<Change> incident(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String id = b.get("id").textValue();
        String author = e.header().author();
        Optional<Doc> current = state.get(INCIDENTS, id);
        String supersedes = e.text("supersedes");
        int version = 1;
        if (current.isPresent()) {
            Doc c = current.get();
            if (supersedes == null) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/id: incident " + id
                        + " is already recorded; a new version names the current one in supersedes: " + c.body().get("entry").textValue());
            }
            if (!supersedes.equals(c.body().get("entry").textValue())) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/supersedes: the current version of " + id + " is "
                        + c.body().get("entry").textValue() + ", not " + supersedes);
            }
            if (!c.owner().equals(author)) {
                throw new EntryException(Rejection.NOT_ALLOWED, "incident " + id + " was recorded by " + c.owner()
                        + "; only it may revise it, others add claims, observations or assessments");
            }
            if (!c.visibility().equals(e.header().visibility())) {
                throw new EntryException(Rejection.RULE_VIOLATION, "a new version of " + id
                        + " keeps the visibility of the first, " + c.visibility().toJson());
            }
            version = c.body().get("version").intValue() + 1;
        } else if (supersedes != null) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/supersedes: there is no incident " + id + " to supersede");
        }
        Instant from = window(b.get("time"), "/time");
        Instant to = Instant.parse(b.get("time").get("to").textValue());
        String event = b.get("type").get("event").textValue();
        String sub = b.get("type").get("subEvent").textValue();
        JsonNode polygon = b.path("location").path("polygon");
        for (int i = 0; i < polygon.size(); i++) {
            JsonNode ring = polygon.get(i);
            if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
                throw new EntryException(Rejection.INCONSISTENT_BODY, "/location/polygon/" + i
                        + ": a ring ends where it starts (its last position repeats the first)");
            }
        }
        casualties(b.path("casualties"), "/casualties");
        for (JsonNode a : b.path("actors")) {
            ActorRules.requireActor(state, a.textValue(), "/actors");
        }
        for (JsonNode a : b.path("agreements")) {
            if (state.get("agreement", a.textValue()).isEmpty()) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/agreements: no agreement " + a.textValue());
            }
        }
        for (String[] link : new String[][] {{"sites", "notification.site"}, {"movements", "notification.movement"}}) {
            for (JsonNode n : b.path(link[0])) {
                Optional<Doc> d = state.get(link[1], n.textValue());
                if (d.isEmpty() || !(author.equals(org.truce.core.entry.PartyId.OPERATOR) || Reader.party(author).mayRead(d.get()))) {
                    throw new EntryException(Rejection.RULE_VIOLATION, "/" + link[0] + ": no " + link[1].substring(13) + " "
                            + n.textValue() + " is notified");
                }
            }
        }
        if (b.path("actors").size() > 16) {
            throw new EntryException(Rejection.SCHEMA_VIOLATION, "/actors: an incident links at most 16 actors");
        }
        List<String> keys = new ArrayList<>();
        keys.add("all");
        YearMonth m = YearMonth.from(from.atOffset(ZoneOffset.UTC));
        YearMonth last = YearMonth.from(to.atOffset(ZoneOffset.UTC));
        for (; !m.isAfter(last); m = m.plusMonths(1)) {
            keys.add("month:" + m);
        }
        keys.add(typeKey(event));
        keys.add(typeKey(sub));
        keys.add(regionKey(b.get("location").has("admin1") ? b.get("location").get("admin1").textValue() : "unknown"));
        keys.add("by:" + author);
        b.path("actors").forEach(a -> keys.add("actor:" + a.textValue()));
        if (b.path("sites").size() + b.path("movements").size() > 0) {
            keys.add("notified");
        }
        evidenceKeys(b, keys);
        b.put("version", version);
        e.stamp(b);
        Doc doc = new Doc(INCIDENTS, id, b, keys, e.header().visibility(), author, e.index());
        Doc ver = new Doc(VERSIONS, e.leafHash().base64(), b, List.of(incidentKey(id)), e.header().visibility(), author,
                e.index());
        return List.of(new Change.Put(doc), new Change.Put(ver));
    }

    /** An observation or a claim: kept under its entry; the same author's later one may supersede it. */
    private List<Change> account(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String collection = e.header().kind().equals(CLAIM) ? CLAIMS : OBSERVATIONS;
        String what = collection.equals(CLAIMS) ? "claim" : "observation";
        Doc incident = readableIncident(state, b.get("incident").textValue(), e.header().author());
        List<Change> changes = new ArrayList<>();
        String supersedes = e.text("supersedes");
        if (supersedes != null) {
            Doc old = state.get(collection, supersedes).orElseThrow(() -> new EntryException(Rejection.RULE_VIOLATION,
                    "/supersedes: no " + what + " was recorded by entry " + supersedes));
            if (!old.owner().equals(e.header().author()) || !old.body().get("incident").equals(b.get("incident"))) {
                throw new EntryException(Rejection.NOT_ALLOWED, "/supersedes: a " + what
                        + " may only supersede its own author's earlier " + what + " on the same incident");
            }
            if (old.body().has("supersededBy")) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/supersedes: that " + what + " was already superseded by "
                        + old.body().get("supersededBy").textValue());
            }
            ObjectNode ob = old.body();
            ob.put("supersededBy", e.leafHash().base64());
            changes.add(new Change.Put(new Doc(collection, old.id(), ob, old.keys(), old.visibility(), old.owner(), e.index())));
        }
        if (collection.equals(CLAIMS)) {
            claim(state, b, e.header().author());
        } else {
            window(b.get("time"), "/time");
        }
        List<String> keys = new ArrayList<>();
        keys.add(incidentKey(incident.id()));
        keys.add("by:" + e.header().author());
        evidenceKeys(b, keys);
        e.stamp(b);
        changes.add(new Change.Put(new Doc(collection, e.leafHash().base64(), b, keys, e.header().visibility(),
                e.header().author(), e.index())));
        return changes;
    }

    private static void claim(StateView state, ObjectNode b, String author) throws EntryException {
        String stance = b.get("stance").textValue();
        JsonNode perpetrator = b.get("perpetrator");
        if (stance.equals("alleges") && perpetrator == null) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/perpetrator: a claim that alleges names whom it alleges");
        }
        if (stance.equals("alternative") && !b.has("explanation")) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/explanation: an alternative account gives its explanation");
        }
        if (stance.equals("cannot-confirm") && perpetrator != null) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/perpetrator: a claim that cannot confirm names no perpetrator");
        }
        culprit(state, perpetrator, "/perpetrator");
        casualties(b.path("figures"), "/figures");
        if (author.equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "the operator records no claims; a claim is a party's account");
        }
    }

    private List<Change> assessment(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        boolean monitor = author.equals(PartyId.OPERATOR) || state.get(PartyRules.COLLECTION, author)
                .map(d -> roles(d.body()).contains("monitor")).orElse(false);
        if (!monitor) {
            throw new EntryException(Rejection.NOT_ALLOWED, author + " has not the monitor role; parties give their account as claims");
        }
        Doc incident = readableIncident(state, b.get("incident").textValue(), author);
        culprit(state, b.get("attribution"), "/attribution");
        List<Change> changes = new ArrayList<>();
        String revises = e.text("revises");
        if (revises != null) {
            Doc old = state.get(ASSESSMENTS, revises).orElseThrow(() -> new EntryException(Rejection.RULE_VIOLATION,
                    "/revises: no assessment was recorded by entry " + revises));
            if (!old.body().get("incident").equals(b.get("incident"))) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/revises: that assessment is of incident "
                        + old.body().get("incident").textValue());
            }
            ObjectNode ob = old.body();
            ob.withArray("revisedBy").add(e.leafHash().base64());
            changes.add(new Change.Put(new Doc(ASSESSMENTS, old.id(), ob, old.keys(), old.visibility(), old.owner(), e.index())));
        }
        List<String> keys = new ArrayList<>();
        keys.add(incidentKey(incident.id()));
        keys.add("by:" + author);
        evidenceKeys(b, keys);
        e.stamp(b);
        changes.add(new Change.Put(new Doc(ASSESSMENTS, e.leafHash().base64(), b, keys, e.header().visibility(), author,
                e.index())));
        return changes;
    }

    private static Doc readableIncident(StateView state, String id, String author) throws EntryException {
        Optional<Doc> d = state.get(INCIDENTS, id);
        if (d.isEmpty() || !(author.equals(PartyId.OPERATOR) || Reader.party(author).mayRead(d.get()))) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/incident: no incident " + id + " is recorded");
        }
        return d.get();
    }

    /** Checks a {from, to} window and returns its start. */
    private static Instant window(JsonNode w, String field) throws EntryException {
        Instant from = Instant.parse(w.get("from").textValue());
        Instant to = Instant.parse(w.get("to").textValue());
        if (to.isBefore(from)) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, field + "/to: the window ends before it starts");
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, field + ": a time window spans at most " + MAX_WINDOW_DAYS
                    + " days; give a coarser precision code instead");
        }
        return from;
    }

    private static void casualties(JsonNode c, String field) throws EntryException {
        for (String f : List.of("killed", "injured")) {
            JsonNode r = c.path(f);
            long low = r.path("low").asLong(Long.MIN_VALUE);
            long best = r.path("best").asLong(Long.MIN_VALUE);
            long high = r.path("high").asLong(Long.MAX_VALUE);
            if ((r.has("low") && r.has("best") && low > best) || (r.has("best") && best > high)
                    || (r.has("low") && low > high)) {
                throw new EntryException(Rejection.INCONSISTENT_BODY, field + "/" + f + ": low ≤ best ≤ high");
            }
        }
    }

    private static void culprit(StateView state, JsonNode c, String field) throws EntryException {
        if (c == null) {
            return;
        }
        if (c.has("actor")) {
            ActorRules.requireActor(state, c.get("actor").textValue(), field + "/actor");
        } else {
            ActorRules.requireParty(state, c.get("party").textValue(), field + "/party");
        }
    }

    private static void evidenceKeys(JsonNode b, List<String> keys) {
        for (JsonNode ev : b.path("evidence")) {
            String k = evidenceKey(ev.get("sha256").textValue());
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
    }

    private static List<String> roles(JsonNode party) {
        List<String> out = new ArrayList<>();
        party.path("roles").forEach(r -> out.add(r.textValue()));
        return out;
    }
}
