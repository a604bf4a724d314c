package org.truce.core.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;

/**
 * Incidents around the 2016-09-19 convoy at Urum al-Kubra: the incident, each party's account kept
 * side by side, a monitor's findings, versions that supersede and never overwrite, filters and the
 * daily report, each as a reader with its visibility sees them.
 */
public class IncidentRulesTest {
    static final Instant AT = Instant.parse("2016-09-20T08:00:00Z");

    private TestLog log;
    private EntrySigner monitor;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
        monitor = log.key("ctf");
        log.submit(log.operator, "party", TestLog.partyBody("ctf", "monitor", monitor.vkey()), Visibility.PUBLIC);
        log.submit(log.operator, "notification.movement", org.truce.core.notification.NotificationRulesTest.convoy()
                .put("id", "sarc-convoy-2016-09-19"), Visibility.PUBLIC);
    }

    public static ObjectNode incident(String id, String from, String to, double lon, double lat, String admin1) {
        ObjectNode b = obj().put("id", id).put("title", "Incident " + id);
        b.putObject("time").put("from", from).put("to", to).putObject("precision").put("scheme", "acled").put("code", 1);
        ObjectNode loc = b.putObject("location");
        loc.putArray("point").add(lon).add(lat);
        loc.putObject("precision").put("scheme", "acled").put("code", 1);
        loc.put("country", "Syria").put("admin1", admin1);
        b.putObject("type").put("event", "Explosions/Remote violence").put("subEvent", "Air/drone strike");
        return b;
    }

    public static ObjectNode convoy() {
        ObjectNode b = incident("urum-al-kubra", "2016-09-19T17:00:00Z", "2016-09-19T20:00:00Z", 36.9586, 36.1524, "Aleppo");
        b.putObject("casualties").putObject("killed").put("low", 10).put("best", 14).put("high", 20);
        b.putArray("movements").add("sarc-convoy-2016-09-19");
        return b;
    }

    private TestLog.Logged record(EntrySigner by, ObjectNode body) throws EntryException {
        return log.submitAt(by, "incident", body, Visibility.PUBLIC, AT);
    }

    private TestLog.Logged claim(EntrySigner by, String stance, String perpetratorParty, Visibility v) throws EntryException {
        ObjectNode c = obj().put("incident", "urum-al-kubra").put("stance", stance).put("statement", by.party() + " says so");
        if (perpetratorParty != null) {
            c.putObject("perpetrator").put("party", perpetratorParty);
        }
        return log.submitAt(by, "incident.claim", c, v, AT);
    }

    private ObjectNode view(Reader r) {
        return new Incidents(log.state()).get(r, "urum-al-kubra").orElseThrow();
    }

    private List<String> ids(Reader r, IncidentFilter f) {
        return new Incidents(log.state()).findAll(r, f, 1000).stream().map(v -> v.get("id").textValue()).toList();
    }

    // ---- claims side by side ----

    @Test
    void claims_ofBothSides_standSideBySide_andMakeTheIncidentContested() throws Exception {
        record(log.operator, convoy());
        assertThat(view(Reader.PUBLIC).get("contested").booleanValue()).isFalse();
        claim(log.us, "alleges", "ru", Visibility.PUBLIC);
        assertThat(view(Reader.PUBLIC).get("contested").booleanValue()).as("one account alone").isFalse();
        claim(log.ru, "denies", null, Visibility.PUBLIC);
        ObjectNode v = view(Reader.PUBLIC);
        assertThat(v.get("claims").findValuesAsText("by")).containsExactly("us", "ru");
        assertThat(v.get("claims").findValuesAsText("stance")).containsExactly("alleges", "denies");
        assertThat(v.get("contested").booleanValue()).isTrue();
        assertThat(v.get("casualties").get("killed").get("best").intValue()).as("claims never touch the incident").isEqualTo(14);
        assertThat(v.get("version").intValue()).isEqualTo(1);
    }

    @Test
    void cannotConfirm_disagreesWithNothing() throws Exception {
        record(log.operator, convoy());
        claim(log.us, "alleges", "ru", Visibility.PUBLIC);
        claim(log.sy, "cannot-confirm", null, Visibility.PUBLIC);
        assertThat(view(Reader.PUBLIC).get("contested").booleanValue()).isFalse();
    }

    @Test
    void claim_supersededByItsAuthor_leavesTheCurrentView_butStaysInHistory() throws Exception {
        record(log.operator, convoy());
        TestLog.Logged first = claim(log.sy, "cannot-confirm", null, Visibility.PUBLIC);
        ObjectNode second = obj().put("incident", "urum-al-kubra").put("stance", "denies").put("supersedes", first.id());
        assertThat(refusal(() -> log.submitAt(log.us, "incident.claim", second, Visibility.PUBLIC, AT)).reason())
                .as("another party's claim").isEqualTo(Rejection.NOT_ALLOWED);
        log.submitAt(log.sy, "incident.claim", second, Visibility.PUBLIC, AT);
        ObjectNode v = view(Reader.PUBLIC);
        assertThat(v.get("claims").findValuesAsText("stance")).containsExactly("denies");
        assertThat(v.get("history").findValuesAsText("kind")).containsExactly("incident", "incident.claim", "incident.claim");
        assertThat(v.get("history").get(1).get("supersededBy").textValue()).isEqualTo(log.logged().get(log.logged().size() - 1).id());
        assertThat(refusal(() -> log.submitAt(log.sy, "incident.claim", second, Visibility.PUBLIC, AT)).getMessage())
                .as("superseded twice").contains("already superseded");
    }

    @Test
    void claim_byTheOperator_isRefused_aClaimIsAPartysAccount() throws Exception {
        record(log.operator, convoy());
        EntryException e = refusal(() -> claim(log.operator, "alleges", "ru", Visibility.PUBLIC));
        assertThat(e.reason()).isEqualTo(Rejection.NOT_ALLOWED);
    }

    @Test
    void claim_alleging_withoutPerpetrator_isInconsistent() throws Exception {
        record(log.operator, convoy());
        EntryException e = refusal(() -> claim(log.us, "alleges", null, Visibility.PUBLIC));
        assertThat(e.reason()).isEqualTo(Rejection.INCONSISTENT_BODY);
        assertThat(e.getMessage()).contains("/perpetrator");
    }

    @Test
    void claim_aboutAnUnknownIncident_isRefused() throws Exception {
        EntryException e = refusal(() -> claim(log.us, "alleges", "ru", Visibility.PUBLIC));
        assertThat(e.getMessage()).contains("no incident urum-al-kubra");
    }

    // ---- versions ----

    @Test
    void incident_newVersion_mustNameTheCurrentOne_andComeFromItsRecorder() throws Exception {
        TestLog.Logged v1 = record(log.operator, convoy());
        ObjectNode again = convoy();
        assertThat(refusal(() -> record(log.operator, again)).getMessage()).contains("already recorded", v1.id());
        ObjectNode v2 = convoy().put("supersedes", v1.id());
        ((ObjectNode) v2.get("casualties").get("killed")).put("best", 20);
        assertThat(refusal(() -> record(log.us, v2)).reason()).isEqualTo(Rejection.NOT_ALLOWED);
        TestLog.Logged second = record(log.operator, v2);
        ObjectNode v = view(Reader.PUBLIC);
        assertThat(v.get("version").intValue()).isEqualTo(2);
        assertThat(v.get("casualties").get("killed").get("best").intValue()).isEqualTo(20);
        assertThat(v.get("versions").findValuesAsText("entry")).containsExactly(v1.id(), second.id());
        assertThat(v.get("versions").get(0).get("casualties").get("killed").get("best").intValue())
                .as("the first version stays as it was").isEqualTo(14);
        ObjectNode stale = convoy().put("supersedes", v1.id());
        assertThat(refusal(() -> record(log.operator, stale)).getMessage()).contains("current version", second.id());
    }

    @Test
    void incident_inconsistentBodies_areRefusedNamingTheField() throws Exception {
        ObjectNode wrongSub = convoy();
        ((ObjectNode) wrongSub.get("type")).put("subEvent", "Armed clash");
        ObjectNode backwards = convoy();
        ((ObjectNode) backwards.get("time")).put("to", "2016-09-18T00:00:00Z");
        ObjectNode tooLong = convoy();
        ((ObjectNode) tooLong.get("time")).put("to", "2017-12-01T00:00:00Z");
        ObjectNode lowAboveBest = convoy();
        ((ObjectNode) lowAboveBest.get("casualties").get("killed")).put("low", 15);
        ObjectNode openRing = convoy();
        ObjectNode loc = (ObjectNode) openRing.get("location");
        loc.remove("point");
        var ring = loc.putArray("polygon").addArray();
        ring.addArray().add(36.9).add(36.1);
        ring.addArray().add(37.0).add(36.1);
        ring.addArray().add(37.0).add(36.2);
        ring.addArray().add(36.9).add(36.2);
        for (var c : List.of(List.of(backwards, "/time/to"), List.of(tooLong, "366 days"),
                List.of(lowAboveBest, "/casualties/killed"), List.of(openRing, "/location/polygon/0"))) {
            EntryException e = refusal(() -> record(log.operator, (ObjectNode) c.get(0)));
            assertThat(e.reason()).as((String) c.get(1)).isEqualTo(Rejection.INCONSISTENT_BODY);
            assertThat(e.getMessage()).contains((String) c.get(1));
        }
        EntryException e = refusal(() -> record(log.operator, wrongSub));
        assertThat(e.reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
        assertThat(e.getMessage()).contains("/type/subEvent");
        assertThat(new Incidents(log.state()).get(Reader.PUBLIC, "urum-al-kubra")).as("nothing half-written").isEmpty();
    }

    @Test
    void incident_linkToANotificationNotRecorded_refused() throws Exception {
        ObjectNode b = convoy();
        b.putArray("sites").add("no-such-hospital");
        assertThat(refusal(() -> record(log.operator, b)).getMessage()).contains("/sites: no site no-such-hospital is notified");
    }

    @Test
    void incident_unknownSubEventType_failsItsSchema() throws Exception {
        ObjectNode b = convoy();
        ((ObjectNode) b.get("type")).put("subEvent", "Drive-by");
        assertThat(refusal(() -> record(log.operator, b)).reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
    }

    // ---- assessments ----

    @Test
    void assessment_onlyByAMonitor_andARevisionKeepsBoth() throws Exception {
        record(log.operator, convoy());
        ObjectNode a = obj().put("incident", "urum-al-kubra").put("certainty", "possible").put("finding", "an air strike is possible");
        assertThat(refusal(() -> log.submitAt(log.us, "incident.assessment", a, Visibility.PUBLIC, AT)).reason())
                .isEqualTo(Rejection.NOT_ALLOWED);
        TestLog.Logged first = log.submitAt(monitor, "incident.assessment", a, Visibility.PUBLIC, AT);
        ObjectNode revised = obj().put("incident", "urum-al-kubra").put("certainty", "likely").put("finding", "an air strike")
                .put("revises", first.id());
        TestLog.Logged second = log.submitAt(monitor, "incident.assessment", revised, Visibility.PUBLIC, AT);
        ObjectNode v = view(Reader.PUBLIC);
        assertThat(v.get("assessments").findValuesAsText("certainty")).containsExactly("possible", "likely");
        assertThat(v.get("assessments").get(0).get("revisedBy").get(0).textValue()).isEqualTo(second.id());
    }

    // ---- visibility ----

    @Test
    void restrictedClaim_isSeenAndCountedOnlyByThoseItIsFor() throws Exception {
        record(log.operator, convoy());
        claim(log.us, "alleges", "ru", Visibility.PUBLIC);
        claim(log.sy, "alleges", "us", Visibility.named("ru"));
        assertThat(view(Reader.PUBLIC).get("claims").findValuesAsText("by")).containsExactly("us");
        assertThat(view(Reader.PUBLIC).get("contested").booleanValue()).isFalse();
        assertThat(view(Reader.party("us")).get("claims").findValuesAsText("by")).containsExactly("us");
        assertThat(view(Reader.party("ru")).get("contested").booleanValue()).isTrue();
        IncidentFilter contested = new IncidentFilter(null, null, null, null, null, null, null, null, true, false);
        assertThat(ids(Reader.PUBLIC, contested)).isEmpty();
        assertThat(ids(Reader.party("us"), contested)).isEmpty();
        assertThat(ids(Reader.party("ru"), contested)).containsExactly("urum-al-kubra");
        IncidentFilter bySy = new IncidentFilter(null, null, null, null, null, "sy", null, null, null, false);
        assertThat(ids(Reader.PUBLIC, bySy)).isEmpty();
        assertThat(ids(Reader.party("sy"), bySy)).containsExactly("urum-al-kubra");
        JsonNode publicReport = report(Reader.PUBLIC, LocalDate.parse("2016-09-19"));
        assertThat(partyRow(publicReport, "sy").get("day").get("alleges").intValue()).isZero();
        assertThat(partyRow(report(Reader.party("ru"), LocalDate.parse("2016-09-19")), "sy").get("day").get("alleges").intValue())
                .isEqualTo(1);
    }

    @Test
    void restrictedIncident_andItsAccounts_areInvisibleOutside() throws Exception {
        log.submitAt(log.us, "incident", convoy(), Visibility.named("ru"), AT);
        assertThat(new Incidents(log.state()).get(Reader.PUBLIC, "urum-al-kubra")).isEmpty();
        assertThat(new Incidents(log.state()).get(Reader.party("sy"), "urum-al-kubra")).isEmpty();
        assertThat(ids(Reader.party("sy"), IncidentFilter.ALL)).isEmpty();
        assertThat(refusal(() -> claim(log.sy, "denies", null, Visibility.PUBLIC)).getMessage())
                .as("sy cannot claim about what it cannot see").contains("no incident");
        claim(log.ru, "denies", null, Visibility.named("us"));
        assertThat(view(Reader.party("ru")).get("claims").size()).isEqualTo(1);
    }

    // ---- filters ----

    @Test
    void filters_byEventTime_notCaptureTime_bbox_type_actorAndClaims() throws Exception {
        record(log.operator, convoy());
        record(log.operator, incident("jabal-tharda", "2016-09-17T14:00:00Z", "2016-09-17T15:00:00Z", 40.19, 35.29, "Deir ez-Zor"));
        ObjectNode khan = incident("khan-shaykhun", "2017-04-04T03:30:00Z", "2017-04-04T07:00:00Z", 36.6514, 35.4372, "Idlib");
        ((ObjectNode) khan.get("type")).put("subEvent", "Chemical weapon");
        record(log.operator, khan);
        claim(log.us, "alleges", "ru", Visibility.PUBLIC);

        IncidentFilter sept = new IncidentFilter(Instant.parse("2016-09-17T00:00:00Z"), Instant.parse("2016-09-18T00:00:00Z"),
                null, null, null, null, null, null, null, false);
        assertThat(ids(Reader.PUBLIC, sept)).as("all three were recorded on %s; only one happened that day", AT)
                .containsExactly("jabal-tharda");
        IncidentFilter aleppoBox = new IncidentFilter(null, null, new double[] {36.5, 35.9, 37.5, 36.5}, null, null, null, null,
                null, null, false);
        assertThat(ids(Reader.PUBLIC, aleppoBox)).containsExactly("urum-al-kubra");
        IncidentFilter chemical = new IncidentFilter(null, null, null, "chemical weapon", null, null, null, null, null, false);
        assertThat(ids(Reader.PUBLIC, chemical)).containsExactly("khan-shaykhun");
        IncidentFilter remote = new IncidentFilter(null, null, null, "Explosions/Remote violence", null, null, null, null, null,
                false);
        assertThat(ids(Reader.PUBLIC, remote)).containsExactly("jabal-tharda", "khan-shaykhun", "urum-al-kubra");
        IncidentFilter withClaims = new IncidentFilter(null, null, null, null, null, null, null, true, null, false);
        assertThat(ids(Reader.PUBLIC, withClaims)).containsExactly("urum-al-kubra");
        IncidentFilter notified = new IncidentFilter(null, null, null, null, null, null, null, null, null, true);
        assertThat(ids(Reader.PUBLIC, notified)).containsExactly("urum-al-kubra");
        IncidentFilter idlib = new IncidentFilter(null, null, null, null, null, null, "idlib", null, null, false);
        assertThat(ids(Reader.PUBLIC, idlib)).containsExactly("khan-shaykhun");
    }

    @Test
    void find_pagesThroughEveryMatch_withoutRepeats() throws Exception {
        for (int i = 0; i < 30; i++) {
            record(log.operator, incident(String.format("i-%02d", i), "2016-09-%02dT10:00:00Z".formatted(1 + i % 28),
                    "2016-10-%02dT10:00:00Z".formatted(1 + i % 28), 36.9, 36.1, "Aleppo"));
        }
        IncidentFilter window = new IncidentFilter(Instant.parse("2016-09-01T00:00:00Z"), Instant.parse("2016-11-01T00:00:00Z"),
                null, null, null, null, null, null, null, false);
        Incidents incidents = new Incidents(log.state());
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Incidents.Page p = incidents.find(Reader.PUBLIC, window, cursor, 7);
            p.items().forEach(v -> seen.add(v.get("id").textValue()));
            cursor = p.next();
        } while (cursor != null);
        assertThat(seen).hasSize(30).doesNotHaveDuplicates().isSorted();
    }

    // ---- daily report ----

    private JsonNode report(Reader r, LocalDate date) {
        return DailyReport.compute(log.state(), r, date, null, LocalDate.parse("2016-09-12"), obj().put("size", 1));
    }

    private static JsonNode partyRow(JsonNode report, String party) {
        for (JsonNode p : report.get("parties")) {
            if (p.get("party").textValue().equals(party)) {
                return p;
            }
        }
        throw new AssertionError("no row for " + party + " in " + report.get("parties"));
    }

    @Test
    void dailyReport_countsTheDayAgainstThePreviousDayAndSinceTheStart() throws Exception {
        record(log.operator, convoy());
        record(log.us, incident("aleppo-shelling", "2016-09-18T09:00:00Z", "2016-09-18T10:00:00Z", 37.16, 36.2, "Aleppo"));
        record(log.ru, incident("jabal-tharda", "2016-09-17T14:00:00Z", "2016-09-17T15:00:00Z", 40.19, 35.29, "Deir ez-Zor"));
        record(log.ru, incident("before", "2016-09-01T14:00:00Z", "2016-09-01T15:00:00Z", 40.19, 35.29, "Deir ez-Zor"));
        claim(log.us, "alleges", "ru", Visibility.PUBLIC);
        claim(log.ru, "denies", null, Visibility.PUBLIC);
        claim(log.sy, "cannot-confirm", null, Visibility.PUBLIC);
        JsonNode r = report(Reader.PUBLIC, LocalDate.parse("2016-09-19"));
        assertThat(r.get("totals").toString()).isEqualTo("{\"day\":1,\"previousDay\":1,\"cumulative\":3}");
        assertThat(r.get("byRegion").get(0).toString())
                .isEqualTo("{\"region\":\"Aleppo\",\"day\":1,\"previousDay\":1,\"cumulative\":2}");
        assertThat(r.get("byRegion").get(1).get("region").textValue()).isEqualTo("Deir ez-Zor");
        assertThat(partyRow(r, "ru").get("day").get("denies").intValue()).isEqualTo(1);
        assertThat(partyRow(r, "ru").get("cumulative").get("recorded").intValue()).as("'before' is before the 12th").isEqualTo(1);
        assertThat(partyRow(r, "sy").get("day").get("cannotConfirm").intValue()).isEqualTo(1);
        assertThat(partyRow(r, "us").get("day").get("alleges").intValue()).isEqualTo(1);
        assertThat(r.get("incidents").findValuesAsText("id")).containsExactly("urum-al-kubra");
        assertThat(r.get("incidents").get(0).get("contested").booleanValue()).isTrue();
        JsonNode aleppoOnly = DailyReport.compute(log.state(), Reader.PUBLIC, LocalDate.parse("2016-09-18"), "Aleppo",
                LocalDate.parse("2016-09-12"), obj());
        assertThat(aleppoOnly.get("totals").toString()).isEqualTo("{\"day\":1,\"previousDay\":0,\"cumulative\":1}");
    }
}
