package org.truce.cli.access;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** How a command reads a server: where it is, as of when, as whom, and whether to print its raw JSON. */
public final class ReadOptions {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The server (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--at", paramLabel = "TIME",
            description = "The moment to look at: an RFC 3339 time such as 2016-09-20T00:00:00Z or "
                    + "2016-09-20T03:00:00+03:00, or a date such as 2016-09-20 (its 00:00 UTC). The view sees only what "
                    + "was recorded by then (default: the server's clock now).")
    @Nullable String at;

    @Option(names = "--key", paramLabel = "KEYFILE",
            description = "Sign in as the party whose private key this is (the server's signed login), to see the "
                    + "records restricted to that party as well as the public ones.")
    @Nullable Path key;

    @Option(names = "--json", description = "Print the server's JSON answer instead of text.")
    boolean json;

    /** Whether to print the server's JSON rather than text. */
    public boolean json() {
        return json;
    }
}
