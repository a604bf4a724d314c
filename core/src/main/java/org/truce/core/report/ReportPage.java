package org.truce.core.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the report as one standalone HTML5 page in its XML-compatible form, so that XML tools can read
 * it too: a header naming the log checkpoint, the totals, the chart, tables by region, type and party,
 * and the day's incidents.
 */
final class ReportPage {
    /** The statement that the page's figures are counts, not findings. */
    static final String CAVEAT = "Figures are counts of records and of the parties' claims in the log, "
            + "not established facts.";

    /*
     * Colours: text #111 on #fff (18.9:1) and on the #eee header cells (16.3:1), links #0645ad on #fff
     * (8.5:1); all above the 4.5:1 of WCAG 2 AA. Print drops backgrounds and keeps borders.
     */
    private static final String CSS = """
            body{font-family:Helvetica,Arial,sans-serif;color:#111;background:#fff;line-height:1.4;\
            max-width:60rem;margin:1rem auto;padding:0 1rem}
            h1{font-size:1.5rem;margin:0 0 .5rem}
            h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
            a{color:#0645ad}
            dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
            dl.meta dt{font-weight:bold}
            dl.meta dd{margin:0}
            code{font-size:.9em;word-break:break-all}
            table{border-collapse:collapse;margin:.5rem 0 1rem}
            caption{text-align:left;font-weight:bold;padding:.25rem 0}
            th,td{border:1px solid #767676;padding:.2rem .5rem;vertical-align:top}
            thead th{background:#eee}
            th[scope=row]{text-align:left;font-weight:normal}
            .n{text-align:right;font-variant-numeric:tabular-nums}
            td.n{white-space:nowrap}
            .table-wrap{overflow-x:auto}
            figure{margin:0}
            figure svg{max-width:100%;height:auto}
            ol.incidents{padding-left:1.5rem}
            ol.incidents li{margin-bottom:.75rem}
            .incident-title{font-weight:bold;margin:0}
            .facts{margin:0}
            .contested-mark{font-weight:bold;border:1px solid #111;padding:0 .3rem;margin-left:.4rem}
            .caveat{border-top:1px solid #767676;margin-top:2rem;padding-top:.5rem}
            @media print{
            @page{margin:15mm}
            body{max-width:none;margin:0;padding:0;font-size:10pt}
            .table-wrap{overflow:visible}
            table{font-size:9pt}
            th,td{padding:.1rem .3rem}
            a{color:#111}
            thead th{background:none}
            thead{display:table-header-group}
            tr,li,figure,dl.meta{break-inside:avoid;page-break-inside:avoid}
            h2,caption{break-after:avoid;page-break-after:avoid}
            ol.incidents a[href]::after{content:" (" attr(href) ")";font-weight:normal}
            }
            """;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final String[] STANCES = {"Recorded", "Alleges", "Denies", "Acknowledges",
        "Alternative explanation", "Cannot confirm"};

    private ReportPage() {}

    /** The page's title and heading: "Daily report", the date, and the region if the report is limited to one. */
    static String title(Report r) {
        return "Daily report " + r.date() + (r.region() == null ? "" : " — " + r.region());
    }

    /** Writes the whole page, from the doctype to the closing {@code </html>}. */
    static String document(Report r) {
        Markup m = Markup.html();
        m.trusted("<!DOCTYPE html>").newline();
        m.start("html", "xmlns", "http://www.w3.org/1999/xhtml", "lang", "en", "xml:lang", "en").newline();
        m.start("head").newline();
        m.empty("meta", "charset", "utf-8").newline();
        m.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1").newline();
        m.element("title", title(r)).newline();
        m.start("style").trusted("\n" + CSS).end().newline();
        m.end().newline();
        m.start("body").newline();
        header(m, r);
        m.start("main").newline();
        totals(m, r);
        chart(m, r);
        regions(m, r);
        types(m, r);
        parties(m, r);
        incidents(m, r);
        m.end().newline();
        m.start("footer").newline();
        m.element("p", CAVEAT, "class", "caveat", "id", "caveat").newline();
        m.end().newline();
        m.end().newline();
        m.end().newline();
        return m.toString();
    }

