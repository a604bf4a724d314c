package org.truce.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker must reject what breaks CAP 1.2, or the writer's tests that rely on it prove nothing. */
class CapRulesTest {
    private static final String VALID = """
            <?xml version="1.0" encoding="UTF-8"?>
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
              <identifier>x-1</identifier><sender>s@example</sender><sent>2016-09-19T21:00:00-00:00</sent>
              <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
              <info><category>Security</category><event>Strike</event><urgency>Past</urgency>
                <severity>Moderate</severity><certainty>Likely</certainty>
                <area><areaDesc>A</areaDesc><polygon>35,36 35,37 36,37 35,36</polygon><circle>36,37 0</circle></area>
              </info>
            </alert>
            """;

    @Test
    void problems_validAlert_none() {
        assertThat(CapRules.problems(VALID)).isEmpty();
    }

    @Test
    void problems_otherNamespace_reported() {
        assertThat(CapRules.problems(VALID.replace("cap:1.2", "cap:1.1"))).singleElement().asString()
                .contains("not a CAP 1.2 alert");
    }

    @Test
    void problems_elementsOutOfOrder_reported() {
        String swapped = VALID.replace("<status>Actual</status><msgType>Alert</msgType>",
                "<msgType>Alert</msgType><status>Actual</status>");

        assertThat(CapRules.problems(swapped)).anyMatch(p -> p.contains("status missing or out of order"));
    }

    @Test
    void problems_missingCertainty_reported() {
        assertThat(CapRules.problems(VALID.replace("<certainty>Likely</certainty>", "")))
                .anyMatch(p -> p.contains("certainty missing"));
    }

    @Test
    void problems_sentInZuluForm_reported() {
        assertThat(CapRules.problems(VALID.replace("21:00:00-00:00", "21:00:00Z")))
                .anyMatch(p -> p.contains("not a CAP date-time"));
    }

    @Test
    void problems_updateWithoutReferences_reported() {
        assertThat(CapRules.problems(VALID.replace("<msgType>Alert", "<msgType>Update")))
                .anyMatch(p -> p.contains("needs references"));
    }

    @Test
    void problems_identifierWithSpace_reported() {
        assertThat(CapRules.problems(VALID.replace("<identifier>x-1", "<identifier>x 1")))
                .anyMatch(p -> p.contains("identifier"));
    }

    @Test
    void problems_valueOutsideItsList_reported() {
        assertThat(CapRules.problems(VALID.replace("<urgency>Past", "<urgency>Yesterday")))
                .anyMatch(p -> p.contains("urgency"));
    }

    @Test
    void problems_polygonOfThreePairs_reported() {
        assertThat(CapRules.problems(VALID.replace("35,36 35,37 36,37 35,36", "35,36 35,37 35,36")))
                .anyMatch(p -> p.contains("at least four pairs"));
    }

    @Test
    void problems_openPolygon_reported() {
        assertThat(CapRules.problems(VALID.replace("35,36 35,37 36,37 35,36", "35,36 35,37 36,37 36,36")))
                .anyMatch(p -> p.contains("first and last pairs differ"));
    }

    @Test
    void problems_circleInLonLatOrderBeyond90_reported() {
        assertThat(CapRules.problems(VALID.replace("<circle>36,37 0", "<circle>120,15 0")))
                .anyMatch(p -> p.contains("out of range"));
    }

    @Test
    void problems_headlineOver160_reported() {
        String tooLong = VALID.replace("<area>", "<headline>" + "h".repeat(161) + "</headline><area>");

        assertThat(CapRules.problems(tooLong)).anyMatch(p -> p.contains("headline"));
    }
}
