package org.truce.cli.node;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.SecretFile;
import org.truce.core.entry.PartyId;
import org.truce.tlog.note.NoteKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce keys}: party keys. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Party keys.",
        subcommands = KeysCommand.Generate.class)
public final class KeysCommand {
    /** {@code truce keys generate}: a new Ed25519 key for a party. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate an Ed25519 key for a party. Writes the private key to --out (readable by the owner "
                    + "only) and prints the public key (vkey) for the operator to register.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--party", required = true, paramLabel = "ID", description = "The party id, e.g. us.")
        String party;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write the private key (default: ID.key).")
        Path out;

        @Override
        public Integer call() {
            if (!PartyId.isValid(party)) {
                throw new CliException(ExitCodes.BAD_INPUT, "'" + party
                        + "' is not a party id: 2 to 32 lowercase letters, digits and hyphens, starting with a letter");
            }
            Path file = out != null ? out : Path.of(party + ".key");
            NoteKeys.KeyPair k = NoteKeys.generate(party, NoteKeys.TYPE_ED25519, new SecureRandom());
            SecretFile.write(file, k.privateKey());
            spec.commandLine().getOut().println(k.vkey());
            spec.commandLine().getErr().println("private key written to " + file + "; keep it secret");
            return ExitCodes.OK;
        }
    }

}
