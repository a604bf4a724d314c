package org.truce.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the HTTP API: its method, its path template in Javalin's syntax ({@code {name}} for
 * one segment, {@code <name>} for the rest of the path), the query parameters it reads, and what it
 * may reveal. {@link #ALL} is the one table from which the server registers its handlers and
 * against which the OpenAPI document and the authorisation walk are checked, so a route cannot be
 * added without both knowing it.
 *
 * @param query the query parameters the handler reads
 * @param reads what the route can return: whether its answer depends on who asks
 */
public record Route(Method method, String path, List<String> query, Reads reads) {
    private static final Pattern PARAM = Pattern.compile("[{<]([a-zA-Z][a-zA-Z0-9]*)[}>]");

    /** The HTTP methods the API uses. */
    public enum Method { GET, POST }

    /** What a route may reveal. */
    public enum Reads {
        /** Only what is public to everyone: schemas, log tiles, proofs, health, metrics. */
        PUBLIC,
        /** Entry bodies or derived state, filtered by the reader's visibility. */
        FILTERED,
        /** A write or a login step: authenticated by a signature, reveals no other party's data. */
        SIGNED
    }

    public Route {
        query = List.copyOf(query);
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    /** The path parameters, in order. */
    public List<String> pathParams() {
        List<String> out = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The path in OpenAPI's syntax, where every parameter is written {@code {name}}. */
    public String openApiPath() {
        return PARAM.matcher(path).replaceAll("{$1}");
    }

    public static final Route SUBMIT = new Route(Method.POST, "/api/v1/entries", List.of(), Reads.SIGNED);
    public static final Route ENTRY = new Route(Method.GET, "/api/v1/entries/{index}", List.of(), Reads.FILTERED);
    public static final Route LOGIN_CHALLENGE = new Route(Method.POST, "/api/v1/login/challenge", List.of(), Reads.SIGNED);
    public static final Route LOGIN = new Route(Method.POST, "/api/v1/login", List.of(), Reads.SIGNED);
    public static final Route LOGOUT = new Route(Method.POST, "/api/v1/logout", List.of(), Reads.SIGNED);
    public static final Route INBOX = new Route(Method.GET, "/api/v1/hotline/{party}/inbox", List.of("after", "limit"),
            Reads.FILTERED);
    public static final Route OUTBOX = new Route(Method.GET, "/api/v1/hotline/{party}/outbox", List.of("after", "limit"),
            Reads.FILTERED);
    public static final Route MESSAGE = new Route(Method.GET, "/api/v1/hotline/message", List.of("id"), Reads.FILTERED);
    public static final Route AGREEMENTS = new Route(Method.GET, "/api/v1/agreements", List.of("at", "after", "limit"),
            Reads.FILTERED);
    public static final Route AGREEMENT = new Route(Method.GET, "/api/v1/agreements/{agreement}", List.of("at"),
            Reads.FILTERED);
    public static final Route AGREEMENT_TIMELINE = new Route(Method.GET, "/api/v1/agreements/{agreement}/timeline",
            List.of("at"), Reads.FILTERED);
    public static final Route OBLIGATIONS = new Route(Method.GET, "/api/v1/parties/{party}/obligations",
            List.of("at", "after", "limit"), Reads.FILTERED);
    public static final Route ACTORS = new Route(Method.GET, "/api/v1/actors", List.of("name", "after", "limit"),
            Reads.FILTERED);
    public static final Route ACTOR = new Route(Method.GET, "/api/v1/actors/{actor}", List.of("at"), Reads.FILTERED);
    public static final Route SUBMIT_BATCH = new Route(Method.POST, "/api/v1/entries/batch", List.of("dryRun"), Reads.SIGNED);
    public static final Route INCIDENTS = new Route(Method.GET, "/api/v1/incidents", with(Params.INCIDENT_FILTER, "after", "limit"),
            Reads.FILTERED);
    public static final Route INCIDENT = new Route(Method.GET, "/api/v1/incidents/{incident}", List.of("near"),
            Reads.FILTERED);
    public static final Route SITES = new Route(Method.GET, "/api/v1/notifications/sites", List.of("party", "unacknowledged"),
            Reads.FILTERED);
    public static final Route SITE = new Route(Method.GET, "/api/v1/notifications/sites/{site}", List.of("near"),
            Reads.FILTERED);
    public static final Route MOVEMENTS = new Route(Method.GET, "/api/v1/notifications/movements",
            List.of("party", "unacknowledged"), Reads.FILTERED);
    public static final Route MOVEMENT = new Route(Method.GET, "/api/v1/notifications/movements/{movement}",
            List.of("near"), Reads.FILTERED);
    public static final Route INCIDENT_CAP = new Route(Method.GET, "/api/v1/incidents/{incident}/cap", List.of(),
            Reads.FILTERED);
    public static final Route DECONFLICT = new Route(Method.POST, "/api/v1/deconflict", List.of(), Reads.SIGNED);
    public static final Route VOLUME = new Route(Method.GET, "/api/v1/volumes/{volume}", List.of(), Reads.FILTERED);
    public static final Route CONFLICTS = new Route(Method.GET, "/api/v1/parties/{party}/conflicts", List.of(), Reads.FILTERED);
    public static final Route AREAS = new Route(Method.GET, "/api/v1/areas", List.of("point", "radius", "at"), Reads.FILTERED);
    public static final Route EXPORT_CSV = new Route(Method.GET, "/api/v1/exports/incidents.csv", Params.INCIDENT_FILTER,
            Reads.FILTERED);
    public static final Route EXPORT_GEOJSON = new Route(Method.GET, "/api/v1/exports/incidents.geojson",
            Params.INCIDENT_FILTER, Reads.FILTERED);
    public static final Route DAILY_REPORT = new Route(Method.GET, "/api/v1/reports/daily",
            List.of("date", "region", "since", "format"),
            Reads.FILTERED);
    public static final Route EVIDENCE_UPLOAD = new Route(Method.POST, "/api/v1/evidence", List.of(), Reads.SIGNED);
    public static final Route EVIDENCE = new Route(Method.GET, "/api/v1/evidence/{sha256}", List.of(), Reads.FILTERED);
    public static final Route MAP = new Route(Method.GET, "/api/v1/map", List.of(), Reads.FILTERED);
    public static final Route TIMELINE = new Route(Method.GET, "/api/v1/timeline", WebApi.TIMELINE_QUERY, Reads.FILTERED);
    public static final Route SCHEMA = new Route(Method.GET, "/api/v1/schemas/{kind}", List.of(), Reads.PUBLIC);
    public static final Route KEY = new Route(Method.GET, "/api/v1/keys/{ref}", List.of(), Reads.PUBLIC);
    public static final Route OPENAPI = new Route(Method.GET, "/api/v1/openapi.json", List.of(), Reads.PUBLIC);
    public static final Route CHECKPOINT = new Route(Method.GET, "/log/checkpoint", List.of(), Reads.PUBLIC);
    public static final Route TILE = new Route(Method.GET, "/log/tile/<path>", List.of(), Reads.PUBLIC);
    public static final Route PROOF = new Route(Method.GET, "/log/proof/{index}", List.of(), Reads.PUBLIC);
    public static final Route HEALTH = new Route(Method.GET, "/healthz", List.of(), Reads.PUBLIC);
    public static final Route METRICS = new Route(Method.GET, "/metrics", List.of(), Reads.PUBLIC);

    /** Every route the server answers. */
    public static final List<Route> ALL = List.of(SUBMIT, ENTRY, LOGIN_CHALLENGE, LOGIN, INBOX, OUTBOX, MESSAGE,
            AGREEMENTS, AGREEMENT, AGREEMENT_TIMELINE, OBLIGATIONS, ACTORS, ACTOR, SUBMIT_BATCH, INCIDENTS, INCIDENT, INCIDENT_CAP, SITES, SITE, MOVEMENTS, MOVEMENT, DECONFLICT, VOLUME, CONFLICTS, AREAS,
            EXPORT_CSV, EXPORT_GEOJSON, DAILY_REPORT, EVIDENCE_UPLOAD, EVIDENCE, MAP, TIMELINE, SCHEMA, KEY, OPENAPI, CHECKPOINT, TILE,
            PROOF, HEALTH, METRICS,
            // Last, so that a walk of every route with one session ends it only after the others.
            LOGOUT);
}
