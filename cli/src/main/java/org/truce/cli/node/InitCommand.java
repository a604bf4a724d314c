package org.truce.cli.node;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce init}: a new log with the operator's keys and its genesis entry. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a new log in the data directory: the operator's checkpoint key and entry key "
                + "(readable by the owner only) and the genesis entry.")
public final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "truce-data",
            description = "The data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC-URL",
            description = "A PostgreSQL database (jdbc:postgresql://host/db?user=…&password=…) instead of the "
                    + "embedded SQLite database in the data directory, which keeps the operator's keys either way.")
    @org.jspecify.annotations.Nullable String db;

    @Option(names = "--origin", paramLabel = "ORIGIN", defaultValue = Node.DEFAULT_ORIGIN,
            description = "The log's origin, a schema-less URL (default: ${DEFAULT-VALUE}).")
    String origin;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "Joint implementation centre",
            description = "The operator's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
        if (Node.initialised(data)) {
            throw new CliException(ExitCodes.BAD_INPUT, data + " already holds a log");
        }
        try (Node node = Node.init(data, origin, name, Clock.systemUTC(), db)) {
            var out = spec.commandLine().getOut();
            out.printf("log %s created in %s%n", origin, data);
            out.printf("checkpoint key (vkey): %s%n", node.checkpointKey().verifier().vkey());
            out.printf("operator entry key (vkey): %s%n", node.operator().vkey());
        } catch (IllegalStateException | org.truce.store.StoreException e) {
            throw new CliException(ExitCodes.STORAGE, e.getMessage());
        }
        return ExitCodes.OK;
    }
}
