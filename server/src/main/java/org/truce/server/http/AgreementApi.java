package org.truce.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.truce.core.access.Reader;
import org.truce.core.agreement.Agreements;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.PartyId;
import org.truce.core.party.PartyRules;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;

/**
 * The agreement routes: the agreements a reader may see, one agreement's status and timeline, and
 * what a party owes across them, each derived from the state at a moment ({@code ?at=}, by default
 * now) and filtered for the reader by {@link Agreements}. Thread-safe.
 */
final class AgreementApi {
    /**
     * The order steps are grouped in for a party: what needs doing first. Every status of
     * {@link Agreements.Status} appears once.
     */
    static final List<Agreements.Status> URGENCY = List.of(Agreements.Status.OVERDUE, Agreements.Status.DUE,
            Agreements.Status.BLOCKED, Agreements.Status.PENDING, Agreements.Status.PAUSED, Agreements.Status.DISPUTED,
            Agreements.Status.REPORTED, Agreements.Status.FULFILLED, Agreements.Status.WITHDRAWN);

    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    AgreementApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    /** {@code GET /api/v1/agreements}: a page of agreements, each with its terms in brief and its steps counted by status. */
    void list(Context ctx) {
        Instant at = Params.at(ctx, clock);
        String after = Params.after(ctx);
        int limit = Params.limit(ctx.queryParam("limit"));
        Reader reader = readers.apply(ctx);
        ObjectNode out = store.read(tx -> {
            Agreements views = new Agreements(tx);
            Params.Page page = Params.page(views.ids(reader, at), after, limit);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("asOf", EntryHeader.formatTime(at));
            ArrayNode list = o.putArray("agreements");
            for (String id : page.items()) {
                views.status(reader, id, at).ifPresent(s -> list.add(summary(s)));
            }
            if (page.next() != null) {
                o.put("next", page.next());
            }
            return o;
        });
        ApiServer.json(ctx, 200, out);
    }

    private static ObjectNode summary(ObjectNode status) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        for (String f : List.of("id", "title", "parties", "invited", "monitors", "effective", "timeZone")) {
            if (status.has(f)) {
                s.set(f, status.get(f));
            }
        }
        s.put("steps", status.get("steps").size());
        ObjectNode counts = s.putObject("statuses");
        URGENCY.forEach(st -> counts.put(st.label(), 0));
        status.get("steps").forEach(step -> {
            String label = step.get("status").textValue();
            counts.put(label, counts.get(label).asInt() + 1);
        });
        return s;
    }

    /** {@code GET /api/v1/agreements/{agreement}}: {@link Agreements#status}. */
    void status(Context ctx) {
        String id = Params.slug(ctx, "agreement");
        Instant at = Params.at(ctx, clock);
        Reader reader = readers.apply(ctx);
        ObjectNode out = store.read(tx -> new Agreements(tx).status(reader, id, at)).orElseThrow(() -> notFound(id, at));
        ApiServer.json(ctx, 200, out);
    }

    /** {@code GET /api/v1/agreements/{agreement}/timeline}: {@link Agreements#timeline}. */
    void timeline(Context ctx) {
        String id = Params.slug(ctx, "agreement");
        Instant at = Params.at(ctx, clock);
        Reader reader = readers.apply(ctx);
        ObjectNode out = store.read(tx -> new Agreements(tx).timeline(reader, id, at)).orElseThrow(() -> notFound(id, at));
        ApiServer.json(ctx, 200, out);
    }

    private static BadRequest notFound(String id, Instant at) {
        return new BadRequest(404, "not-found", "no such agreement", "agreement: no agreement " + id
                + " recorded by " + EntryHeader.formatTime(at) + " that you may read");
    }

    /**
     * {@code GET /api/v1/parties/{party}/obligations}: for each agreement that names or invites the
     * party, its standing and the steps it owes grouped by status, and the steps its unfinished
     * preconditions hold up.
     */
    void obligations(Context ctx) {
        String party = ctx.pathParam("party");
        if (!PartyId.isValid(party)) {
            throw new BadRequest(400, "bad-party", "not a party id", "party: '" + Params.truncate(party)
                    + "' is not a party id");
        }
        Instant at = Params.at(ctx, clock);
        String after = Params.after(ctx);
        int limit = Params.limit(ctx.queryParam("limit"));
        Reader reader = readers.apply(ctx);
        ObjectNode out = store.read(tx -> {
            if (tx.get(PartyRules.COLLECTION, party).filter(reader::mayRead).isEmpty()) {
                throw new BadRequest(404, "not-found", "no such party", "party: " + party + " is not a registered party");
            }
            Agreements views = new Agreements(tx);
            Params.Page page = Params.page(views.idsFor(reader, party, at), after, limit);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("party", party);
            o.put("asOf", EntryHeader.formatTime(at));
            ArrayNode list = o.putArray("agreements");
            for (String id : page.items()) {
                views.status(reader, id, at).ifPresent(s -> list.add(owed(s, party)));
            }
            if (page.next() != null) {
                o.put("next", page.next());
            }
            return o;
        });
        ApiServer.json(ctx, 200, out);
    }

    /** What {@code party} owes under one agreement, from the agreement's status. */
    private static ObjectNode owed(ObjectNode status, String party) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", status.get("id").textValue());
        o.put("title", status.get("title").textValue());
        JsonNode standing = status.path("obligations").path(party);
        o.put("standing", standing.path("standing").asText("invited"));
        if (standing.has("acceptedAt")) {
            o.set("acceptedAt", standing.get("acceptedAt"));
        }
        ObjectNode steps = o.putObject("steps");
        URGENCY.forEach(st -> steps.putArray(st.label()));
        for (JsonNode step : status.get("steps")) {
            if (contains(step.get("obligated"), party)) {
                ObjectNode s = step.deepCopy();
                String label = s.remove("status").textValue();
                ((ArrayNode) steps.get(label)).add(s);
            }
        }
        o.set("blocking", standing.path("blocking").isArray() ? standing.get("blocking")
                : JsonNodeFactory.instance.arrayNode());
        return o;
    }

    private static boolean contains(JsonNode array, String s) {
        for (JsonNode n : array) {
            if (n.textValue().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
