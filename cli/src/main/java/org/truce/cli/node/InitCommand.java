package org.truce.cli.node;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    DataOptions where;

    @Option(names = "--origin", paramLabel = "ORIGIN", defaultValue = Node.DEFAULT_ORIGIN,
            description = "The log's origin, a schema-less URL (default: ${DEFAULT-VALUE}).")
    String origin;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "Joint implementation centre",
            description = "The operator's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
        if (Node.initialised(where.data)) {
            throw new CliException(ExitCodes.BAD_INPUT, where.data + " already holds a log");
        }
        try (Node node = Node.init(where.data, origin, name, Clock.systemUTC(), where.db)) {
            var out = spec.commandLine().getOut();
            out.printf("log %s created in %s%n", origin, where.data);
            out.printf("checkpoint key (vkey): %s%n", node.checkpointKey().verifier().vkey());
            out.printf("operator entry key (vkey): %s%n", node.operator().vkey());
        } catch (IllegalStateException | org.truce.store.StoreException e) {
            throw new CliException(ExitCodes.STORAGE, e.getMessage());
        }
        return ExitCodes.OK;
    }
}
