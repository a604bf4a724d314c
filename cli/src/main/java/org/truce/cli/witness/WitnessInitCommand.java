package org.truce.cli.witness;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.KeyFiles;
import org.truce.tlog.note.NoteKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce witness init}: a new witness key in a data directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a witness's data directory with a new tlog-cosignature v1 key (type 0x04) and print its "
                + "vkey, which logs and policies name the witness by.")
public final class WitnessInitCommand implements Callable<Integer> {
    /** The private key file in a witness's data directory. */
    static final String KEY_FILE = "witness.key";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "truce-witness",
            description = "The witness's data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "The witness's key name, a schema-less URL such as witness.example.org/w1.")
    String name;

    @Override
    public Integer call() {
        NoteKeys.KeyPair keys;
        try {
            keys = CosignatureV1.generate(name, new SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
        Path key = data.resolve(KEY_FILE);
        try {
            Files.createDirectories(data);
            KeyFiles.writeNew(key, keys.privateKey());
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.BAD_INPUT, key + " exists; a witness keeps its key");
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot write " + key + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println(keys.vkey());
        return ExitCodes.OK;
    }
}
