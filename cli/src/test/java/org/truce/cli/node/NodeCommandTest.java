package org.truce.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;

class NodeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initThenRebuild_freshLog_digestsEqual() {
        String data = tmp.resolve("data").toString();
        CliRun init = truce("init", "--data", data, "--origin", "test.example/log");
        assertThat(init.code()).isEqualTo(ExitCodes.OK);
        assertThat(init.out()).contains("log test.example/log created", "checkpoint key (vkey): test.example/log+");
        CliRun again = truce("init", "--data", data);
        assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already holds a log");
        CliRun rebuild = truce("rebuild", "--data", data);
        assertThat(rebuild.code()).isEqualTo(ExitCodes.OK);
        assertThat(rebuild.out()).contains("equal: the state is exactly what the log says");
    }

    @Test
    void submit_asDemoParty_sequencedOrRefusedWithTheServersReason() throws Exception {
        Path dir = tmp.resolve("node");
        try (Node node = Node.init(dir, "test.example/log", "Test", Clock.systemUTC())) {
            Demo.load(node, dir.resolve("keys"));
            String server = "http://127.0.0.1:" + node.serve("127.0.0.1", 0).port();
            Path body = tmp.resolve("m.json");
            Files.writeString(body, "{\"to\":[\"ru\"],\"subject\":\"Test\",\"text\":\"from the CLI\"}");
            String key = dir.resolve("keys/us.key").toString();
            CliRun ok = truce("submit", "message", body.toString(), "--key", key, "--server", server, "--visibility", "ru,us");
            assertThat(ok.code()).as(ok.err()).isEqualTo(ExitCodes.OK);
            assertThat(ok.out()).contains("\"index\":", "\"duplicate\":false");
            CliRun again = truce("submit", "message", body.toString(), "--key", key, "--server", server);
            assertThat(again.code()).as("a second message gets the next seq").isEqualTo(ExitCodes.OK);
            Files.writeString(body, "{\"to\":[\"ru\"]}");
            CliRun bad = truce("submit", "message", body.toString(), "--key", key, "--server", server);
            assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(bad.err()).contains("refused (422)", "subject");
        }
    }

    @Test
    void startTraining_runsAServerAndStops_butIsNotInTheHelp() {
        CliRun r = truce("start-training");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(truce("--help").out()).contains("serve", "demo").doesNotContain("start-training");
    }

    @Test
    void keysGenerate_party_writesKeyAndPrintsVkey() throws Exception {
        Path key = tmp.resolve("us.key");
        CliRun r = truce("keys", "generate", "--party", "us", "--out", key.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("us+");
        assertThat(Files.readString(key)).startsWith("PRIVATE+KEY+us+");
        assertThat(truce("keys", "generate", "--party", "Bad Id").code()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void initAndRebuild_onPostgres_digestsEqual() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            String url = pg.getJdbcUrl("postgres", "postgres") + "&password=postgres";
            String data = tmp.resolve("keys").toString();
            CliRun init = truce("init", "--data", data, "--db", url);
            assertThat(init.code()).as(init.err()).isEqualTo(ExitCodes.OK);
            CliRun rebuild = truce("rebuild", "--data", data, "--db", url);
            assertThat(rebuild.code()).as(rebuild.err()).isEqualTo(ExitCodes.OK);
            assertThat(rebuild.out()).contains("equal");
            assertThat(Files.exists(tmp.resolve("keys").resolve("truce.db"))).as("no embedded database").isFalse();
        }
    }

    @Test
    void rebuild_noLog_isBadInput() {
        CliRun r = truce("rebuild", "--data", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).startsWith("truce: ");
    }
}
