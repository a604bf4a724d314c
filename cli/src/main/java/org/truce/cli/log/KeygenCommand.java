package org.truce.cli.log;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.truce.cli.ExitCodes;
import org.truce.cli.SecretFile;
import org.truce.tlog.note.NoteKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code truce log keygen}: a new log (or witness) key. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {
            "Generate an Ed25519 key for a log whose origin is ORIGIN.",
            "Writes the private key to --out (readable by the owner only) and prints the verifier key (vkey) on standard output."
        })
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--origin", required = true, paramLabel = "ORIGIN",
            description = "The log's origin and key name, a schema-less URL such as example.org/truce-log.")
    String origin;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "log.key",
            description = "Where to write the private key (default: ${DEFAULT-VALUE}). An existing file is never overwritten.")
    Path out;

    @Option(names = "--cosigner",
            description = "Generate a witness cosigning key (tlog-cosignature v1, type 0x04) instead of a log key.")
    boolean cosigner;

    @Override
    public Integer call() {
        byte type = cosigner ? NoteKeys.TYPE_COSIGNATURE_V1 : NoteKeys.TYPE_ED25519;
        NoteKeys.KeyPair pair = NoteKeys.generate(origin, type, new SecureRandom());
        SecretFile.write(out, pair.privateKey());
        spec.commandLine().getOut().println(pair.vkey());
        spec.commandLine().getErr().println("private key written to " + out + "; keep it secret");
        return ExitCodes.OK;
    }
}
