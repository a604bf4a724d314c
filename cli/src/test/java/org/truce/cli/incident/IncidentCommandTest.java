package org.truce.cli.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;

/** {@code truce incident}, {@code report}, {@code export} and {@code import} against a running demo server. */
class IncidentCommandTest {
    @TempDir
    static Path tmp;

    private static Node node;
    private static String server;
    private static Path keys;

    @BeforeAll
    static void start() {
        Path dir = tmp.resolve("node");
        node = Node.init(dir, "test.example/log", "Test", Clock.systemUTC());
        keys = dir.resolve("keys");
        Demo.load(node, keys);
        server = "http://127.0.0.1:" + node.serve("127.0.0.1", 0).port();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static CliRun ok(String... args) {
        CliRun r = truce(args);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        return r;
    }

    private static String line(String out, String start) {
        return out.lines().filter(l -> l.strip().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + out));
    }

    @Test
    void show_convoy_printsEveryClaimSideBySide() {
        String out = ok("incident", "show", Demo.CONVOY, "--server", server).out();
        assertThat(out.lines().findFirst().orElseThrow()).contains("Urum al-Kubra", "contested");
        assertThat(line(out, "ru denies")).contains("2016-09-20 09:30Z");
        assertThat(line(out, "us alleges ru")).contains("2016-09-20 15:00Z");
        assertThat(line(out, "ctf: possible")).contains("revised later");
        assertThat(line(out, "ctf: likely")).doesNotContain("revised");
        assertThat(line(out, "casualties:")).contains("killed 20 (18–?)");
    }

    @Test
    void notificationShow_convoy_acknowledgementsAndTheIncidentNearIt() {
        String out = ok("notification", "show", "movement", "un-sarc-convoy-2016-09-19", "--server", server).out();
        assertThat(line(out, "leg unloading")).contains("2016-09-19 11:00Z – 2016-09-19 16:00Z");
        assertThat(line(out, "us  acknowledged")).contains("2016-09-18 09:00Z");
        assertThat(line(out, "sy  overdue")).isNotEmpty();
        assertThat(line(out, "2016-09-19 16:00Z  " + Demo.CONVOY)).as("the incident is on the route").contains(" 0 m ");
        String owed = ok("notification", "list", "site", "--party", "sy", "--unacknowledged", "--server", server).out();
        assertThat(owed).contains("al-quds-hospital-aleppo", "sarc-warehouse-urum-al-kubra", "sy overdue");
        assertThat(truce("notification", "list", "volume", "--server", server).code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void deconflictCheck_volumeOverTheConvoyRoute_namesTheMovementAndTheWarehouse() throws Exception {
        Path volume = tmp.resolve("volume.json");
        Files.writeString(volume, """
                {"id": "test-flight", "state": "accepted", "key": [],
                 "footprint": {"type": "circle", "center": [36.951, 36.151], "radius": 2000},
                 "altitude": {"lower": 0, "upper": 5000, "reference": "AGL"},
                 "time": {"from": "2016-09-19T15:00:00Z", "to": "2016-09-19T18:00:00Z"}}
                """);
        String out = ok("deconflict", "check", volume.toString(), "--server", server).out();
        assertThat(out).startsWith("meets 2:");
        assertThat(line(out, "movement")).contains("un-sarc-convoy-2016-09-19", "ocha");
        assertThat(line(out, "site")).contains("sarc-warehouse-urum-al-kubra", "sarc");
        assertThat(line(out, "key:")).contains("\"type\":\"site\"", "\"type\":\"movement\"");
        Files.writeString(volume, "{\"id\": \"x\"}");
        CliRun bad = truce("deconflict", "check", volume.toString(), "--server", server);
        assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err()).contains("schema");
    }

    @Test
    void areaAt_jabalTharda_before17September_theArmysDeclaredPositions_andTheWarningACheckRaises() {
        String out = ok("area", "at", "--point", "40.17,35.26", "--at", "2016-09-17", "--server", server).out();
        assertThat(line(out, "syrian-arab-army")).contains("presence", "sy", "2016-01-01 00:00Z", Demo.THARDA_POSITIONS);
        assertThat(ok("area", "at", "--point", "40.17,35.26", "--at", "2015-12-31", "--server", server).out())
                .contains("nobody that you may see");
        String check = ok("deconflict", "check", tmp.resolve("node/volume-jabal-tharda-2016-09-17.json").toString(), "--server",
                server).out();
        assertThat(line(check, "area")).contains(Demo.THARDA_POSITIONS, "sy");
    }

    @Test
    void list_contested_showsOnlyTheIncidentsWhoseClaimsDisagree() {
        String out = ok("incident", "list", "--contested", "--server", server).out();
        assertThat(out).contains(Demo.CONVOY, "khan-shaykhun-2017-04-04").doesNotContain("jabal-tharda");
        assertThat(truce("incident", "list", "--bbox", "1,2,3", "--server", server).err()).contains("bbox");
    }

    @Test
    void reportDaily_19September_tablesByRegionAndParty() throws Exception {
        String out = ok("report", "daily", "--date", "2016-09-19", "--server", server).out();
        assertThat(out).contains("Incidents: 1 on the day, 0 the day before (+1), 3 since 2016-02-22");
        assertThat(line(out, "Aleppo")).contains("1", "+1", "2");
        assertThat(line(out, "ru (Russian Federation)")).contains("day");
        assertThat(line(out, "2016-09-19 16:00Z")).contains("contested", Demo.CONVOY);
        Path html = tmp.resolve("report.html");
        ok("report", "daily", "--date", "2016-09-19", "--format", "html", "-o", html.toString(), "--server", server);
        assertThat(Files.readString(html)).contains("<h1", "Daily report 2016-09-19");
        CliRun bad = truce("report", "daily", "--date", "19/09/2016", "--server", server);
        assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err()).contains("date");
    }

