package org.truce.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.truce.core.report.Reports.array;
import static org.truce.core.report.Reports.counts;
import static org.truce.core.report.Reports.one;
import static org.truce.core.report.Reports.select;
import static org.truce.core.report.Reports.shown;
import static org.truce.core.report.Reports.xml;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DailyReportViewSvgTest {
    private static final String REGIONS = "//g[@id='dr-by-region']/g[@class='row']";
    private static final String TYPES = "//g[@id='dr-by-type']/g[@class='row']";

    private static Document svg(ObjectNode report) {
        return xml(DailyReportView.svg(report));
    }

    private static List<String> values(Document d, String rows, String kind) {
        return shown(select(d, rows + "/text[@class='value " + kind + "']"));
    }

    // ---- document ----

    @Test
    void svg_sampleReport_isSvg11WithSizeTitleAndDesc() {
        String svg = DailyReportView.svg(Reports.sample());
        Element root = xml(svg).getDocumentElement();

        assertThat(svg).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ");
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(root.getAttribute("version")).isEqualTo("1.1");
        assertThat(root.getAttribute("width")).isEqualTo("720");
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 720 " + root.getAttribute("height"));
        assertThat(one(root, "title").getTextContent())
                .isEqualTo("Violations by region and by type, 2016-09-18 and 2016-09-19");
        assertThat(one(root, "desc").getTextContent())
                .contains("By region: Aleppo 2 then 5; Rif Dimashq 4 then 4; Idlib 1 then 3.")
                .contains("Explosions/Remote violence — Air/drone strike 1 then 6");
    }

    @Test
    void svg_sameReport_givesSameBytes() {
        assertThat(DailyReportView.svg(Reports.sample())).isEqualTo(DailyReportView.svg(Reports.sample()));
    }

    @Test
    void svg_textIsBlackAndBarsDifferByPatternAndLightness() {
        Document d = svg(Reports.sample());

        assertThat(d.getDocumentElement().getAttribute("fill")).isEqualTo("#000000");
        assertThat(select(d, "//text[@fill and @fill!='#000000']")).isEmpty();
        assertThat(select(d, REGIONS + "/rect[@class='bar previous']"))
                .allSatisfy(r -> assertThat(r.getAttribute("fill")).isEqualTo("url(#dr-hatch)"));
        assertThat(select(d, REGIONS + "/rect[@class='bar day']"))
                .allSatisfy(r -> assertThat(r.getAttribute("fill")).isEqualTo("#333333"));
        assertThat(select(d, "//pattern[@id='dr-hatch']/rect")).extracting(r -> r.getAttribute("fill"))
                .containsExactly("#ffffff", "#000000");
        assertThat(shown(select(d, "//g[@class='legend']/text")))
                .containsExactly("Previous day, 2016-09-18", "The day, 2016-09-19");
    }

    // ---- bars by region ----

    @Test
    void svg_byRegion_oneRowPerRegionWithBothCountsAtTheBarEnds() {
        Document d = svg(Reports.sample());

        assertThat(shown(select(d, REGIONS + "/text[@class='label']")))
                .containsExactly("Aleppo", "Rif Dimashq", "Idlib");
        assertThat(select(d, REGIONS + "/rect[@class='bar previous']")).hasSize(3);
        assertThat(select(d, REGIONS + "/rect[@class='bar day']")).hasSize(3);
        assertThat(values(d, REGIONS, "previous")).containsExactly("2", "4", "1");
        assertThat(values(d, REGIONS, "day")).containsExactly("5", "4", "3");
    }

    @Test
    void svg_byRegion_barLengthsAreProportionalToCounts() {
        Document d = svg(Reports.sample());
        List<Element> day = select(d, REGIONS + "/rect[@class='bar day']");
        double aleppo = Double.parseDouble(day.get(0).getAttribute("width"));
        double idlib = Double.parseDouble(day.get(2).getAttribute("width"));

        assertThat(idlib / aleppo).isCloseTo(3.0 / 5.0, offset(0.01));
        Element valueText = one(d, REGIONS + "[1]/text[@class='value day']");
        assertThat(Double.parseDouble(valueText.getAttribute("x")))
                .isGreaterThan(Double.parseDouble(day.get(0).getAttribute("x")) + aleppo);
    }

    @Test
    void svg_largeCounts_axisScaledAndCountsWrittenInFull() {
        ObjectNode r = Reports.sample();
        counts((ObjectNode) array(r, "byRegion").get(0), 2_500_000_000L, 1_200_000_000L, 9_000_000_000L);
        Document d = svg(r);

        assertThat(values(d, REGIONS, "day")).startsWith("2,500,000,000");
        assertThat(values(d, REGIONS, "previous")).startsWith("1,200,000,000");
        assertThat(shown(select(d, "//g[@id='dr-by-region']/g[@class='axis']/text")))
                .containsExactly("0", "500M", "1bn", "1.5bn", "2bn", "2.5bn");
        List<Element> day = select(d, REGIONS + "/rect[@class='bar day']");
        double x = Double.parseDouble(day.get(0).getAttribute("x"));
        double end = x + Double.parseDouble(day.get(0).getAttribute("width"));
        double textX = Double.parseDouble(one(d, REGIONS + "[1]/text[@class='value day']").getAttribute("x"));
        // The full count, 13 characters of about 6.6 units each, ends inside the image.
        assertThat(textX + 13 * 6.6).isLessThanOrEqualTo(720);
        assertThat(end).isLessThan(textX);
    }

    // ---- bars by type ----

    @Test
    void svg_byType_labelsAreSubEventsWithTheFullNameInTitles() {
        Document d = svg(Reports.sample());

        assertThat(shown(select(d, TYPES + "/text[@class='label']")))
                .containsExactly("Air/drone strike", "Armed clash", "Shelling/artillery/missile at…");
        assertThat(select(d, TYPES + "/text[@class='label']/title")).extracting(Element::getTextContent)
                .containsExactly("Explosions/Remote violence — Air/drone strike", "Battles — Armed clash",
                        "Explosions/Remote violence — Shelling/artillery/missile attack");
        assertThat(values(d, TYPES, "previous")).containsExactly("1", "5", "1");
        assertThat(values(d, TYPES, "day")).containsExactly("6", "4", "2");
    }

    @Test
    void svg_moreThanTenTypes_topTenByDayAndTheRestSummedAsOther() {
        ObjectNode r = Reports.sample();
        ArrayNode types = r.putArray("byType");
        for (int i = 1; i <= 13; i++) {
            // Counts rise with i, so types 4 to 13 are the top ten and 1 to 3 are summed.
            counts(types.addObject().put("event", "Event " + i).put("subEvent", "Sub " + i), i, 100 + i, 0);
        }
        Document d = svg(r);

        assertThat(select(d, TYPES)).hasSize(11);
        assertThat(shown(select(d, TYPES + "/text[@class='label']"))).containsExactly("Sub 13", "Sub 12",
                "Sub 11", "Sub 10", "Sub 9", "Sub 8", "Sub 7", "Sub 6", "Sub 5", "Sub 4", "Other (3 types)");
        assertThat(values(d, TYPES, "day")).endsWith("4", "6");
        assertThat(values(d, TYPES, "previous")).endsWith("104", "306");
    }

    // ---- names ----

    @Test
    void svg_longRegionName_truncatedWithEllipsisAndFullNameInTitle() {
        ObjectNode r = Reports.sample();
        String name = "Governorate of a Very Long Name Indeed, Northern District";
        ((ObjectNode) array(r, "byRegion").get(1)).put("region", name);
        Element label = one(svg(r), REGIONS + "[2]/text[@class='label']");

        assertThat(shown(label)).isEqualTo("Governorate of a Very Long Na…").hasSize(ReportChart.MAX_LABEL);
        assertThat(one(label, "title").getTextContent()).isEqualTo(name);
    }

    @Test
    void svg_hostileNames_escaped() {
        ObjectNode r = Reports.sample();
        ((ObjectNode) array(r, "byRegion").get(0)).put("region", "<script>alert(1)</script>");
        ((ObjectNode) array(r, "byType").get(0)).put("subEvent", "\"Q\" & <b>");
        String svg = DailyReportView.svg(r);
        Document d = xml(svg);

        assertThat(svg).doesNotContain("<script").doesNotContain("<b>");
        assertThat(select(d, "//script")).isEmpty();
        assertThat(shown(one(d, REGIONS + "[1]/text[@class='label']"))).isEqualTo("<script>alert(1)</script>");
        assertThat(shown(one(d, TYPES + "[1]/text[@class='label']"))).isEqualTo("\"Q\" & <b>");
    }

    @Test
    void svg_controlCharactersInNames_replacedSoTheDocumentStaysWellFormed() {
        ObjectNode r = Reports.sample();
        ((ObjectNode) array(r, "byRegion").get(0)).put("region", "A\u0000B\u001bC\ud800");

        assertThat(shown(one(svg(r), REGIONS + "[1]/text[@class='label']"))).isEqualTo("A\ufffdB\ufffdC\ufffd");
    }

    // ---- empty ----

    @Test
    void svg_emptyReport_saysNoIncidents() {
        Document d = svg(Reports.empty());

        assertThat(select(d, "//g[@class='row']")).isEmpty();
        assertThat(shown(one(d, "//text[@class='empty']")))
                .isEqualTo("No incidents recorded on 2016-09-18 or 2016-09-19.");
        assertThat(one(d, "/svg/title").getTextContent())
                .isEqualTo("Violations by region and by type, 2016-09-18 and 2016-09-19, Aleppo");
        assertThat(one(d, "/svg/desc").getTextContent())
                .isEqualTo("No incidents recorded on 2016-09-18 or 2016-09-19.");
    }

    @Test
    void svg_noTypes_typePanelSaysSoAndRegionsStillDrawn() {
        ObjectNode r = Reports.sample();
        r.putArray("byType");
        Document d = svg(r);

        assertThat(select(d, REGIONS)).hasSize(3);
        assertThat(shown(one(d, "//g[@id='dr-by-type']/text[@class='empty']")))
                .isEqualTo("No incidents on either day.");
    }

    // ---- input ----

    @Test
    void svg_missingField_namesIt() {
        ObjectNode r = Reports.sample();
        ((ObjectNode) array(r, "byRegion").get(1)).remove("previousDay");

        assertThatThrownBy(() -> DailyReportView.svg(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("byRegion[1].previousDay");
    }

    @Test
    void svg_negativeCount_refused() {
        ObjectNode r = Reports.sample();
        ((ObjectNode) r.get("totals")).put("day", -1);

        assertThatThrownBy(() -> DailyReportView.svg(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("totals.day");
    }
}
