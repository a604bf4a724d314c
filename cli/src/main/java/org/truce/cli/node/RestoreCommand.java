package org.truce.cli.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.server.backup.Backup;
import org.truce.server.backup.BackupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce restore}: a backup replayed into an empty place, its root and state digest checked. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into a new or empty data directory (and an empty --db database): every entry "
                + "is replayed through the rules and must reach the backup's root and state digest. Then serve it with "
                + "truce serve --data DIR.")
public final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Mixin
    DataOptions where;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " is not a file");
        }
        Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
        Backup.Manifest m;
        try {
            m = Backup.restore(file, where.data, where.db, progress::update);
        } catch (BackupException e) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "cannot restore " + file + ": " + e.getMessage());
        } catch (java.util.zip.ZipException e) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " is not a backup: " + e.getMessage());
        }
        progress.finish();
        var out = spec.commandLine().getOut();
        out.printf("restored %s into %s: %d entries, %d evidence files%n", m.origin(), where.data, m.size(), m.evidence());
        out.printf("root %s and state digest %s, as when the backup was taken (%s)%n", m.root().base64(),
                m.stateDigest().hex(), m.taken());
        return ExitCodes.OK;
    }
}
