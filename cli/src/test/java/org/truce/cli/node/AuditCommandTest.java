package org.truce.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;

class AuditCommandTest {
    @TempDir
    Path tmp;

    @Test
    void audit_demoLog_printsEntriesSignaturesAndRate() {
        Path data = demo();
        CliRun r = truce("audit", "--data", data.toString(), "--threads", "2");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).containsPattern("log test\\.example/log audited: [0-9,]+ entries, root ")
                .containsPattern("[0-9,]+ author signatures verified on 2 threads")
                .containsPattern("[0-9.]+ s, [0-9,]+ entries/s");
    }

    @Test
    void audit_bodyOfGenesisAlteredInTheDatabase_failsNamingTheEntry() throws Exception {
        String data = tmp.resolve("data").toString();
        assertThat(truce("init", "--data", data, "--origin", "test.example/log").code()).isEqualTo(ExitCodes.OK);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/truce.db").toAbsolutePath());
                PreparedStatement s = c.prepareStatement("UPDATE bodies SET body = ? WHERE idx = 0")) {
            s.setBytes(1, "{\"name\":\"someone else\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        CliRun r = truce("audit", "--data", data);
        assertThat(r.code()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err().lines().filter(l -> l.startsWith("truce: ")).toList()).as("one line on failure, after the progress")
                .singleElement().asString().startsWith("truce: audit failed at entry 0: the stored body hashes to ");
    }

    @Test
    void audit_otherLogKey_failsOnTheCheckpoint() {
        Path data = tmp.resolve("data");
        assertThat(truce("init", "--data", data.toString()).code()).isEqualTo(ExitCodes.OK);
        CliRun other = truce("keys", "generate", "--party", "us", "--out", tmp.resolve("us.key").toString());
        CliRun r = truce("audit", "--data", data.toString(), "--vkey", other.out().strip());
        assertThat(r.code()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("truce: audit failed at checkpoint: ");
    }

    @Test
    void audit_noThreads_isUsageError() {
        CliRun r = truce("audit", "--data", tmp.toString(), "--threads", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("truce: --threads must be at least 1" + System.lineSeparator());
    }

    @Test
    void audit_noLog_isBadInput() {
        CliRun r = truce("audit", "--data", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).startsWith("truce: ").contains("holds no log");
    }

    private Path demo() {
        Path dir = tmp.resolve("demo");
        try (Node node = Node.init(dir, "test.example/log", "Test", Clock.systemUTC())) {
            Demo.load(node, dir.resolve("keys"));
        }
        return dir;
    }
}
