package org.truce.core.report;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders the daily incident report as a printable HTML page and as an SVG chart, in the manner of a
 * ceasefire monitoring mission's daily report: violations by region and by type on the day against the
 * previous day and cumulatively since the truce began, and each party's records and answers side by side.
 *
 * <p>The input is a report already computed and filtered for its reader, of this shape (counts are whole
 * numbers from 0 to 2^53 − 1; {@code region}, an incident's {@code to}, {@code region}, {@code place},
 * {@code event}, {@code subEvent}, {@code killed}, {@code injured}, {@code certainty} and a type's
 * {@code subEvent} may be null or absent):
 * <pre>{@code
 * {"date": "2016-09-19", "region": "Aleppo", "since": "2016-09-12",
 *  "log": {"size": 1234, "root": "<base64>"},
 *  "totals": {"day": 12, "previousDay": 7, "cumulative": 80},
 *  "byRegion": [{"region": "Aleppo", "day": 5, "previousDay": 2, "cumulative": 30}],
 *  "byType": [{"event": "...", "subEvent": "...", "day": 4, "previousDay": 1, "cumulative": 20}],
 *  "parties": [{"party": "ru", "name": "...",
 *               "day": {"recorded": 3, "alleges": 2, "denies": 1, "acknowledges": 0, "alternative": 0,
 *                       "cannotConfirm": 1},
 *               "cumulative": {...}}],
 *  "incidents": [{"id": "...", "title": "...", "from": "2016-09-19T17:00:00Z", "to": "...",
 *                 "region": "...", "place": "...", "event": "...", "subEvent": "...", "killed": 14,
 *                 "injured": null, "contested": true, "claims": 3, "certainty": "likely"}]}
 * }</pre>
 * Rows are shown in the order given, except that the chart shows the {@value ReportChart#TOP_TYPES} types
 * most frequent on the day and sums the rest. Every text from the report is escaped. The output depends
 * on the report alone, so the same report always gives the same bytes. Thread-safe: the methods keep no
 * state.
 */
public final class DailyReportView {
    private DailyReportView() {}

    /**
     * Draws the chart as a standalone SVG 1.1 document: per region and per type, the previous day's and
     * the day's counts as horizontal bars, or a statement that there were no incidents.
     *
     * @throws IllegalArgumentException if the report lacks a field of the shape above, or has one of the
     *     wrong type; the message names the field
     */
    public static String svg(ObjectNode report) {
        return ReportChart.document(Report.parse(report));
    }

    /**
     * Writes the report as a complete HTML5 page, with the chart inlined, that also parses as XML.
     *
     * @throws IllegalArgumentException if the report lacks a field of the shape above, or has one of the
     *     wrong type; the message names the field
     */
    public static String html(ObjectNode report) {
        return ReportPage.document(Report.parse(report));
    }
}
