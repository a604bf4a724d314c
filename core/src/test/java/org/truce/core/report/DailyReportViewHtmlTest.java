package org.truce.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.report.Reports.array;
import static org.truce.core.report.Reports.one;
import static org.truce.core.report.Reports.select;
import static org.truce.core.report.Reports.shown;
import static org.truce.core.report.Reports.xml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DailyReportViewHtmlTest {
    private static Document html(ObjectNode report) {
        return xml(DailyReportView.html(report));
    }

    /** The displayed text of each cell, header or data, of each body row of a table. */
    private static List<List<String>> rows(Document d, String tableId) {
        return select(d, "//table[@id='" + tableId + "']/tbody/tr").stream()
                .map(tr -> shown(select(tr, "th|td"))).toList();
    }

    // ---- document ----

    @Test
    void html_sampleReport_isStandaloneHtml5() {
        String html = DailyReportView.html(Reports.sample());
        Document d = xml(html);
        Element root = d.getDocumentElement();

        assertThat(html).startsWith("<!DOCTYPE html>\n<html ");
        assertThat(root.getTagName()).isEqualTo("html");
        assertThat(root.getAttribute("lang")).isEqualTo("en");
        assertThat(one(d, "/html/head/meta[@charset]").getAttribute("charset")).isEqualTo("utf-8");
        assertThat(one(d, "/html/head/meta[@name='viewport']").getAttribute("content"))
                .isEqualTo("width=device-width, initial-scale=1");
        assertThat(one(d, "/html/head/title").getTextContent()).isEqualTo("Daily report 2016-09-19");
        assertThat(select(d, "//link[@rel='stylesheet'] | //script | //img")).isEmpty();
        assertThat(one(d, "/html/head/style").getTextContent()).contains("@media print");
    }

    @Test
    void html_sameReport_givesSameBytes() {
        assertThat(DailyReportView.html(Reports.sample())).isEqualTo(DailyReportView.html(Reports.sample()));
    }

    @Test
    void html_regionReport_titleAndHeadingNameTheRegion() {
        ObjectNode r = Reports.sample();
        r.put("region", "Aleppo");
        Document d = html(r);

        assertThat(one(d, "/html/head/title").getTextContent()).isEqualTo("Daily report 2016-09-19 — Aleppo");
        assertThat(shown(select(d, "//h1"))).containsExactly("Daily report 2016-09-19 — Aleppo");
    }

    @Test
    void html_header_statesDateRegionSinceAndCheckpoint() {
        Document d = html(Reports.sample());

        assertThat(shown(select(d, "//header/dl/dt")))
                .containsExactly("Date", "Region", "Cumulative since", "Computed from");
        assertThat(shown(select(d, "//header/dl/dd"))).containsExactly("2016-09-19 (UTC)", "All regions",
                "2016-09-12, the truce's entry into force",
                "the log checkpoint of size 1,234, root q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=");
    }

    @Test
    void html_accessibility_oneH1CaptionsAndScopedHeaders() {
        Document d = html(Reports.sample());

        assertThat(select(d, "//h1")).hasSize(1);
        List<Element> tables = select(d, "//table");
        assertThat(tables).hasSize(4).allSatisfy(t -> assertThat(select(t, "caption")).hasSize(1));
        assertThat(select(d, "//th")).isNotEmpty()
                .allSatisfy(th -> assertThat(th.getAttribute("scope")).isIn("col", "row", "colgroup"));
        assertThat(select(d, "//section")).allSatisfy(s -> assertThat(one(s, "h2").getAttribute("id"))
                .isEqualTo(s.getAttribute("aria-labelledby")));
    }

    @Test
    void html_stylesheet_everyTextColourHasContrastOfAtLeast4point5OnEveryBackground() {
        String css = one(html(Reports.sample()), "/html/head/style").getTextContent();
        List<String> text = hexColours(css, "(?<![\\w-])color:(#[0-9a-fA-F]{3,6})");
        List<String> backgrounds = hexColours(css, "background(?:-color)?:(#[0-9a-fA-F]{3,6})");

        assertThat(text).contains("#111", "#0645ad");
        assertThat(backgrounds).contains("#fff", "#eee");
        for (String fg : text) {
            for (String bg : backgrounds) {
                assertThat(contrast(fg, bg)).as(fg + " on " + bg).isGreaterThanOrEqualTo(4.5);
            }
        }
    }

    private static List<String> hexColours(String css, String regex) {
        return Pattern.compile(regex).matcher(css).results().map(m -> m.group(1)).distinct().toList();
    }

    /** The WCAG 2 contrast ratio of two sRGB colours written #rgb or #rrggbb. */
    private static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        String h = hex.substring(1);
        if (h.length() == 3) {
            h = h.replaceAll("(.)", "$1$1");
        }
        double[] weights = {0.2126, 0.7152, 0.0722};
        double l = 0;
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16) / 255.0;
            l += weights[i] * (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        return l;
    }

    @Test
    void html_chart_isInlinedOnce() {
        Document d = html(Reports.sample());

        Element svg = one(d, "//figure/svg");
        assertThat(shown(one(d, "//figure/figcaption"))).isEqualTo("Violations by region and by type on "
                + "2016-09-18 (hatched) and 2016-09-19 (solid). The tables below give the same figures.");
        assertThat(svg.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(select(svg, ".//g[@id='dr-by-region']/g[@class='row']")).hasSize(3);
        assertThat(DailyReportView.html(Reports.sample())).doesNotContain("<?xml");
    }

    // ---- tables ----

    @Test
    void html_totals_holdTheInputFigures() {
        assertThat(rows(html(Reports.sample()), "totals-table"))
                .containsExactly(List.of("All regions", "12", "7", "+5", "80"));
    }

    @Test
    void html_byRegion_oneRowPerRegionWithDayPreviousChangeCumulative() {
        Document d = html(Reports.sample());

        assertThat(shown(select(d, "//table[@id='region-table']/thead/tr/th"))).containsExactly("Region",
                "Day, 2016-09-19", "Previous day, 2016-09-18", "Change", "Cumulative since 2016-09-12");
        assertThat(rows(d, "region-table")).containsExactly(
                List.of("Aleppo", "5", "2", "+3", "30"),
                List.of("Rif Dimashq", "4", "4", "0", "29"),
                List.of("Idlib", "3", "1", "+2", "21"));
    }

    @Test
    void html_byType_allTypesWithEventAndSubEvent() {
        assertThat(rows(html(Reports.sample()), "type-table")).containsExactly(
                List.of("Explosions/Remote violence", "Air/drone strike", "6", "1", "+5", "33"),
                List.of("Battles", "Armed clash", "4", "5", "\u22121", "40"),
                List.of("Explosions/Remote violence", "Shelling/artillery/missile attack", "2", "1", "+1", "7"));
    }

    @Test
    void html_parties_dayAndCumulativeCountsSideBySide() {
        Document d = html(Reports.sample());

        assertThat(shown(select(d, "//table[@id='party-table']/thead/tr[1]/th")))
                .containsExactly("Party", "On 2016-09-19", "Cumulative since 2016-09-12");
        assertThat(shown(select(d, "//table[@id='party-table']/thead/tr[2]/th"))).containsExactly(
                "Recorded", "Alleges", "Denies", "Acknowledges", "Alternative explanation", "Cannot confirm",
                "Recorded", "Alleges", "Denies", "Acknowledges", "Alternative explanation", "Cannot confirm");
        assertThat(rows(d, "party-table")).containsExactly(
                List.of("Russian Federation (ru)", "3", "2", "1", "0", "0", "1", "20", "15", "4", "1", "0", "6"),
                List.of("United States (us)", "4", "3", "0", "1", "2", "5", "25", "18", "2", "3", "7", "9"));
    }

    // ---- incidents ----

    @Test
    void html_incidents_listedWithLinksAndFacts() {
        Document d = html(Reports.sample());
        List<Element> items = select(d, "//ol[@class='incidents']/li");

        assertThat(items).hasSize(2);
        assertThat(select(d, "//ol[@class='incidents']/li//a")).extracting(a -> a.getAttribute("href"))
                .containsExactly("/incidents/urum-al-kubra-convoy", "/incidents/idlib-clash-0919");
        assertThat(shown(select(d, "//ol[@class='incidents']/li//a")))
                .containsExactly("Aid convoy struck near Urum al-Kubra", "Exchange of fire north of Idlib");
        assertThat(shown(one(items.get(0), "p[@class='facts']"))).isEqualTo("17:00–19:30 UTC; Urum al-Kubra, "
                + "Aleppo; Explosions/Remote violence: Air/drone strike; killed 14, injured not reported; "
                + "3 claims; certainty likely");
        assertThat(shown(one(items.get(1), "p[@class='facts']"))).isEqualTo("06:10 UTC; Idlib; Battles: "
                + "Armed clash; killed not reported, injured 2; 1 claim; certainty not assessed");
    }

    @Test
    void html_contestedIncident_markedInWords() {
        List<Element> items = select(html(Reports.sample()), "//ol[@class='incidents']/li");

        assertThat(shown(select(items.get(0), ".//*[@class='contested-mark']"))).containsExactly("Contested");
        assertThat(select(items.get(1), ".//*[@class='contested-mark']")).isEmpty();
        assertThat(shown(items.get(1))).doesNotContain("Contested");
    }

    @Test
    void html_incidentIdWithSlashesAndSpaces_staysOnePathSegment() {
        ObjectNode r = Reports.sample();
        ((ObjectNode) array(r, "incidents").get(0)).put("id", "../admin?x=1 \"é\"");

        assertThat(one(html(r), "//ol[@class='incidents']/li[1]//a").getAttribute("href"))
                .isEqualTo("/incidents/..%2Fadmin%3Fx%3D1%20%22%C3%A9%22");
    }

    @Test
    void html_footnote_saysFiguresAreNotFacts() {
        assertThat(shown(one(html(Reports.sample()), "//footer/p")))
                .isEqualTo("Figures are counts of records and of the parties' claims in the log, "
                        + "not established facts.");
    }

    // ---- escaping ----

    @Test
    void html_hostileText_neverAppearsUnescaped() {
        String script = "<script>alert(1)</script>";
        ObjectNode r = Reports.sample();
        r.put("region", script);
        ((ObjectNode) array(r, "parties").get(0)).put("name", script).put("party", "\"><b>");
        ((ObjectNode) array(r, "byRegion").get(0)).put("region", "A & B <i>");
        ((ObjectNode) array(r, "incidents").get(0)).put("title", "x' onmouseover='alert(1)").put("place", script);
        String html = DailyReportView.html(r);
        Document d = xml(html);

        assertThat(html).doesNotContain("<script").doesNotContain("<b>").doesNotContain("<i>");
        assertThat(select(d, "//script | //b | //i")).isEmpty();
        assertThat(one(d, "/html/head/title").getTextContent()).isEqualTo("Daily report 2016-09-19 — " + script);
        assertThat(rows(d, "party-table").get(0).get(0)).isEqualTo(script + " (\"><b>)");
        assertThat(rows(d, "region-table").get(0).get(0)).isEqualTo("A & B <i>");
        assertThat(one(d, "//ol[@class='incidents']/li[1]//a").getAttributes().getLength()).isEqualTo(1);
    }

    // ---- empty ----

    @Test
    void html_emptyReport_rendersWithStatementsInsteadOfTables() {
        Document d = html(Reports.empty());

        assertThat(one(d, "/html/head/title").getTextContent()).isEqualTo("Daily report 2016-09-19 — Aleppo");
        assertThat(rows(d, "totals-table")).containsExactly(List.of("Aleppo", "0", "0", "0", "30"));
        assertThat(select(d, "//table")).hasSize(1);
        assertThat(shown(select(d, "//p[@class='empty']"))).containsExactly(
                "No violations recorded by region in this period.",
                "No violations recorded by type in this period.",
                "No party's records or claims in this report.",
                "No incidents recorded on 2016-09-19.");
        assertThat(select(d, "//ol")).isEmpty();
        assertThat(shown(one(d, "//figure/svg/text[@class='empty']")))
                .isEqualTo("No incidents recorded on 2016-09-18 or 2016-09-19.");
        assertThat(select(d, "//figcaption")).isEmpty();
    }
}
