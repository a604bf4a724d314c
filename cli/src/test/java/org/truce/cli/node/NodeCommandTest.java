package org.truce.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.ExitCodes;
import org.truce.cli.Truce;

class NodeCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run truce(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Truce.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void initThenRebuild_freshLog_digestsEqual() {
        String data = tmp.resolve("data").toString();
        Run init = truce("init", "--data", data, "--origin", "test.example/log");
        assertThat(init.code()).isEqualTo(ExitCodes.OK);
        assertThat(init.out()).contains("log test.example/log created", "checkpoint key (vkey): test.example/log+");
        Run again = truce("init", "--data", data);
        assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already holds a log");
        Run rebuild = truce("rebuild", "--data", data);
        assertThat(rebuild.code()).isEqualTo(ExitCodes.OK);
        assertThat(rebuild.out()).contains("equal: the state is exactly what the log says");
    }

    @Test
    void rebuild_noLog_isBadInput() {
        Run r = truce("rebuild", "--data", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).startsWith("truce: ");
    }
}
