package org.truce.cli.node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.server.backup.Backup;
import org.truce.server.node.Node;
import org.truce.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce backup}: one file holding the log, its evidence and the operator's keys, taken while it serves. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a backup of the log in the data directory (or --db) to one file, while the server runs: "
                + "the checkpoint, every entry with its body, the evidence files and the operator's private keys, with "
                + "the root and state digest it was taken at. Keep it as safe as the keys.")
public final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions where;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "The backup file to write; must not exist.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (!Node.initialised(where.data)) {
            throw new CliException(ExitCodes.BAD_INPUT, where.data + " holds no log");
        }
        if (Files.exists(output)) {
            throw new CliException(ExitCodes.BAD_INPUT, output + " already exists");
        }
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        Backup.Manifest m;
        try (Store store = where.openStore()) {
            Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
            try (OutputStream out = Files.newOutputStream(partial)) {
                m = Backup.write(store, where.data, out, progress::update);
            }
            progress.finish();
            Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
        } catch (IllegalStateException | org.truce.store.StoreException e) {
            Files.deleteIfExists(partial);
            throw new CliException(ExitCodes.STORAGE, e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.printf("backup of %s written to %s: %d entries, %d evidence files%n", m.origin(), output, m.size(), m.evidence());
        out.printf("root %s, state digest %s%n", m.root().base64(), m.stateDigest().hex());
        return ExitCodes.OK;
    }
}