    private static void header(Markup m, Report r) {
        m.start("header").newline();
        m.element("h1", title(r)).newline();
        m.start("dl", "class", "meta").newline();
        m.element("dt", "Date").element("dd", r.date() + " (UTC)").newline();
        m.element("dt", "Region").element("dd", r.region() == null ? "All regions" : r.region()).newline();
        m.element("dt", "Cumulative since").element("dd", r.since() + ", the truce's entry into force").newline();
        m.element("dt", "Computed from").start("dd", "class", "checkpoint")
                .text("the log checkpoint of size " + Figures.count(r.logSize()) + ", root ")
                .element("code", r.logRoot()).end().newline();
        m.end().newline();
        m.end().newline();
    }

    private static void totals(Markup m, Report r) {
        section(m, "totals", "Totals");
        table(m, "totals-table", "Violations recorded " + (r.region() == null ? "in all regions" : "in " + r.region()));
        countsHead(m, r, "Scope");
        m.start("tbody").newline();
        countsRow(m, r.region() == null ? "All regions" : r.region(), r.totals());
        m.end().newline();
        endTable(m);
        m.end().newline();
    }

    private static void chart(Markup m, Report r) {
        section(m, "chart", "Previous day and the day");
        m.start("figure").newline();
        m.trusted(ReportChart.element(r)).newline();
        if (!ReportChart.isEmpty(r)) {
            m.element("figcaption", "Violations by region and by type on " + r.previousDay() + " (hatched) and "
                    + r.date() + " (solid). The tables below give the same figures.").newline();
        }
        m.end().newline();
        m.end().newline();
    }

    private static void regions(Markup m, Report r) {
        section(m, "by-region", "By region");
        if (r.byRegion().isEmpty()) {
            m.element("p", "No violations recorded by region in this period.", "class", "empty").newline();
        } else {
            table(m, "region-table", "Violations by region, most on the day first");
            countsHead(m, r, "Region");
            m.start("tbody").newline();
            for (Report.RegionRow row : r.byRegion()) {
                countsRow(m, row.region(), row.counts());
            }
            m.end().newline();
            endTable(m);
        }
        m.end().newline();
    }

    private static void types(Markup m, Report r) {
        section(m, "by-type", "By type");
        if (r.byType().isEmpty()) {
            m.element("p", "No violations recorded by type in this period.", "class", "empty").newline();
        } else {
            table(m, "type-table", "Violations by event and sub-event type");
            m.start("thead").start("tr");
            m.element("th", "Event", "scope", "col");
            countsHeadCells(m, r, "Sub-event");
            m.end().end().newline();
            m.start("tbody").newline();
            for (Report.TypeRow row : r.byType()) {
                m.start("tr").element("td", row.event());
                countsCells(m, row.subEvent() == null ? "—" : row.subEvent(), row.counts());
                m.end().newline();
            }
            m.end().newline();
            endTable(m);
        }
        m.end().newline();
    }

    private static void parties(Markup m, Report r) {
        section(m, "parties", "Parties' records and answers");
        m.element("p", "For each party: the incidents it recorded, and its claims on incidents by stance: "
                + "it alleges the violation, denies it, acknowledges it, gives an alternative explanation, "
                + "or cannot confirm it.").newline();
        if (r.parties().isEmpty()) {
            m.element("p", "No party's records or claims in this report.", "class", "empty").newline();
            m.end().newline();
            return;
        }
        table(m, "party-table", "Each party's counts on the day and cumulatively, side by side");
        m.empty("colgroup", "span", "1").empty("colgroup", "span", "6").empty("colgroup", "span", "6").newline();
        m.start("thead").start("tr");
        m.element("th", "Party", "scope", "col", "rowspan", "2");
        m.element("th", "On " + r.date(), "scope", "colgroup", "colspan", "6");
        m.element("th", "Cumulative since " + r.since(), "scope", "colgroup", "colspan", "6");
        m.end().newline().start("tr");
        for (int i = 0; i < 2; i++) {
            for (String s : STANCES) {
                m.element("th", s, "scope", "col", "class", "n");
            }
        }
        m.end().end().newline();
        m.start("tbody").newline();
        for (Report.PartyRow p : r.parties()) {
            m.start("tr").start("th", "scope", "row").text(p.name() + " (" + p.party() + ")").end();
            stanceCells(m, p.day());
            stanceCells(m, p.cumulative());
            m.end().newline();
        }
        m.end().newline();
        endTable(m);
        m.end().newline();
    }