    @Test
    void export_csv_holdsTheDemoIncidentsUnderAnHxlRow() throws Exception {
        Path csv = tmp.resolve("incidents.csv");
        ok("export", "incidents", "-o", csv.toString(), "--server", server);
        java.util.List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("event_id_cnty,event_date,year,time_precision");
        assertThat(lines.get(1)).startsWith("\"#event+code\"");
        assertThat(String.join("\n", lines)).contains(Demo.CONVOY, "khan-shaykhun-2017-04-04", "jabal-tharda-2016-09-17");
    }

    @Test
    void exportCap_writesOneValidAlertPerNotifiedIncident() throws Exception {
        Path dir = tmp.resolve("cap");
        String out = ok("export", "cap", "-o", dir.toString(), "--server", server).out();
        assertThat(out).startsWith("1 CAP alert written");
        String xml = Files.readString(dir.resolve("truce-" + Demo.CONVOY + "-v1.xml"));
        assertThat(xml).contains("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">", "<msgType>Alert</msgType>",
                "<certainty>Likely</certainty>", "us (alleges", "ru (denies");
    }

    @Test
    void importAcled_dryRunThenReal_goodRowsImportedTogether_badOnesReportedByLine() throws Exception {
        Path csv = tmp.resolve("acled.csv");
        Files.writeString(csv, """
                event_id_cnty,event_date,time_precision,event_type,sub_event_type,admin1,location,latitude,longitude,geo_precision,fatalities,source
                SYR90001,2016-09-21,1,Explosions/Remote violence,Shelling/artillery/missile attack,Aleppo,Aleppo,36.2021,37.1343,1,2,SOHR
                SYR90002,2016-09-31,1,Battles,Armed clash,Aleppo,Aleppo,36.2021,37.1343,1,0,SOHR
                SYR90003,2016-09-22,1,Battles,Armed clash,Hama,Hama,35.1318,36.7578,2,5,SOHR
                """);
        Path key = keys.resolve("ocha.key");
        long before = node.store().<Long>read(tx -> tx.size());
        CliRun dry = truce("import", "acled", csv.toString(), "--key", key.toString(), "--dry-run", "--server", server);
        assertThat(dry.code()).as(dry.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(dry.out()).contains("3 rows read: 2 to import, 1 rejected", "dry run: 2 would be imported");
        assertThat(dry.err()).contains("line 3: event_date: '2016-09-31'");
        assertThat(node.store().<Long>read(tx -> tx.size())).as("a dry run writes nothing").isEqualTo(before);

        Path rejected = tmp.resolve("rejected.csv");
        CliRun real = truce("import", "acled", csv.toString(), "--key", key.toString(), "--rejected", rejected.toString(),
                "--server", server);
        assertThat(real.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(real.out()).contains("2 imported at log indexes " + before + "–" + (before + 1));
        assertThat(Files.readAllLines(rejected)).hasSize(2).element(1).asString().startsWith("3,");
        assertThat(ok("incident", "list", "--region", "Hama", "--server", server).out()).contains("syr90003");

        CliRun again = truce("import", "acled", csv.toString(), "--key", key.toString(), "--server", server);
        assertThat(again.err()).contains("line 2: ", "already recorded", "line 3: ", "line 4: ");
        assertThat(node.store().<Long>read(tx -> tx.size())).isEqualTo(before + 2);
    }

    @Test
    void importAcled_fileWithoutAcledColumns_failsWhole_withOneLine() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "id,date\n1,2016-09-19\n");
        CliRun r = truce("import", "acled", csv.toString(), "--key", keys.resolve("ocha.key").toString(), "--server", server);
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines().filter(l -> l.startsWith("truce:"))).hasSize(1);
        assertThat(r.err()).contains("lacks the columns event_id_cnty", "nothing was imported");
    }
}
