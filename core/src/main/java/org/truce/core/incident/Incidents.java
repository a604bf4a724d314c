package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.actor.ActorRules;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Read views of incidents: one incident with its current observations, claims and assessments and
 * the history of every entry about it, and filtered pages of incidents. Everything returned has passed
 * the visibility filter for the reader, including what decides whether an incident is contested: a
 * claim the reader may not see neither shows nor counts.
 */
public final class Incidents {
    /** The most accounts of one kind loaded for one incident. */
    static final int MAX_ACCOUNTS = 10_000;
    /** The most candidate incidents one page examines before it returns with a cursor. */
    static final int SCAN_BUDGET = 5_000;
    /** The widest event-time window a filter spreads over month keys; wider ones scan everything. */
    static final int MAX_FILTER_MONTHS = 36;

    private final StateView state;

    public Incidents(StateView state) {
        this.state = state;
    }

    /** A page of incidents and the cursor after its last examined incident, or null at the end. */
    public record Page(List<ObjectNode> items, @Nullable String next) {}

    /** The incident as the reader may see it: its current version with its accounts and history. */
    public Optional<ObjectNode> get(Reader reader, String id) {
        return state.get(IncidentRules.INCIDENTS, id).filter(reader::mayRead).map(d -> view(reader, d, true));
    }

    /**
     * Incidents that match the filter, in id order, after {@code after} (exclusive), at most
     * {@code limit}. A page may hold fewer than {@code limit} with a cursor when it examined
     * {@value #SCAN_BUDGET} candidates; continue from the cursor.
     */
    public Page find(Reader reader, IncidentFilter f, @Nullable String after, int limit) {
        List<String> keys = scanKeys(f);
        Scan scan = new Scan(state, keys, after);
        List<ObjectNode> out = new ArrayList<>();
        int examined = 0;
        Doc d;
        while ((d = scan.next()) != null) {
            examined++;
            if (reader.mayRead(d) && f.matchesIncident(d.body())) {
                ObjectNode v = view(reader, d, false);
                if (f.matchesAccounts(v)) {
                    out.add(v);
                    if (out.size() == limit) {
                        return new Page(out, scan.hasMore() ? d.id() : null);
                    }
                }
            }
            if (examined >= SCAN_BUDGET && scan.hasMore()) {
                return new Page(out, d.id());
            }
        }
        return new Page(out, null);
    }

    /** Every incident that matches, paging through {@link #find}; callers bound the result. */
    public List<ObjectNode> findAll(Reader reader, IncidentFilter f, int max) {
        List<ObjectNode> out = new ArrayList<>();
        String cursor = null;
        do {
            Page p = find(reader, f, cursor, 500);
            out.addAll(p.items());
            if (out.size() > max) {
                throw new IllegalStateException("more than " + max + " incidents match; narrow the filter");
            }
            cursor = p.next();
        } while (cursor != null);
        return out;
    }

    /** The index keys whose union holds every incident the filter can match; the narrowest found. */
    static List<String> scanKeys(IncidentFilter f) {
        if (f.from() != null && f.to() != null) {
            YearMonth m = YearMonth.from(f.from().atOffset(ZoneOffset.UTC));
            YearMonth last = YearMonth.from(f.to().atOffset(ZoneOffset.UTC));
            if (!m.plusMonths(MAX_FILTER_MONTHS).isBefore(last)) {
                List<String> keys = new ArrayList<>();
                for (; !m.isAfter(last); m = m.plusMonths(1)) {
                    keys.add("month:" + m);
                }
                return keys;
            }
        }
        if (f.type() != null) {
            return List.of(IncidentRules.typeKey(f.type()));
        }
        if (f.actor() != null) {
            return List.of("actor:" + f.actor());
        }
        if (f.region() != null) {
            return List.of(IncidentRules.regionKey(f.region()));
        }
        if (f.notified()) {
            return List.of("notified");
        }
        return List.of("all");
    }

