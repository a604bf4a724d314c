package org.truce.core.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CAP 1.2 alerts of incidents, each validated against the CAP 1.2 schema and checked rule by rule. */
class CapTest {
    private static final String SENDER = "monitor@truce.example";
    private static final String SENDER_NAME = "Joint Monitoring Mission";
    private static final javax.xml.validation.Schema SCHEMA = schema();

    private static javax.xml.validation.Schema schema() {
        try {
            javax.xml.validation.SchemaFactory f = javax.xml.validation.SchemaFactory.newInstance(
                    javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newSchema(CapTest.class.getResource("cap-1.2.xsd"));
        } catch (org.xml.sax.SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schema's complaint about a document, or null when it is valid. */
    static String invalid(String xml) {
        try {
            SCHEMA.newValidator().validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(xml)));
            return null;
        } catch (org.xml.sax.SAXException e) {
            return e.getMessage();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String alert(ObjectNode incident) {
        String xml = Cap.alert(incident, SENDER, SENDER_NAME);
        assertThat(invalid(xml)).as("CAP 1.2 schema").isNull();
        assertThat(CapRules.problems(xml)).isEmpty();
        return xml;
    }

    @Test
    void alert_restrictedIncident_hasRestrictedScopeNamingItsParties() {
        ObjectNode incident = CapFixtures.convoy();
        incident.putArray("visibility").add("ru").add("us");
        String xml = alert(incident);
        assertThat(at(xml, "/*/*[local-name()='scope']")).isEqualTo("Restricted");
        assertThat(at(xml, "/*/*[local-name()='restriction']")).isEqualTo("for the parties ru, us");
    }

    @Test
    void schema_refusesWhatCap12Forbids_soValidationCannotPassVacuously() {
        String good = Cap.alert(CapFixtures.convoy(), SENDER, SENDER_NAME);
        assertThat(invalid(good)).isNull();
        assertThat(invalid(good.replaceFirst("-00:00</sent>", "Z</sent>"))).contains("2016-09-19T21:00:00Z", "pattern");
        assertThat(invalid(good.replace("<status>Actual</status>", "<status>Real</status>"))).contains("Real");
        assertThat(invalid(good.replace("<scope>Public</scope>", ""))).contains("scope");
        assertThat(invalid(good.replaceFirst("<circle>[^<]*</circle>", "<circle>36.15 36.95</circle>"))).contains("36.15 36.95");
    }

    private static String at(String xml, String xpath) {
        return CapRules.text(xml, xpath);
    }

    // ---- the alert block ----

    @Test
    void alert_firstVersion_isAnActualPublicAlert() {
        String xml = alert(CapFixtures.convoy());

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(at(xml, "/cap:alert/cap:identifier")).isEqualTo("truce-urum-al-kubra-convoy-v1");
        assertThat(at(xml, "/cap:alert/cap:sender")).isEqualTo(SENDER);
        assertThat(at(xml, "/cap:alert/cap:sent")).isEqualTo("2016-09-19T21:00:00-00:00");
        assertThat(at(xml, "/cap:alert/cap:status")).isEqualTo("Actual");
        assertThat(at(xml, "/cap:alert/cap:msgType")).isEqualTo("Alert");
        assertThat(at(xml, "/cap:alert/cap:scope")).isEqualTo("Public");
        assertThat(at(xml, "count(/cap:alert/cap:references)")).isEqualTo("0");
    }

    @ParameterizedTest
    @CsvSource({
        "2016-09-19T21:00:00Z,          2016-09-19T21:00:00-00:00",
        "2016-09-19T21:00:00.987654Z,   2016-09-19T21:00:00-00:00",
        "2016-09-19T23:30:00+02:30,     2016-09-19T21:00:00-00:00",
        "2016-09-19T21:00:00-00:00,     2016-09-19T21:00:00-00:00",
    })
    void alert_sent_isUtcWithoutZOrFractions(String at, String sent) {
        ObjectNode incident = CapFixtures.convoy();
        incident.put("at", at);

        assertThat(at(alert(incident), "/cap:alert/cap:sent")).isEqualTo(sent);
    }

    @Test
    void alert_laterVersionWithPrevious_isUpdateReferencingTheEarlierAlert() {
        ObjectNode incident = CapFixtures.convoy();
        incident.put("version", 2);
        incident.putObject("previous").put("identifier", "truce-urum-al-kubra-convoy-v1")
                .put("sent", "2016-09-19T21:00:00Z");

        String xml = alert(incident);

        assertThat(at(xml, "/cap:alert/cap:identifier")).isEqualTo("truce-urum-al-kubra-convoy-v2");
        assertThat(at(xml, "/cap:alert/cap:msgType")).isEqualTo("Update");
        assertThat(at(xml, "/cap:alert/cap:references"))
                .isEqualTo(SENDER + ",truce-urum-al-kubra-convoy-v1,2016-09-19T21:00:00-00:00");
    }

    @Test
    void alert_laterVersionWithoutPrevious_isAlertWithoutReferences() {
        ObjectNode incident = CapFixtures.convoy();
        incident.put("version", 3);

        String xml = alert(incident);

        assertThat(at(xml, "/cap:alert/cap:identifier")).isEqualTo("truce-urum-al-kubra-convoy-v3");
        assertThat(at(xml, "/cap:alert/cap:msgType")).isEqualTo("Alert");
        assertThat(at(xml, "count(/cap:alert/cap:references)")).isEqualTo("0");
    }

    @Test
    void alert_senderWithSpaceOrComma_isRefused() {
        assertThatThrownBy(() -> Cap.alert(CapFixtures.convoy(), "joint monitor", SENDER_NAME))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cap.alert(CapFixtures.convoy(), "a,b", SENDER_NAME))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- info ----

    @Test
    void alert_info_describesAPastSecurityEvent() {
        String xml = alert(CapFixtures.convoy());

        assertThat(at(xml, "//cap:info/cap:language")).isEqualTo("en");
        assertThat(at(xml, "//cap:info/cap:category")).isEqualTo("Security");
        assertThat(at(xml, "//cap:info/cap:event")).isEqualTo("Air/drone strike");
        assertThat(at(xml, "//cap:info/cap:urgency")).isEqualTo("Past");
        assertThat(at(xml, "//cap:info/cap:senderName")).isEqualTo(SENDER_NAME);
        assertThat(at(xml, "//cap:info/cap:headline")).isEqualTo("Aid convoy struck at Urum al-Kubra");
    }

    @ParameterizedTest
    @CsvSource({
        "observed, Observed",
        "likely,   Likely",
        "possible, Possible",
        "unlikely, Unlikely",
        "unknown,  Unknown",
    })
    void alert_certainty_followsTheLastAssessment(String assessed, String certainty) {
        ObjectNode incident = CapFixtures.convoy();
        incident.withArray("/assessments").addObject().put("certainty", assessed).put("finding", "Reviewed.")
                .put("by", "monitor").put("at", "2017-01-01T00:00:00Z");

        assertThat(at(alert(incident), "//cap:info/cap:certainty")).isEqualTo(certainty);
    }

    @Test
    void alert_noAssessment_certaintyUnknown() {
        ObjectNode incident = CapFixtures.convoy();
        incident.putArray("assessments");

        assertThat(at(alert(incident), "//cap:info/cap:certainty")).isEqualTo("Unknown");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"killed\": {\"best\": 14}, \"injured\": {\"best\": 5}} | Extreme",
        "{\"killed\": {\"low\": 1}}                              | Extreme",
        "{\"killed\": {\"best\": 0}, \"injured\": {\"best\": 5}}  | Severe",
        "{\"injured\": {\"best\": 1}}                             | Severe",
        "{\"killed\": {\"best\": 0, \"high\": 3}}                 | Moderate",
        "{}                                                       | Moderate",
    })
    void alert_severity_followsCasualties(String casualties, String severity) {
        ObjectNode incident = CapFixtures.convoy();
        incident.set("casualties", CapFixtures.parse(casualties));

        assertThat(at(alert(incident), "//cap:info/cap:severity")).isEqualTo(severity);
    }

    @Test
    void alert_longTitle_headlineCutTo160Characters() {
        ObjectNode incident = CapFixtures.convoy();
        incident.put("title", "Convoy struck ".repeat(20));

        String headline = at(alert(incident), "//cap:info/cap:headline");

        assertThat(headline).hasSize(Cap.HEADLINE_LIMIT).startsWith("Convoy struck Convoy").endsWith("\u2026");
    }

    @Test
    void headline_exactly160Characters_keptWhole() {
        String title = "x".repeat(Cap.HEADLINE_LIMIT);

        assertThat(Cap.headline(title)).isEqualTo(title);
    }

    @Test
    void headline_cutAtASurrogatePair_keepsThePairWhole() {
        String title = "x".repeat(Cap.HEADLINE_LIMIT - 2) + "\uD83D\uDCA5".repeat(5);

        String headline = Cap.headline(title);

        assertThat(headline.codePointCount(0, headline.length())).isEqualTo(Cap.HEADLINE_LIMIT);
        assertThat(headline).endsWith("x\uD83D\uDCA5\u2026");
    }

    @Test
    void alert_description_keepsEveryAccountSideBySideAndAttributed() {
        String description = at(alert(CapFixtures.convoy()), "//cap:info/cap:description");

        assertThat(description.split("\n")).containsExactly(
                "A humanitarian convoy was hit while unloading.",
                "us (alleges; perpetrator: party ru): Struck from the air.",
                "ru (denies): No aircraft of ours was there.",
                "monitor assessment (likely): Craters fit an air strike.");
    }

    @Test
    void alert_parameters_nameTheSitesMovementsAndEntry() {
        ObjectNode incident = CapFixtures.convoy();
        incident.withArray("/sites").add("urum-clinic");

        String xml = alert(incident);

        assertThat(at(xml, "count(//cap:parameter[cap:valueName='site'])")).isEqualTo("2");
        assertThat(at(xml, "//cap:parameter[cap:valueName='site'][1]/cap:value")).isEqualTo("urum-warehouse");
        assertThat(at(xml, "//cap:parameter[cap:valueName='site'][2]/cap:value")).isEqualTo("urum-clinic");
        assertThat(at(xml, "//cap:parameter[cap:valueName='movement']/cap:value")).isEqualTo("convoy-0919");
        assertThat(at(xml, "//cap:parameter[cap:valueName='entry']/cap:value")).isEqualTo("q83vEjRWeJA=");
    }

    // ---- area ----

    @Test
    void alert_point_isCircleLatitudeFirstWithZeroRadius() {
        String xml = alert(CapFixtures.convoy());

        assertThat(at(xml, "//cap:area/cap:areaDesc")).isEqualTo("Urum al-Kubra, Jebel Saman, Aleppo, Syria");
        assertThat(at(xml, "//cap:area/cap:circle")).isEqualTo("36.1524,36.9586 0");
        assertThat(at(xml, "count(//cap:area/cap:polygon)")).isEqualTo("0");
    }

    @Test
    void alert_polygon_isExteriorRingInLatLonOrderClosed() {
        ObjectNode incident = CapFixtures.withPolygon("district",
                "[[[36.1,35.0],[36.3,35.0],[36.3,35.2],[36.1,35.2]], [[36.15,35.05],[36.15,35.1],[36.2,35.1],[36.15,35.05]]]");

        String xml = alert(incident);

        assertThat(at(xml, "//cap:area/cap:polygon")).isEqualTo("35,36.1 35,36.3 35.2,36.3 35.2,36.1 35,36.1");
        assertThat(at(xml, "count(//cap:area/cap:polygon)")).isEqualTo("1");
        assertThat(at(xml, "//cap:area/cap:areaDesc")).isEqualTo("Location of incident district");
    }

    // ---- hostile text ----

    @Test
    void alert_hostileText_isEscapedAndReadsBackUnchanged() {
        ObjectNode incident = CapFixtures.convoy();
        String title = "<script>alert('x')</script> & \"friends\" ]]>";
        incident.put("title", title);
        incident.put("summary", "</description><injected/> &amp; &#60;");
        incident.withObject("/location").put("place", "<b>Urum</b> & co");

        String xml = alert(incident);

        assertThat(xml).doesNotContain("<script>").doesNotContain("<injected/>").doesNotContain("<b>")
                .contains("&lt;script&gt;").contains("&amp; \"friends\"");
        assertThat(at(xml, "//cap:info/cap:headline")).isEqualTo(title);
        assertThat(at(xml, "//cap:info/cap:description")).startsWith("</description><injected/> &amp; &#60;\n");
        assertThat(at(xml, "//cap:area/cap:areaDesc")).startsWith("<b>Urum</b> & co, ");
    }

    @Test
    void alert_controlCharactersXmlCannotCarry_areReplaced() {
        ObjectNode incident = CapFixtures.convoy();
        incident.put("title", "bell\u0007 nul\u0000 lone\uD800 end");

        String headline = at(alert(incident), "//cap:info/cap:headline");

        assertThat(headline).isEqualTo("bell\uFFFD nul\uFFFD lone\uFFFD end");
    }
}
