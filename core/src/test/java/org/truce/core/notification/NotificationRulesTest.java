package org.truce.core.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;

/** A hospital in Aleppo and the Urum al-Kubra convoy notified to the parties, acknowledged or not. */
public class NotificationRulesTest {
    static final Instant AT = Instant.parse("2016-09-18T08:00:00Z");
    static final String DEADLINE = "2016-09-18T20:00:00Z";

    private TestLog log;
    private EntrySigner ocha;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
        ocha = log.key("ocha");
        log.submit(log.operator, "party", TestLog.partyBody("ocha", "humanitarian", ocha.vkey()), Visibility.PUBLIC);
    }

    public static ObjectNode hospital(String id) {
        ObjectNode b = obj().put("id", id).put("name", "Hospital " + id).put("category", "hospital").put("ackBy", DEADLINE);
        b.putObject("footprint").put("type", "circle").put("radius", 150).putArray("center").add(37.1589).add(36.2099);
        b.putArray("acknowledge").add("ru").add("sy");
        return b;
    }

    public static ObjectNode convoy() {
        ObjectNode b = obj().put("id", "un-sarc-convoy").put("name", "UN/SARC convoy to Urum al-Kubra").put("vehicles", 31)
                .put("markings", "UN and Red Crescent emblems").put("ackBy", DEADLINE);
        ObjectNode route = b.putObject("route").put("type", "corridor").put("halfWidth", 100);
        ArrayNode line = route.putArray("coordinates");
        line.addArray().add(36.7163).add(36.2021);
        line.addArray().add(36.95).add(36.15);
        ArrayNode legs = b.putArray("legs");
        legs.addObject().put("name", "outbound").put("from", "2016-09-19T06:00:00Z").put("to", "2016-09-19T12:00:00Z");
        legs.addObject().put("name", "unloading").put("from", "2016-09-19T12:00:00Z").put("to", "2016-09-19T17:00:00Z");
        legs.addObject().put("name", "return").put("from", "2016-09-19T17:00:00Z").put("to", "2016-09-19T22:00:00Z");
        b.putArray("acknowledge").add("ru").add("sy").add("us");
        return b;
    }

    private TestLog.Logged ack(EntrySigner by, String type, String id) throws EntryException {
        return log.submitAt(by, "notification.ack", obj().put(type, id), Visibility.PUBLIC, AT.plusSeconds(3600));
    }

    private ObjectNode view(String type, String id, String now) {
        return new Notifications(log.state(), Clock.fixed(Instant.parse(now), ZoneOffset.UTC)).get(Reader.PUBLIC, type, id)
                .orElseThrow();
    }

    private static List<String> statuses(ObjectNode v) {
        return v.get("acknowledgements").findValuesAsText("status");
    }

    @Test
    void site_acknowledgedByOne_awaitingForTheOther_thenOverdue() throws Exception {
        log.submitAt(ocha, "notification.site", hospital("m10"), Visibility.PUBLIC, AT);
        TestLog.Logged ruAck = ack(log.ru, "site", "m10");
        ObjectNode before = view("site", "m10", "2016-09-18T12:00:00Z");
        assertThat(before.get("acknowledgements").findValuesAsText("party")).containsExactly("ru", "sy");
        assertThat(statuses(before)).containsExactly("acknowledged", "awaiting");
        assertThat(before.get("acknowledgements").get(0).get("entry").asText()).isEqualTo(ruAck.id());
        assertThat(statuses(view("site", "m10", "2016-09-18T20:00:01Z"))).containsExactly("acknowledged", "overdue");
        assertThat(view("site", "m10", "2016-09-18T20:00:01Z").get("unacknowledged").asInt()).isEqualTo(1);
        List<ObjectNode> syOwes = new Notifications(log.state(), Clock.systemUTC()).list(Reader.PUBLIC, "site", "sy", true);
        assertThat(syOwes).extracting(v -> v.get("id").asText()).containsExactly("m10");
        assertThat(new Notifications(log.state(), Clock.systemUTC()).list(Reader.PUBLIC, "site", "ru", true)).isEmpty();
    }

    @Test
    void ack_byAPartyNotNamed_orTwice_refused() throws Exception {
        log.submitAt(ocha, "notification.site", hospital("m10"), Visibility.PUBLIC, AT);
        assertThat(refusal(() -> ack(log.us, "site", "m10")).reason()).isEqualTo(Rejection.NOT_ALLOWED);
        ack(log.ru, "site", "m10");
        assertThat(refusal(() -> ack(log.ru, "site", "m10")).getMessage()).contains("already acknowledged");
        assertThat(refusal(() -> ack(log.ru, "site", "no-such")).getMessage()).contains("no site no-such");
    }

    @Test
    void movement_withLegs_acknowledged_andItsRouteMustBeACorridorInOrder() throws Exception {
        log.submitAt(ocha, "notification.movement", convoy(), Visibility.PUBLIC, AT);
        ack(log.ru, "movement", "un-sarc-convoy");
        ack(log.us, "movement", "un-sarc-convoy");
        assertThat(statuses(view("movement", "un-sarc-convoy", "2016-09-19T00:00:00Z")))
                .containsExactly("acknowledged", "overdue", "acknowledged");
        ObjectNode circleRoute = convoy().put("id", "c2");
        circleRoute.putObject("route").put("type", "circle").put("radius", 100).putArray("center").add(36.9).add(36.1);
        assertThat(refusal(() -> log.submitAt(ocha, "notification.movement", circleRoute, Visibility.PUBLIC, AT)).getMessage())
                .contains("/route: a movement's route is a corridor");
        ObjectNode backwards = convoy().put("id", "c3");
        ((ObjectNode) backwards.get("legs").get(1)).put("from", "2016-09-19T11:00:00Z");
        EntryException e = refusal(() -> log.submitAt(ocha, "notification.movement", backwards, Visibility.PUBLIC, AT));
        assertThat(e.reason()).isEqualTo(Rejection.INCONSISTENT_BODY);
        assertThat(e.getMessage()).contains("/legs/1/from");
    }

    @Test
    void site_malformedFootprint_refusedAsBadGeometryNamingTheField() throws Exception {
        ObjectNode bowtie = hospital("bad");
        ObjectNode fp = bowtie.putObject("footprint").put("type", "polygon");
        ArrayNode ring = fp.putArray("coordinates");
        for (double[] p : new double[][] {{37.0, 36.0}, {37.1, 36.1}, {37.1, 36.0}, {37.0, 36.1}, {37.0, 36.0}}) {
            ring.addArray().add(p[0]).add(p[1]);
        }
        EntryException e = refusal(() -> log.submitAt(ocha, "notification.site", bowtie, Visibility.PUBLIC, AT));
        assertThat(e.reason()).isEqualTo(Rejection.BAD_GEOMETRY);
        assertThat(e.getMessage()).contains("/footprint/coordinates: the ring crosses itself");
    }

    @Test
    void withdraw_onlyByTheNotifier_andThenNoMoreAcknowledgements() throws Exception {
        log.submitAt(ocha, "notification.site", hospital("m10"), Visibility.PUBLIC, AT);
        ObjectNode w = obj().put("site", "m10").put("reason", "closed");
        assertThat(refusal(() -> log.submitAt(log.ru, "notification.withdraw", w, Visibility.PUBLIC, AT)).reason())
                .isEqualTo(Rejection.NOT_ALLOWED);
        log.submitAt(ocha, "notification.withdraw", w, Visibility.PUBLIC, AT.plusSeconds(60));
        assertThat(view("site", "m10", "2016-09-18T12:00:00Z").get("withdrawn").get("reason").asText()).isEqualTo("closed");
        assertThat(refusal(() -> ack(log.ru, "site", "m10")).getMessage()).contains("withdrawn");
    }

    @Test
    void messageAbout_aNotification_indexedForEscalation_unknownOneRefused() throws Exception {
        log.submitAt(ocha, "notification.site", hospital("m10"), Visibility.PUBLIC, AT);
        ObjectNode m = TestLog.message("Unacknowledged site", "sy");
        m.putObject("about").put("site", "m10");
        TestLog.Logged sent = log.submitAt(log.operator, "message", m, Visibility.PUBLIC, AT);
        assertThat(log.doc("message", sent.id()).keys()).contains(org.truce.core.hotline.HotlineRules.aboutKey("site", "m10"));
        ObjectNode unknown = TestLog.message("Unacknowledged site", "sy");
        unknown.putObject("about").put("movement", "m10");
        assertThat(refusal(() -> log.submitAt(log.operator, "message", unknown, Visibility.PUBLIC, AT)).getMessage())
                .contains("/about/movement: no movement m10 is notified");
    }

    @Test
    void restrictedSite_invisibleOutside_andOnlyItsReadersAcknowledge() throws Exception {
        log.submitAt(ocha, "notification.site", hospital("m10"), Visibility.named("ru", "sy"), AT);
        Notifications n = new Notifications(log.state(), Clock.systemUTC());
        assertThat(n.get(Reader.PUBLIC, "site", "m10")).isEmpty();
        assertThat(n.get(Reader.party("us"), "site", "m10")).isEmpty();
        assertThat(n.get(Reader.party("ru"), "site", "m10")).isPresent();
        assertThat(n.list(Reader.party("us"), "site", null, false)).isEmpty();
        ack(log.ru, "site", "m10");
    }
}
