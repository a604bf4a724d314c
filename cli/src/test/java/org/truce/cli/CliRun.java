package org.truce.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line in the test's process: what it printed and returned. */
public record CliRun(int code, String out, String err) {
    public static CliRun truce(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Truce.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