    private ObjectNode view(Reader reader, Doc d, boolean full) {
        ObjectNode v = d.body();
        String id = d.id();
        List<Doc> claims = accounts(reader, IncidentRules.CLAIMS, id);
        List<Doc> observations = accounts(reader, IncidentRules.OBSERVATIONS, id);
        List<Doc> assessments = accounts(reader, IncidentRules.ASSESSMENTS, id);
        ArrayNode c = v.putArray("claims");
        claims.stream().filter(x -> !x.body().has("supersededBy")).forEach(x -> c.add(x.body()));
        ArrayNode o = v.putArray("observations");
        observations.stream().filter(x -> !x.body().has("supersededBy")).forEach(x -> o.add(x.body()));
        ArrayNode a = v.putArray("assessments");
        assessments.forEach(x -> a.add(x.body()));
        v.put("contested", contested(c));
        v.set("visibility", d.visibility().toJson());
        if (full) {
            List<Doc> versions = accounts(reader, IncidentRules.VERSIONS, id);
            ArrayNode vs = v.putArray("versions");
            versions.forEach(x -> vs.add(x.body()));
            List<Doc> all = new ArrayList<>(versions);
            all.addAll(claims);
            all.addAll(observations);
            all.addAll(assessments);
            all.sort(Comparator.comparingLong((Doc x) -> x.body().get("index").longValue()));
            ArrayNode h = v.putArray("history");
            for (Doc x : all) {
                ObjectNode e = h.addObject();
                e.put("kind", x.collection().equals(IncidentRules.VERSIONS) ? IncidentRules.INCIDENT : x.collection());
                for (String f : List.of("entry", "index", "by", "at", "version", "stance", "certainty", "supersedes",
                        "supersededBy", "revises")) {
                    if (x.body().has(f)) {
                        e.set(f, x.body().get(f));
                    }
                }
            }
        }
        return v;
    }

    /** The accounts of one kind about an incident that the reader may see, in log order. */
    private List<Doc> accounts(Reader reader, String collection, String id) {
        List<Doc> out = new ArrayList<>();
        for (Doc x : state.findAll(collection, IncidentRules.incidentKey(id), MAX_ACCOUNTS)) {
            if (reader.mayRead(x)) {
                out.add(x);
            }
        }
        out.sort(Comparator.comparingLong((Doc x) -> x.body().get("index").longValue()));
        return out;
    }

    /**
     * Whether the claims disagree: two name different perpetrators, one names a perpetrator that
     * another denies, or one gives another explanation while another names a perpetrator. An actor
     * affiliated with a party counts as that party. "Cannot confirm" disagrees with nothing.
     */
    boolean contested(JsonNode claims) {
        Set<String> blamed = new HashSet<>();
        Set<String> denied = new HashSet<>();
        boolean alternative = false;
        for (JsonNode c : claims) {
            String stance = c.get("stance").textValue();
            String who = c.has("perpetrator") ? culprit(c.get("perpetrator")) : "party:" + c.get("by").textValue();
            switch (stance) {
                case "alleges", "acknowledges" -> blamed.add(who);
                case "denies" -> denied.add(who);
                case "alternative" -> alternative = true;
                default -> { }
            }
        }
        return blamed.size() > 1 || (alternative && !blamed.isEmpty()) || blamed.stream().anyMatch(denied::contains);
    }

    private String culprit(JsonNode p) {
        if (p.has("party")) {
            return "party:" + p.get("party").textValue();
        }
        String actor = p.get("actor").textValue();
        return state.get(ActorRules.ACTORS, actor).map(Doc::body)
                .filter(b -> b.path("affiliation").has("party"))
                .map(b -> "party:" + b.get("affiliation").get("party").textValue())
                .orElse("actor:" + actor);
    }

    /** Documents under any of several keys, merged in id order without repeats, paged lazily. */
    static final class Scan {
        private static final int PAGE = 200;
        private final StateView state;
        private final List<Source> sources = new ArrayList<>();

        private final class Source {
            final String key;
            @Nullable String cursor;
            List<Doc> buffer = List.of();
            int pos;
            boolean exhausted;

            Source(String key, @Nullable String cursor) {
                this.key = key;
                this.cursor = cursor;
            }

            @Nullable Doc peek() {
                if (pos == buffer.size() && !exhausted) {
                    buffer = state.find(IncidentRules.INCIDENTS, key, cursor, PAGE);
                    pos = 0;
                    exhausted = buffer.size() < PAGE;
                    if (!buffer.isEmpty()) {
                        cursor = buffer.get(buffer.size() - 1).id();
                    }
                }
                return pos < buffer.size() ? buffer.get(pos) : null;
            }
        }

        Scan(StateView state, List<String> keys, @Nullable String after) {
            this.state = state;
            keys.forEach(k -> sources.add(new Source(k, after)));
        }

        @Nullable Doc next() {
            Doc best = null;
            for (Source s : sources) {
                Doc d = s.peek();
                if (d != null && (best == null || d.id().compareTo(best.id()) < 0)) {
                    best = d;
                }
            }
            if (best == null) {
                return null;
            }
            for (Source s : sources) {
                Doc d = s.peek();
                if (d != null && d.id().equals(best.id())) {
                    s.pos++;
                }
            }
            return best;
        }

        boolean hasMore() {
            return sources.stream().anyMatch(s -> s.peek() != null);
        }
    }
}
