package org.truce.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;

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
    void rebuild_noLog_isBadInput() {
        CliRun r = truce("rebuild", "--data", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).startsWith("truce: ");
    }
}
