package org.truce.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.area.AreaRules;
import org.truce.core.area.Areas;
import org.truce.core.entry.PartyId;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.Footprints;
import org.truce.core.geo.Intersection;
import org.truce.core.incident.IncidentFilter;
import org.truce.core.incident.Incidents;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.notification.Notifications;
import org.truce.core.state.Doc;
import org.truce.core.volume.VolumeRules;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.ReadTx;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;

/**
 * The two reads the web interface needs beyond the other routes: everything with a place, for the
 * map and its time slider, and the timeline of every record across kinds. Both pass each document or
 * body through the reader's visibility, like every read. Thread-safe.
 */
final class WebApi {
    /** The most objects of one layer the map answers; beyond, the layer says it was cut. */
    static final int MAP_LAYER_MAX = 5_000;
    /** The most log entries one timeline request examines before answering with a cursor. */
    static final int TIMELINE_SCAN = 5_000;
    private static final Pattern KIND = Pattern.compile("[a-z]{1,24}(\\.[a-z]{1,24})?");
    private static final Pattern INDEX = Pattern.compile("[0-9]{1,15}");

    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    WebApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    // ---- the map ----

    /**
     * {@code GET /api/v1/map}: incidents, notified sites and movements, flight volumes, declared areas
     * and conflicts, each with the times that place it on a time slider (when it was recorded, and the
     * period it stood for), so the browser can show any moment without asking again.
     */
    void map(Context ctx) {
        Reader reader = readers.apply(ctx);
        ObjectNode out = store.read(tx -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("asOf", org.truce.core.entry.EntryHeader.formatTime(clock.instant()));
            ArrayNode incidents = o.putArray("incidents");
            Incidents.Page page = new Incidents(tx).find(reader, IncidentFilter.ALL, null, 500);
            boolean cut = false;
            while (true) {
                for (ObjectNode i : page.items()) {
                    if (incidents.size() >= MAP_LAYER_MAX) {
                        cut = true;
                        break;
                    }
                    incidents.add(incident(i));
                }
                if (cut || page.next() == null) {
                    break;
                }
                page = new Incidents(tx).find(reader, IncidentFilter.ALL, page.next(), 500);
            }
            o.put("incidentsCut", cut);
            Notifications n = new Notifications(tx, clock);
            o.putArray("sites").addAll(limit(n.list(reader, "site", null, false)));
            o.putArray("movements").addAll(limit(n.list(reader, "movement", null, false)));
            o.putArray("volumes").addAll(limit(readable(tx, VolumeRules.VOLUMES, reader).stream().map(Doc::body).toList()));
            o.putArray("areas").addAll(areas(readable(tx, AreaRules.AREAS, reader)));
            o.putArray("conflicts").addAll(limit(readable(tx, VolumeRules.CONFLICTS, reader).stream().map(Doc::body).toList()));
            return o;
        });
        ApiServer.json(ctx, 200, out);
    }

    private static List<Doc> readable(ReadTx tx, String collection, Reader reader) {
        List<Doc> out = new ArrayList<>();
        for (Doc d : tx.findAll(collection, "all", 100_000)) {
            if (reader.mayRead(d) && out.size() < MAP_LAYER_MAX) {
                out.add(d);
            }
        }
        return out;
    }

    private static List<ObjectNode> limit(List<ObjectNode> items) {
        return items.size() <= MAP_LAYER_MAX ? items : items.subList(0, MAP_LAYER_MAX);
    }

    /** What the map shows of an incident: where, when, what, whether contested, how many accounts. */
    private static ObjectNode incident(ObjectNode i) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String f : List.of("id", "title", "at", "by", "time", "type", "casualties", "contested", "visibility",
                "agreements", "sites", "movements")) {
            if (i.has(f)) {
                o.set(f, i.get(f));
            }
        }
        o.set("point", i.path("location").path("point"));
        o.put("place", i.path("location").path("place").asText(""));
        o.put("admin1", i.path("location").path("admin1").asText(""));
        o.put("claims", i.path("claims").size());
        return o;
    }

    /**
     * The declarations the reader may see, each with the periods in which another visible declaration
     * naming a different actor as controlling an area that meets it was in force at the same time.
     */
    private static List<ObjectNode> areas(List<Doc> docs) {
        List<ObjectNode> out = new ArrayList<>();
        List<Footprint> footprints = new ArrayList<>();
        for (Doc d : docs) {
            footprints.add(Footprints.stored(d.body().get("footprint")));
        }
        for (int i = 0; i < docs.size(); i++) {
            ObjectNode v = docs.get(i).body();
            ArrayNode disputes = v.putArray("disputes");
            if (v.path("claim").asText().equals("control")) {
                Instant[] p = Areas.period(v);
                for (int j = 0; j < docs.size(); j++) {
                    JsonNode w = docs.get(j).body();
                    if (i == j || !w.path("claim").asText().equals("control")
                            || w.path("actor").asText().equals(v.path("actor").asText())) {
                        continue;
                    }
                    Instant[] q = Areas.period(w);
                    Instant from = p[0].isAfter(q[0]) ? p[0] : q[0];
                    Instant to = p[1].isBefore(q[1]) ? p[1] : q[1];
                    if (from.isBefore(to) && Intersection.meets(footprints.get(i), footprints.get(j))) {
                        ObjectNode dispute = disputes.addObject().put("with", docs.get(j).id())
                                .put("actor", w.path("actor").asText()).put("from", from.toString());
                        if (!to.equals(Instant.MAX)) {
                            dispute.put("to", to.toString());
                        }
                    }
                }
            }
            out.add(v);
        }
        return out;
    }

    // ---- the timeline ----

    /** The query parameters of the timeline. */
    static final List<String> TIMELINE_QUERY = List.of("party", "kind", "agreement", "from", "to", "after", "limit");

    /**
     * {@code GET /api/v1/timeline}: the records the reader may read, in log order, each with its kind,
     * author, times and a one-line summary; filtered by party (the author or a party it names), kind
     * (a kind, or a noun for all its kinds) and agreement, and by the author's time. Records whose
     * bodies the reader may not read are left out; their signed headers stay in the public log.
     */
    void timeline(Context ctx) {
        String party = ctx.queryParam("party");
        if (party != null && !PartyId.isValid(party)) {
            throw new BadRequest(400, "bad-party", "not a party id", "party: '" + Params.truncate(party) + "' is not a party id");
        }
        String kind = ctx.queryParam("kind");
        if (kind != null && !KIND.matcher(kind).matches()) {
            throw new BadRequest(400, "bad-kind", "not a kind", "kind: '" + Params.truncate(kind)
                    + "' is not a kind such as incident.claim or a noun such as incident");
        }
        String agreement = ctx.queryParam("agreement");
        if (agreement != null && !agreement.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new BadRequest(400, "bad-agreement", "not an agreement id", "agreement: '" + Params.truncate(agreement)
                    + "' is not an agreement id: 1 to 64 lowercase letters, digits and hyphens");
        }
        Instant from = Params.time(ctx, "from");
        Instant to = Params.time(ctx, "to");
        if (from != null && to != null && !to.isAfter(from)) {
            throw new BadRequest(400, "bad-window", "not a time window", "to must be after from");
        }
        String after = ctx.queryParam("after");
        if (after != null && !INDEX.matcher(after).matches()) {
            throw new BadRequest(400, "bad-cursor", "not a cursor", "after: '" + Params.truncate(after)
                    + "' is not an entry index; give the next value of the previous page");
        }
        int limit = Params.limit(ctx.queryParam("limit"));
        Reader reader = readers.apply(ctx);
        long start = after == null ? 0 : Long.parseLong(after) + 1;
        ObjectNode out = store.read(tx -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode items = o.putArray("records");
            long size = tx.size();
            long i = start;
            long scanned = 0;
            for (; i < size && items.size() < limit && scanned < TIMELINE_SCAN; i++, scanned++) {
                Optional<StoredBody> b = tx.body(i).filter(x -> reader.mayRead(x.visibility(), x.author()));
                if (b.isEmpty()) {
                    continue;
                }
                StoredEntry e = tx.entry(i).orElseThrow();
                JsonNode header = parse(e.leaf()).path("entry");
                JsonNode body = parse(b.get().canonicalBody());
                Instant at = Instant.parse(header.path("at").asText());
                if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to))
                        || (kind != null && !(e.kind().equals(kind) || e.kind().startsWith(kind + ".")))
                        || (party != null && !names(e.author(), body, party))
                        || (agreement != null && !about(e.kind(), body, agreement))) {
                    continue;
                }
                items.add(record(e, header, body));
            }
            if (i < size) {
                o.put("next", Long.toString(i - 1));
            }
            return o;
        });
        ApiServer.json(ctx, 200, out);
    }

    private static ObjectNode record(StoredEntry e, JsonNode header, JsonNode body) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("index", e.index());
        r.put("leafHash", e.leafHash().base64());
        r.put("kind", e.kind());
        r.put("author", e.author());
        r.put("at", header.path("at").asText());
        r.put("received", e.received().toString());
        r.set("visibility", header.path("visibility"));
        String subject = first(body, "id", "incident", "agreement", "site", "movement", "message", "volume", "actor");
        if (subject != null) {
            r.put("subject", subject);
        }
        if (body.has("step")) {
            r.put("step", body.path("step").asText());
        }
        String summary = first(body, "title", "subject", "name", "statement", "finding", "narrative", "reason", "reasons",
                "text", "purpose", "note");
        r.put("summary", summary == null ? "" : summary.length() > 240 ? summary.substring(0, 240) + "…" : summary);
        return r;
    }

    private static @Nullable String first(JsonNode body, String... fields) {
        for (String f : fields) {
            JsonNode v = body.get(f);
            if (v != null && v.isTextual() && !v.textValue().isBlank()) {
                return v.textValue();
            }
        }
        return null;
    }

    /** Whether a record is by {@code party} or names it as a recipient, a party, or one who must acknowledge. */
    private static boolean names(String author, JsonNode body, String party) {
        if (author.equals(party) || body.path("perpetrator").path("party").asText("").equals(party)) {
            return true;
        }
        for (String f : List.of("to", "acknowledge", "parties", "invited")) {
            for (JsonNode p : body.path(f)) {
                if (p.asText("").equals(party)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a record is about an agreement: the agreement itself, or a record that names it. */
    private static boolean about(String kind, JsonNode body, String agreement) {
        if (kind.equals("agreement")) {
            return body.path("id").asText("").equals(agreement);
        }
        if (body.path("agreement").asText("").equals(agreement)) {
            return true;
        }
        for (JsonNode a : body.path("agreements")) {
            if (a.asText("").equals(agreement)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.parse(json);
        } catch (InvalidJsonException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getMessage(), e);
        }
    }
}
