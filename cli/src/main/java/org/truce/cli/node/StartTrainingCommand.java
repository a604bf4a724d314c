package org.truce.cli.node;

import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.server.node.StartTraining;
import picocli.CommandLine.Command;

/**
 * {@code truce start-training}: what the launcher runs once after a build, under
 * {@code -XX:ArchiveClassesAtExit}, to write the class-data archive that later starts map.
 */
@Command(name = "start-training", hidden = true, mixinStandardHelpOptions = true,
        description = "Start a server on a throwaway log, sequence an entry and answer a few requests, then stop: "
                + "run by the truce launcher under -XX:ArchiveClassesAtExit to record the classes a start loads.")
public final class StartTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        try {
            StartTraining.run();
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.STORAGE, "the training server failed: " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