    private static void incidents(Markup m, Report r) {
        section(m, "incidents", "Incidents on " + r.date());
        if (r.incidents().isEmpty()) {
            m.element("p", "No incidents recorded on " + r.date() + ".", "class", "empty").newline();
            m.end().newline();
            return;
        }
        long contested = r.incidents().stream().filter(Report.Incident::contested).count();
        m.element("p", r.incidents().size() + (r.incidents().size() == 1 ? " incident" : " incidents")
                + ", of which " + contested + " contested: the parties' claims on it disagree.").newline();
        m.start("ol", "class", "incidents").newline();
        for (Report.Incident i : r.incidents()) {
            m.start("li", "class", i.contested() ? "incident contested" : "incident");
            m.start("p", "class", "incident-title")
                    .element("a", i.title(), "href", "/incidents/" + pathSegment(i.id()));
            if (i.contested()) {
                m.element("span", "Contested", "class", "contested-mark");
            }
            m.end();
            m.element("p", facts(r, i), "class", "facts");
            m.end().newline();
        }
        m.end().newline();
        m.end().newline();
    }

    /** The incident's time, place, type, casualties, claims and certainty in one line. */
    private static String facts(Report r, Report.Incident i) {
        List<String> parts = new ArrayList<>();
        parts.add(time(r, i.from()) + (i.to() == null ? "" : "–" + time(r, i.to())) + " UTC");
        String where = join(", ", i.place(), i.region());
        if (!where.isEmpty()) {
            parts.add(where);
        }
        String what = join(": ", i.event(), i.subEvent());
        if (!what.isEmpty()) {
            parts.add(what);
        }
        parts.add("killed " + casualties(i.killed()) + ", injured " + casualties(i.injured()));
        parts.add(i.claims() + (i.claims() == 1 ? " claim" : " claims"));
        parts.add("certainty " + (i.certainty() == null ? "not assessed" : i.certainty()));
        return String.join("; ", parts);
    }

    private static String casualties(@Nullable Long n) {
        return n == null ? "not reported" : Figures.count(n);
    }

    private static String join(String separator, @Nullable String a, @Nullable String b) {
        if (a == null) {
            return b == null ? "" : b;
        }
        return b == null ? a : a + separator + b;
    }

    /** A time of the reported day as hours and minutes, other instants with their date; other text as given. */
    private static String time(Report r, String instant) {
        try {
            Instant t = Instant.parse(instant);
            return t.atOffset(ZoneOffset.UTC).toLocalDate().equals(r.date()) ? TIME.format(t) : DATE_TIME.format(t);
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, so an id stays one path segment. */
    static String pathSegment(String id) {
        StringBuilder out = new StringBuilder(id.length());
        HexFormat hex = HexFormat.of().withUpperCase();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '~'
                    || (c == '.' && !id.chars().allMatch(x -> x == '.')))) {
                out.append(c);
            } else {
                out.append('%').append(hex.toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** Opens a table and its caption, inside a box that scrolls sideways on narrow screens. */
    private static void table(Markup m, String id, String caption) {
        m.start("div", "class", "table-wrap").start("table", "id", id).newline();
        m.element("caption", caption).newline();
    }

    private static void endTable(Markup m) {
        m.end().end().newline();
    }

    private static void section(Markup m, String id, String heading) {
        m.start("section", "id", id, "aria-labelledby", id + "-h").newline();
        m.element("h2", heading, "id", id + "-h").newline();
    }

    private static void countsHead(Markup m, Report r, String first) {
        m.start("thead").start("tr");
        countsHeadCells(m, r, first);
        m.end().end().newline();
    }

    private static void countsHeadCells(Markup m, Report r, String first) {
        m.element("th", first, "scope", "col");
        m.element("th", "Day, " + r.date(), "scope", "col", "class", "n");
        m.element("th", "Previous day, " + r.previousDay(), "scope", "col", "class", "n");
        m.element("th", "Change", "scope", "col", "class", "n");
        m.element("th", "Cumulative since " + r.since(), "scope", "col", "class", "n");
    }

    private static void countsRow(Markup m, String name, Report.Counts c) {
        m.start("tr");
        countsCells(m, name, c);
        m.end().newline();
    }

    private static void countsCells(Markup m, String name, Report.Counts c) {
        m.element("th", name, "scope", "row");
        m.element("td", Figures.count(c.day()), "class", "n");
        m.element("td", Figures.count(c.previousDay()), "class", "n");
        m.element("td", Figures.change(c.change()), "class", "n");
        m.element("td", Figures.count(c.cumulative()), "class", "n");
    }

    private static void stanceCells(Markup m, Report.Stances s) {
        for (long n : new long[] {s.recorded(), s.alleges(), s.denies(), s.acknowledges(), s.alternative(),
            s.cannotConfirm()}) {
            m.element("td", Figures.count(n), "class", "n");
        }
    }
}
