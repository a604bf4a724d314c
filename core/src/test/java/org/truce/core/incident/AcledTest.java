package org.truce.core.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;

/** ACLED-format CSV: what is written reads back to the same incidents; bad rows are reported by line. */
class AcledTest {
    private final List<Acled.Row> good = new ArrayList<>();
    private final List<Acled.Rejected> bad = new ArrayList<>();

    private void read(String csv) throws Exception {
        Acled.read(new StringReader(csv), good::add, bad::add);
    }

    /** An incident view with what the log adds to the body. */
    private static ObjectNode view(ObjectNode body) {
        return body.deepCopy().put("version", 1).put("by", "un").put("at", "2016-09-20T08:00:00Z").put("index", 7)
                .put("entry", "x".repeat(43) + "=");
    }

    private static String canonical(ObjectNode o) {
        return new String(org.truce.core.json.Json.canonical(o), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void write_thenRead_givesBackTheSameIncidentBodies() throws Exception {
        ObjectNode convoy = IncidentRulesTest.convoy().put("summary", "Struck \"after\" unloading,\nin two waves.");
        ((ObjectNode) convoy.get("casualties")).putObject("injured").put("best", 5);
        convoy.putArray("actorNames").addObject().put("name", "Syrian Arab Red Crescent").put("role", "actor2");
        convoy.putArray("sources").add("UN OCHA").add("SARC statement");
        ObjectNode area = IncidentRulesTest.incident("aleppo-east", "2016-09-01T00:00:00Z", "2016-10-01T00:00:00Z", 0, 0, "Aleppo");
        ObjectNode loc = (ObjectNode) area.get("location");
        loc.remove("point");
        var ring = loc.putArray("polygon").addArray();
        for (double[] p : new double[][] {{37.1, 36.2}, {37.2, 36.2}, {37.2, 36.25}, {37.1, 36.2}}) {
            ring.addArray().add(p[0]).add(p[1]);
        }
        ((ObjectNode) area.get("time").get("precision")).put("scheme", "ucdp").put("code", 4);
        StringBuilder csv = new StringBuilder();
        Acled.write(csv, List.of(view(convoy), view(area)));
        read(csv.toString());
        assertThat(bad).isEmpty();
        assertThat(good).extracting(r -> canonical(r.incident())).containsExactly(canonical(convoy), canonical(area));
        assertThat(csv.toString()).startsWith(String.join(",", Acled.ACLED_COLUMNS) + ",truce_title");
        assertThat(csv.toString().split("\r\n")[1].replace("\"", "")).startsWith("#event+code,#date+occurred,");
        assertThat(good.get(1).line()).as("the first row spans two lines").isEqualTo(5);
    }

    @Test
    void read_acledsOwnExport_makesIncidentsOfTheDayAndPlace() throws Exception {
        read("""
                event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,iso,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities
                SYR12345,19 September 2016,2016,1,Explosions/Remote Violence,Air/drone strike,Military Forces of Russia (2000-),Civilians (Syria),760,Syria,Aleppo,Urum al-Kubra,36.1524,36.9586,1,SARC; UN OCHA,Convoy struck.,14
                SYR12346,2016-09-18,2016,2,Battles,Armed clash,,,760,Syria,Aleppo,Aleppo,36.2021,37.1343,2,,,0
                """);
        assertThat(bad).isEmpty();
        ObjectNode a = good.get(0).incident();
        assertThat(a.get("id").textValue()).isEqualTo("syr12345");
        assertThat(a.get("type").get("event").textValue()).isEqualTo("Explosions/Remote violence");
        assertThat(a.get("time").toString()).isEqualTo(
                "{\"from\":\"2016-09-19T00:00:00Z\",\"to\":\"2016-09-20T00:00:00Z\",\"precision\":{\"scheme\":\"acled\",\"code\":1}}");
        assertThat(a.get("location").get("point").toString()).isEqualTo("[36.9586,36.1524]");
        assertThat(a.get("casualties").get("killed").get("best").intValue()).isEqualTo(14);
        assertThat(a.get("sources").toString()).isEqualTo("[\"SARC\",\"UN OCHA\"]");
        assertThat(a.get("actorNames").findValuesAsText("role")).containsExactly("actor1", "actor2");
        assertThat(good.get(1).incident().get("time").get("from").textValue()).as("a week's precision")
                .isEqualTo("2016-09-15T00:00:00Z");
    }

    @Test
    void read_badRows_areReportedByLine_andTheGoodOnesKept() throws Exception {
        read("""
                event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities
                #event+code,#date+occurred,#event+type,#event+type+sub,#geo+lat,#geo+lon,#affected+killed
                A1,2016-09-19,Battles,Armed clash,36.2,37.1,3
                A2,2016-09-31,Battles,Armed clash,36.2,37.1,3
                A3,2016-09-19,Battles,Air/drone strike,36.2,37.1,3
                A4,2016-09-19,Battles,Armed clash,136.2,37.1,3
                A5,2016-09-19,Battles,Armed clash,36.2,37.1,-1
                A1,2016-09-19,Battles,Armed clash,36.2,37.1,3
                ,2016-09-19,Battles,Armed clash,36.2,37.1,3
                A8,2016-09-19,Battles,Armed clash,36.2,37.1,
                """);
        assertThat(good).extracting(r -> r.incident().get("id").textValue()).containsExactly("a1", "a8");
        assertThat(good).extracting(Acled.Row::line).containsExactly(3L, 10L);
        assertThat(bad).extracting(Acled.Rejected::line).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(bad.get(0).reason()).contains("event_date", "2016-09-31");
        assertThat(bad.get(1).reason()).contains("sub_event_type", "Air/drone strike");
        assertThat(bad.get(2).reason()).contains("latitude", "136.2");
        assertThat(bad.get(3).reason()).contains("fatalities", "-1");
        assertThat(bad.get(4).reason()).contains("earlier line");
        assertThat(bad.get(5).reason()).contains("event_id_cnty", "empty");
    }

    @Test
    void read_headerWithoutRequiredColumns_failsTheWholeFile() {
        assertThatThrownBy(() -> read("id,date\n1,2016-09-19\n")).isInstanceOf(Acled.FormatException.class)
                .hasMessageContaining("event_id_cnty, event_date, event_type, sub_event_type, latitude, longitude");
        assertThatThrownBy(() -> read("")).isInstanceOf(Acled.FormatException.class).hasMessageContaining("empty");
    }

    @Test
    void hxl_everyColumnHasAHashtag() {
        assertThat(Acled.HXL).hasSize(Acled.ACLED_COLUMNS.size() + Acled.TRUCE_COLUMNS.size());
        assertThat(Acled.HXL.values()).allMatch(t -> t.matches("#[a-z][a-z0-9_]*(\\+[a-z][a-z0-9_]*)*")).doesNotHaveDuplicates();
        assertThat(TestLog.obj()).isEmpty();
    }
}
