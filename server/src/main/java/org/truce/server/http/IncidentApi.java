package org.truce.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import org.truce.core.access.Reader;
import org.truce.core.agreement.Agreements;
import org.truce.core.incident.Acled;
import org.truce.core.incident.Cap;
import org.truce.core.state.Doc;
import org.truce.core.incident.DailyReport;
import org.truce.core.incident.GeoJson;
import org.truce.core.incident.IncidentFilter;
import org.truce.core.incident.Incidents;
import org.truce.core.report.DailyReportView;
import org.truce.core.state.StateView;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;

/**
 * The incident routes: filtered pages of incidents, one incident with every account side by side,
 * exports of what a filter selects (ACLED-format CSV), and the daily report. Everything passes the
 * visibility filter of {@link Incidents}, so a restricted record appears in no list, export or count
 * for a reader outside it. Thread-safe.
 */
final class IncidentApi {
    /** The most incidents one export holds. */
    static final int MAX_EXPORT = 200_000;

    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    IncidentApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    /** {@code GET /api/v1/incidents}: a page of incidents that match the filter, in id order. */
    void list(Context ctx) {
        IncidentFilter f = Params.incidentFilter(ctx);
        String after = Params.after(ctx);
        int limit = Params.limit(ctx.queryParam("limit"));
        Reader reader = readers.apply(ctx);
        Incidents.Page page = store.read(tx -> new Incidents(tx).find(reader, f, after, limit));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray("incidents").addAll(page.items());
        if (page.next() != null) {
            o.put("next", page.next());
        }
        ApiServer.json(ctx, 200, o);
    }

    /** {@code GET /api/v1/incidents/{incident}}: the incident, its accounts and its history. */
    void incident(Context ctx) {
        double near = Params.near(ctx);
        ObjectNode v = view(ctx);
        Reader reader = readers.apply(ctx);
        v.set("notifiedNear", store.read(tx -> new org.truce.core.notification.Proximity(tx).nearIncident(reader, v, near)));
        v.put("near", near);
        ApiServer.json(ctx, 200, v);
    }

    ObjectNode view(Context ctx) {
        String id = Params.slug(ctx, "incident");
        Reader reader = readers.apply(ctx);
        return store.read(tx -> new Incidents(tx).get(reader, id)).orElseThrow(() -> new BadRequest(404, "not-found",
                "no such incident", "incident: no incident " + id + " that you may read"));
    }

    /**
     * {@code GET /api/v1/incidents/{incident}/cap}: a CAP 1.2 alert for an incident that touches notified
     * sites or movements, sent by this log (its origin), an Update referring to the previous version's
     * alert when there is one, restricted in scope when the incident is.
     */
    void cap(Context ctx) {
        ObjectNode v = view(ctx);
        if (v.path("sites").isEmpty() && v.path("movements").isEmpty()) {
            throw new BadRequest(422, "not-notified", "no CAP alert for this incident", "incident " + v.get("id").asText()
                    + " touches no notified site or movement; CAP alerts are issued for those that do");
        }
        ObjectNode log = store.read(tx -> tx.get("log", "genesis")).map(Doc::body).orElseThrow(() -> new BadRequest(503,
                "no-genesis", "the log has no genesis", "the log has not been initialised"));
        ctx.status(200).contentType("application/cap+xml; charset=utf-8").header("Content-Disposition",
                "attachment; filename=\"" + Cap.identifier(v.get("id").asText(), v.get("version").asInt()) + ".xml\"")
                .result(Cap.alert(v, log.get("origin").asText(), log.get("name").asText()));
    }

    /** {@code GET /api/v1/exports/incidents.csv}: the matching incidents as ACLED-format CSV. */
    void csv(Context ctx) {
        List<ObjectNode> all = matching(ctx);
        ctx.contentType("text/csv; charset=utf-8; header=present")
                .header("Content-Disposition", "attachment; filename=\"incidents.csv\"");
        try (Writer w = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            Acled.write(w, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /api/v1/exports/incidents.geojson}: the matching incidents as an RFC 7946 FeatureCollection. */
    void geojson(Context ctx) {
        ctx.status(200).contentType("application/geo+json").header("Content-Disposition",
                "attachment; filename=\"incidents.geojson\"").result(GeoJson.featureCollection(matching(ctx)).toString());
    }

    /** Every incident the export's filter selects for the reader, bounded. */
    List<ObjectNode> matching(Context ctx) {
        IncidentFilter f = Params.incidentFilter(ctx);
        Reader reader = readers.apply(ctx);
        try {
            return store.read(tx -> new Incidents(tx).findAll(reader, f, MAX_EXPORT));
        } catch (IllegalStateException e) {
            throw new BadRequest(422, "export-too-large", "too many incidents", e.getMessage());
        }
    }

    /** {@code GET /api/v1/reports/daily}: the daily report as JSON, a printable HTML page or an SVG chart. */
    void daily(Context ctx) {
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("json");
        if (!List.of("json", "html", "svg").contains(format)) {
            throw new BadRequest(400, "bad-format", "not a report format", "format is json, html or svg");
        }
        ObjectNode report = report(ctx);
        switch (format) {
            case "html" -> ctx.contentType("text/html; charset=utf-8").header("Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'").result(DailyReportView.html(report));
            case "svg" -> ctx.contentType("image/svg+xml").header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                    .result(DailyReportView.svg(report));
            default -> ApiServer.json(ctx, 200, report);
        }
    }

    ObjectNode report(Context ctx) {
        LocalDate date = Params.date(ctx, "date", null);
        String region = Params.text(ctx, "region");
        LocalDate given = ctx.queryParam("since") == null ? null : Params.date(ctx, "since", null);
        Reader reader = readers.apply(ctx);
        try {
            return store.read(tx -> {
                LocalDate since = given != null ? given : entryIntoForce(tx, reader, date);
                return DailyReport.compute(tx, reader, date, region, since, checkpoint(tx));
            });
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "bad-period", "not a report period", e.getMessage());
        }
    }

    /**
     * The start of the cumulative count when none is given: the earliest entry into force, by the end
     * of the report's date, of the agreements the reader may see; the date itself if none.
     */
    private static LocalDate entryIntoForce(StateView tx, Reader reader, LocalDate date) {
        return new Agreements(tx).earliestEffective(reader, date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))
                .map(t -> t.atOffset(ZoneOffset.UTC).toLocalDate()).orElse(date);
    }

    /** The origin, size and root of the log's signed checkpoint, read with the log's own parsers. */
    private static ObjectNode checkpoint(org.truce.store.ReadTx tx) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        byte[] note = tx.read("checkpoint").orElse(null);
        if (note != null) {
            try {
                org.truce.tlog.checkpoint.Checkpoint c = org.truce.tlog.checkpoint.Checkpoint.parse(
                        org.truce.tlog.note.SignedNote.parse(note).text());
                o.put("origin", c.origin());
                o.put("size", c.size());
                o.put("root", c.root().base64());
            } catch (org.truce.tlog.FormatException e) {
                throw new IllegalStateException("the stored checkpoint does not parse: " + e.getMessage(), e);
            }
        }
        return o;
    }

}
