package org.truce.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportTest {
    // ---- parse: values ----

    @Test
    void parse_sample_readsEveryFigure() {
        Report r = Report.parse(Reports.sample());

        assertThat(r.date()).hasToString("2016-09-19");
        assertThat(r.previousDay()).hasToString("2016-09-18");
        assertThat(r.region()).isNull();
        assertThat(r.logSize()).isEqualTo(1234);
        assertThat(r.totals()).isEqualTo(new Report.Counts(12, 7, 80));
        assertThat(r.byRegion()).extracting(Report.RegionRow::region).containsExactly("Aleppo", "Rif Dimashq", "Idlib");
        assertThat(r.parties().get(1).day()).isEqualTo(new Report.Stances(4, 3, 0, 1, 2, 5));
        assertThat(r.incidents().get(0).killed()).isEqualTo(14);
        assertThat(r.incidents().get(0).injured()).isNull();
        assertThat(r.incidents().get(1).to()).isNull();
        assertThat(r.incidents()).extracting(Report.Incident::contested).containsExactly(true, false);
    }

    @Test
    void parse_incidentWithoutOptionalFields_defaults() {
        ObjectNode report = Reports.sample();
        report.putArray("incidents").addObject().put("id", "a").put("title", "T").put("from", "2016-09-19T00:00:00Z");

        Report.Incident i = Report.parse(report).incidents().get(0);

        assertThat(i.contested()).isFalse();
        assertThat(i.claims()).isZero();
        assertThat(i.place()).isNull();
        assertThat(i.certainty()).isNull();
    }

    // ---- parse: refusals ----

    /** Each row sets the field at a JSON pointer to a bad value and expects the refusal to name the field. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "/date                        | null                  | 'date' is missing",
        "/date                        | '\"19 Sept 2016\"'   | 'date' is not an ISO date",
        "/region                      | 5                     | 'region' is not a string",
        "/log/size                    | -1                    | 'log.size' is not a count",
        "/totals/cumulative           | 1.5                   | 'totals.cumulative' is not a count",
        "/totals/day                  | 9007199254740992      | 'totals.day' is not a count",
        "/byRegion                    | '{}'                  | 'byRegion' is missing or not an array",
        "/byRegion/0                  | '[]'                  | 'byRegion[0]' is missing or not an object",
        "/byType/2/event              | null                  | 'byType[2].event' is missing",
        "/parties/1/cumulative/denies | '\"2\"'               | 'parties[1].cumulative.denies' is not a count",
        "/incidents/0/contested       | '\"yes\"'             | 'incidents[0].contested' is not a boolean",
        "/incidents/1/killed          | -3                    | 'incidents[1].killed' is not a count"
    })
    void parse_badField_refusedNamingIt(String pointer, String json, String message) {
        ObjectNode report = Reports.sample();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = report.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        JsonNode value = Reports.parse("{\"v\":" + json + "}").get("v");
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }

        assertThatThrownBy(() -> Report.parse(report)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
