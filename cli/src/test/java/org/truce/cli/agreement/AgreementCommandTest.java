package org.truce.cli.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;
import org.truce.core.json.Json;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;

/** {@code truce agreement} and {@code truce actor} against a running server loaded with the demo. */
class AgreementCommandTest {
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
        assertThat(r.err()).isEmpty();
        return r;
    }

    /** The line of the output that starts with {@code start}. */
    private static String line(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + out));
    }

    // ---- status ----

    @Test
    void status_geneva20September_tablePerStepAndParty_jicBlockedOnSyAndHnc() {
        String out = ok("agreement", "status", Demo.GENEVA, "--server", server, "--at", "2016-09-20").out();
        assertThat(out).startsWith("geneva-2016-09  Geneva arrangement of 9 September 2016");
        assertThat(out).contains("as of 2016-09-20 00:00Z");
        assertThat(line(out, "STEP")).contains("OBLIGATED", "DEADLINE", "STATUS", "BLOCKED ON");
        assertThat(line(out, "recommit ")).contains("sy+hnc", "2016-09-14 16:00Z", "fulfilled", "3 full by ctf");
        assertThat(line(out, "castello ")).contains("sy, hnc", "overdue");
        assertThat(line(out, "seven-days ")).contains("2016-09-21 16:00Z", "disputed", "1 minimal by ctf");
        assertThat(line(out, "jic ")).contains("us+ru", "waiting for step seven-days assessed full", "blocked",
                "seven-days (sy, hnc)");
        assertThat(line(out, "PARTY")).contains("STANDING", "OWES", "HOLDS UP");
        assertThat(line(out, "hnc ")).contains("accepted 2016-09-12 12:00Z", "overdue: castello", "disputed: seven-days", "jic");
        assertThat(out).contains("critical path from phase 1 to phase 2: seven-days (disputed, deadline 2016-09-21 16:00Z)");
    }

    @Test
    void status_json_printsTheServersAnswer() throws Exception {
        String out = ok("agreement", "status", Demo.CESSATION, "--server", server, "--at", "2016-06-10T03:00:00+03:00",
                "--json").out();
        JsonNode s = Json.parse(out.getBytes(StandardCharsets.UTF_8));
        assertThat(s.get("asOf").asText()).isEqualTo("2016-06-10T00:00:00Z");
        List<String> statuses = new ArrayList<>();
        s.get("steps").forEach(st -> statuses.add(st.get("id").asText() + "=" + st.get("status").asText()));
        assertThat(statuses).containsExactly("accept-sy=fulfilled", "accept-hnc=fulfilled", "in-force=disputed",
                "separation=due");
    }

    @Test
    void status_withKey_showsWhatIsRestrictedToThatParty() throws Exception {
        Path body = tmp.resolve("extension.json");
        Files.writeString(body, "{\"agreement\":\"geneva-2016-09\",\"step\":\"castello\",\"until\":\"2016-09-16T16:00:00Z\","
                + "\"reason\":\"more time for the convoy\"}");
        CliRun submitted = truce("submit", "deadline.extension", body.toString(), "--key", keys.resolve("us.key").toString(),
                "--server", server, "--visibility", "ru,us");
        assertThat(submitted.code()).as(submitted.err()).isEqualTo(ExitCodes.OK);
        String asRu = ok("agreement", "status", Demo.GENEVA, "--server", server, "--key", keys.resolve("ru.key").toString())
                .out();
        assertThat(asRu).contains("awaiting ru: an extension of step castello to 2016-09-16 16:00Z, requested by us");
        String asPublic = ok("agreement", "status", Demo.GENEVA, "--server", server).out();
        assertThat(asPublic).doesNotContain("awaiting ru");
        String asSy = ok("agreement", "status", Demo.GENEVA, "--server", server, "--key", keys.resolve("sy.key").toString())
                .out();
        assertThat(asSy).doesNotContain("awaiting ru");
    }

    // ---- list, show, timeline ----

    @Test
    void list_showsBothAgreementsWithStepsCountedByStatus() {
        String out = ok("agreement", "list", "--server", server, "--at", "2016-09-20").out();
        assertThat(line(out, "cessation-2016-02 ")).contains("2016-02-22 18:00Z", "us, ru", "sy, hnc",
                "1 overdue", "1 disputed", "2 fulfilled");
        assertThat(line(out, "geneva-2016-09 ")).contains("1 overdue", "2 blocked", "1 disputed", "1 fulfilled");
        assertThat(ok("agreement", "list", "--server", server, "--at", "2016-09-01").out()).doesNotContain("geneva-2016-09");
    }

    @Test
    void show_printsTheSignedTerms_withLocalTimesAndDeadlineRules() {
        String out = ok("agreement", "show", Demo.CESSATION, "--server", server).out();
        assertThat(out).contains("excludes:   isil, jabhat-al-nusra");
        assertThat(out).contains("deadline:       2016-02-26 10:00Z (2016-02-26 12:00 Asia/Damascus)");
        assertThat(out).contains("deadline:       2016-02-26 22:00Z (2016-02-27 00:00 Asia/Damascus)");
        assertThat(out).contains("obligated:      sy and hnc, together");
        assertThat(out).contains("preconditions:  accept-sy, accept-hnc");
        String geneva = ok("agreement", "show", Demo.GENEVA, "--server", server).out();
        assertThat(geneva).contains("deadline:       48 hours after the effective time",
                "deadline:       7 days after step recommit is assessed full");
    }

    @Test
    void timeline_cessation_eventsAndTheExtendedDeadline() {
        String out = ok("agreement", "timeline", Demo.CESSATION, "--server", server, "--at", "2016-06-10").out();
        assertThat(line(out, "2016-02-26 07:00Z")).contains("sy", "accepted");
        assertThat(out).contains("assessed step in-force: 2 (intermediate)");
        assertThat(line(out, "2016-05-24 14:00Z")).contains("us", "requested an extension of step separation");
        assertThat(line(out, "  separation")).contains("2016-05-25 21:00Z", "original");
        assertThat(out).contains("2016-06-15 21:00Z  extension requested by us, agreed by ru, in effect from 2016-05-25 08:00Z");
    }

    // ---- actors ----

    @Test
    void actorShow_byAFormerName_findsTheOneActor() {
        String out = ok("actor", "show", "Jabhat al-Nusra", "--server", server, "--at", "2016-08-01").out();
        assertThat(out).startsWith("jabhat-al-nusra  Jabhat Fatah al-Sham  (armed-group)");
        assertThat(line(out, "  status:")).contains("excluded");
        assertThat(line(out, "  2016-02-26 22:00Z")).contains("excluded", "cessation-2016-02", "UN Security Council designation");
        assertThat(line(out, "  2016-07-28 00:00Z")).contains("renamed", "Jabhat Fatah al-Sham");
        assertThat(ok("actor", "show", "isil", "--server", server, "--at", "2016-02-23").out()).contains("status:         unknown");
    }

    // ---- failures ----

    @Test
    void failures_oneLineWithTheExitCode() throws Exception {
        CliRun unknown = truce("agreement", "status", "no-such", "--server", server);
        assertThat(unknown.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).startsWith("truce: agreement: no agreement no-such recorded by ").hasLineCount(1);
        CliRun before = truce("agreement", "timeline", Demo.GENEVA, "--server", server, "--at", "2016-09-01");
        assertThat(before.code()).isEqualTo(ExitCodes.BAD_INPUT);
        CliRun badTime = truce("agreement", "status", Demo.GENEVA, "--server", server, "--at", "2016-02-30");
        assertThat(badTime.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTime.err()).startsWith("truce: --at: '2016-02-30' is not a time").hasLineCount(1);
        CliRun badServer = truce("agreement", "list", "--server", "ftp://example");
        assertThat(badServer.code()).isEqualTo(ExitCodes.USAGE);
        CliRun down = truce("agreement", "list", "--server", "http://127.0.0.1:1");
        assertThat(down.code()).isEqualTo(ExitCodes.STORAGE);
        assertThat(down.err()).startsWith("truce: cannot reach http://127.0.0.1:1").hasLineCount(1);
        CliRun noKey = truce("agreement", "list", "--server", server, "--key", tmp.resolve("none.key").toString());
        assertThat(noKey.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noKey.err()).contains("no such file");
        Path stranger = tmp.resolve("xx.key");
        assertThat(truce("keys", "generate", "--party", "xx", "--out", stranger.toString()).code()).isEqualTo(ExitCodes.OK);
        CliRun refused = truce("agreement", "list", "--server", server, "--key", stranger.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).startsWith("truce: login as xx+").contains("refused").hasLineCount(1);
        CliRun nobody = truce("actor", "show", "Nobody At All", "--server", server);
        assertThat(nobody.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(nobody.err()).isEqualTo("truce: no actor has the name 'Nobody At All'\n");
        assertThat(truce("agreement", "status", "--server", server).code()).as("no agreement given").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void help_everyCommandAndOptionIsDescribed() {
        for (String[] cmd : List.of(new String[] {"agreement"}, new String[] {"agreement", "list"},
                new String[] {"agreement", "show"}, new String[] {"agreement", "status"}, new String[] {"agreement", "timeline"},
                new String[] {"actor"}, new String[] {"actor", "show"})) {
            List<String> args = new ArrayList<>(List.of(cmd));
            args.add("--help");
            String help = ok(args.toArray(String[]::new)).out();
            assertThat(help).startsWith("Usage: truce " + String.join(" ", cmd));
            if (cmd.length == 2) {
                assertThat(help).contains("--server=URL", "--at=TIME", "--key=KEYFILE", "--json");
            }
        }
    }
}
