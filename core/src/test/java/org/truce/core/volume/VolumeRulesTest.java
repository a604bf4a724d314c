package org.truce.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.notification.NotificationRulesTest;
import org.truce.core.state.Doc;

/**
 * The key rule in the style of the InterUSS acceptance suite: a volume written without the versions
 * of what it meets is refused naming them; with them it is accepted and both sides can read the
 * conflict; an ended volume leaves the checks; windows already over or more than 30 days ahead are
 * refused. The log receives every entry at {@link TestLog#RECEIVED}, 2016-09-20 08:00 UTC.
 */
class VolumeRulesTest {
    private TestLog log;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
    }

    private static ObjectNode volume(String id, double lon, double lat, double radius, double lower, double upper, String from,
            String to) {
        ObjectNode b = obj().put("id", id).put("state", "accepted").put("priority", 10);
        b.putObject("footprint").put("type", "circle").put("radius", radius).putArray("center").add(lon).add(lat);
        b.putObject("altitude").put("lower", lower).put("upper", upper).put("reference", "W84");
        b.putObject("time").put("from", from).put("to", to);
        b.putArray("key");
        return b;
    }

    private static ObjectNode over(String id) {
        return volume(id, 37.16, 36.20, 5_000, 0, 3_000, "2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z");
    }

    private TestLog.Logged write(EntrySigner by, ObjectNode body) throws EntryException {
        return log.submit(by, "volume", body, Visibility.PUBLIC);
    }

    private String version(String id) {
        return log.doc("volume", id).body().get("version").textValue();
    }

    private static ObjectNode withKey(ObjectNode b, String type, String id, String version) {
        ((ArrayNode) b.get("key")).addObject().put("type", type).put("id", id).put("version", version);
        return b;
    }

    @Test
    void volume_withoutTheVersionOfWhatItMeets_refusedNamingIt_withItAccepted_andBothSidesSeeTheConflict() throws Exception {
        write(log.ru, over("ru-patrol"));
        EntryException e = refusal(() -> write(log.us, over("us-strike-escort")));
        assertThat(e.reason()).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(e.getMessage()).contains("/key:", "volume ru-patrol at version " + version("ru-patrol"));
        TestLog.Logged ok = write(log.us, withKey(over("us-strike-escort"), "volume", "ru-patrol", version("ru-patrol")));
        assertThat(log.doc("volume", "us-strike-escort").body().get("meets").findValuesAsText("id")).containsExactly("ru-patrol");
        Doc conflict = log.doc(VolumeRules.CONFLICTS, ok.id() + ":volume:ru-patrol");
        assertThat(Reader.party("ru").mayRead(conflict)).isTrue();
        assertThat(Reader.party("us").mayRead(conflict)).isTrue();
        assertThat(Reader.party("sy").mayRead(conflict)).isFalse();
    }

    @Test
    void key_withAStaleVersion_refusedNamingTheCurrentOne() throws Exception {
        TestLog.Logged first = write(log.ru, over("ru-patrol"));
        String v1 = version("ru-patrol");
        write(log.ru, over("ru-patrol").put("state", "activated").put("supersedes", first.id()));
        String v2 = version("ru-patrol");
        assertThat(v2).isNotEqualTo(v1);
        EntryException e = refusal(() -> write(log.us, withKey(over("us-escort"), "volume", "ru-patrol", v1)));
        assertThat(e.getMessage()).contains("volume ru-patrol at version " + v2);
    }

    @Test
    void endedVolume_leavesTheChecks() throws Exception {
        TestLog.Logged first = write(log.ru, over("ru-patrol"));
        write(log.ru, over("ru-patrol").put("state", "ended").put("supersedes", first.id()));
        write(log.us, over("us-escort"));
        assertThat(log.doc("volume", "us-escort").body().get("meets")).isEmpty();
        TestLog.Logged ended = log.logged().get(log.logged().size() - 2);
        ObjectNode again = over("ru-patrol").put("state", "activated").put("supersedes", ended.id());
        assertThat(refusal(() -> write(log.ru, again)).getMessage()).contains("not from ended to activated");
    }

    @Test
    void volumes_apartInAltitudeOrTime_needNoKey() throws Exception {
        write(log.ru, over("ru-patrol"));
        write(log.us, volume("high", 37.16, 36.20, 5_000, 3_000.5, 6_000, "2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z"));
        write(log.us, volume("later", 37.16, 36.20, 5_000, 0, 3_000, "2016-09-20T12:00:00Z", "2016-09-20T13:00:00Z"));
        write(log.us, volume("beside", 37.30, 36.20, 5_000, 0, 3_000, "2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z"));
        assertThat(log.doc("volume", "beside").body().get("meets")).as("12.6 km apart, 10 km of radii").isEmpty();
    }

    @Test
    void volume_overANotifiedHospital_mustNameItAtAnyAltitude() throws Exception {
        EntrySigner ocha = log.key("ocha");
        log.submit(log.operator, "party", TestLog.partyBody("ocha", "humanitarian", ocha.vkey()), Visibility.PUBLIC);
        log.submit(ocha, "notification.site", NotificationRulesTest.hospital("m10"), Visibility.PUBLIC);
        ObjectNode high = volume("high-over-m10", 37.1589, 36.2099, 1_000, 8_000, 9_000, "2016-09-20T10:00:00Z",
                "2016-09-20T12:00:00Z");
        String siteVersion = log.doc("notification.site", "m10").body().get("version").textValue();
        assertThat(refusal(() -> write(log.us, high)).getMessage()).contains("site m10 at version " + siteVersion);
        write(log.us, withKey(high, "site", "m10", siteVersion));
    }

    /**
     * A notifier that stops answering, here one whose only key was revoked so that it can sign nothing
     * more, leaves its sites protected: they stand until withdrawn, and volumes must still name them.
     */
    @Test
    void site_ofAnUnresponsiveNotifier_staysProtected() throws Exception {
        EntrySigner ocha = log.key("ocha");
        log.submit(log.operator, "party", TestLog.partyBody("ocha", "humanitarian", ocha.vkey()), Visibility.PUBLIC);
        log.submit(ocha, "notification.site", NotificationRulesTest.hospital("m10"), Visibility.PUBLIC);
        log.submit(log.operator, "party.key", TestLog.partyKey("ocha", "revoke", ocha.vkey()), Visibility.PUBLIC);
        ObjectNode over = volume("over-m10", 37.1589, 36.2099, 1_000, 0, 3_000, "2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z");
        assertThat(refusal(() -> write(log.us, over)).getMessage()).contains("site m10");
    }

    @Test
    void window_alreadyOver_orMoreThan30DaysAhead_refused() throws Exception {
        ObjectNode past = volume("past", 37.16, 36.20, 5_000, 0, 3_000, "2016-09-20T06:00:00Z", "2016-09-20T08:00:00Z");
        assertThat(refusal(() -> write(log.ru, past)).getMessage()).contains("/time/to: the window is over");
        ObjectNode far = volume("far", 37.16, 36.20, 5_000, 0, 3_000, "2016-10-21T00:00:00Z", "2016-10-21T02:00:00Z");
        assertThat(refusal(() -> write(log.ru, far)).getMessage()).contains("at most 30 days after");
        ObjectNode backwards = volume("backwards", 37.16, 36.20, 5_000, 3_000, 0, "2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z");
        assertThat(refusal(() -> write(log.ru, backwards)).reason()).isEqualTo(Rejection.INCONSISTENT_BODY);
    }
}
