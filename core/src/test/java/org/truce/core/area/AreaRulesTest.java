package org.truce.core.area;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.Visibility;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.LonLat;

/** Positions near Deir ez-Zor airport declared before 2016-09-17: who was declared where, disputes, and the key rule. */
public class AreaRulesTest {
    private TestLog log;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
        ObjectNode saa = obj().put("id", "syrian-arab-army").put("name", "Syrian Arab Army").put("type", "state-force")
                .put("source", "the government's forces");
        saa.putObject("affiliation").put("party", "sy");
        log.submit(log.operator, "actor", saa, Visibility.PUBLIC);
        log.submit(log.operator, "actor", obj().put("id", "isil").put("name", "ISIL").put("type", "armed-group")
                .put("source", "UN designation"), Visibility.PUBLIC);
    }

    public static ObjectNode tharda(String id, String actor, String claim, String from) {
        ObjectNode b = obj().put("id", id).put("actor", actor).put("claim", claim).put("from", from);
        ObjectNode f = b.putObject("footprint").put("type", "polygon");
        ArrayNode ring = f.putArray("coordinates");
        for (double[] p : new double[][] {{40.14, 35.24}, {40.20, 35.24}, {40.20, 35.28}, {40.14, 35.28}, {40.14, 35.24}}) {
            ring.addArray().add(p[0]).add(p[1]);
        }
        return b;
    }

    private List<ObjectNode> at(Reader r, String t) {
        return new Areas(log.state()).at(r, new Footprint.Circle(new LonLat(40.17, 35.26), 10), Instant.parse(t));
    }

    @Test
    void declarations_inForceAtAMoment_andDisputedWhenControlIsClaimedForTwoActors() throws Exception {
        log.submit(log.sy, "area.declaration", tharda("saa-tharda", "syrian-arab-army", "control", "2016-01-01T00:00:00Z"),
                Visibility.PUBLIC);
        assertThat(at(Reader.PUBLIC, "2015-12-31T00:00:00Z")).isEmpty();
        assertThat(at(Reader.PUBLIC, "2016-09-17T14:00:00Z")).extracting(v -> v.get("disputed").asBoolean()).containsExactly(false);
        ObjectNode rival = tharda("isil-tharda", "isil", "control", "2016-09-16T00:00:00Z").put("to", "2016-09-18T00:00:00Z");
        log.submit(log.ru, "area.declaration", rival, Visibility.PUBLIC);
        List<ObjectNode> during = at(Reader.PUBLIC, "2016-09-17T14:00:00Z");
        assertThat(during).extracting(v -> v.get("id").asText()).containsExactly("isil-tharda", "saa-tharda");
        assertThat(during).allMatch(v -> v.get("disputed").asBoolean());
        assertThat(at(Reader.PUBLIC, "2016-09-18T00:00:00Z")).extracting(v -> v.get("disputed").asBoolean()).containsExactly(false);
    }

    @Test
    void declaration_restricted_neitherShownNorDisputingForOthers() throws Exception {
        log.submit(log.sy, "area.declaration", tharda("saa-tharda", "syrian-arab-army", "control", "2016-01-01T00:00:00Z"),
                Visibility.PUBLIC);
        log.submit(log.ru, "area.declaration", tharda("isil-tharda", "isil", "control", "2016-09-16T00:00:00Z"),
                Visibility.named("ru"));
        assertThat(at(Reader.party("us"), "2016-09-17T14:00:00Z")).extracting(v -> v.get("disputed").asBoolean())
                .containsExactly(false);
        assertThat(at(Reader.party("ru"), "2016-09-17T14:00:00Z")).hasSize(2);
    }

    @Test
    void declaration_unknownActor_orBackwardsPeriod_refused() throws Exception {
        assertThat(refusal(() -> log.submit(log.sy, "area.declaration", tharda("x", "nobody", "presence", "2016-01-01T00:00:00Z"),
                Visibility.PUBLIC)).getMessage()).contains("/actor");
        ObjectNode backwards = tharda("y", "isil", "presence", "2016-02-01T00:00:00Z").put("to", "2016-01-01T00:00:00Z");
        assertThat(refusal(() -> log.submit(log.sy, "area.declaration", backwards, Visibility.PUBLIC)).getMessage()).contains("/to");
    }

    @Test
    void volume_overTheAreaOfAPartysActor_mustNameIt_notOverAnExcludedGroupsArea() throws Exception {
        log.submit(log.sy, "area.declaration", tharda("saa-tharda", "syrian-arab-army", "presence", "2016-01-01T00:00:00Z"),
                Visibility.PUBLIC);
        log.submit(log.ru, "area.declaration", tharda("isil-tharda", "isil", "control", "2016-01-01T00:00:00Z"),
                Visibility.PUBLIC);
        ObjectNode v = obj().put("id", "coalition-strike-area").put("state", "accepted");
        v.putObject("footprint").put("type", "circle").put("radius", 3000).putArray("center").add(40.17).add(35.26);
        v.putObject("altitude").put("lower", 0).put("upper", 8000).put("reference", "AGL");
        v.putObject("time").put("from", "2016-09-20T10:00:00Z").put("to", "2016-09-20T12:00:00Z");
        v.putArray("key");
        String version = log.doc("area.declaration", "saa-tharda").body().get("version").textValue();
        assertThat(refusal(() -> log.submit(log.us, "volume", v, Visibility.PUBLIC)).getMessage())
                .contains("area saa-tharda at version " + version).doesNotContain("isil-tharda");
        ((ArrayNode) v.get("key")).addObject().put("type", "area").put("id", "saa-tharda").put("version", version);
        log.submit(log.us, "volume", v, Visibility.PUBLIC);
    }
}
