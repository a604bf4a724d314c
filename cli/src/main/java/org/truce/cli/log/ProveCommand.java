package org.truce.cli.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.append.Appender;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.tiles.TileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code truce log prove}: write the offline proof bundle of one entry. */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = {
            "Write the C2SP tlog-proof bundle of entry INDEX to standard output: the entry, its inclusion proof and the log's signed checkpoint. Anyone can check it offline with 'truce log check-proof'."
        })
public final class ProveCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR|URL", description = "The log directory or its base URL.")
    String where;

    @Parameters(index = "1", paramLabel = "INDEX", description = "The zero-based index of the entry.")
    long index;

    @Option(names = "--vkey", paramLabel = "VKEY",
            description = "Verify the checkpoint with this log key (or @FILE) before proving from it.")
    @Nullable String vkey;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the bundle to FILE instead of standard output.")
    @Nullable Path output;

    @Override
    public Integer call() throws FormatException, IOException {
        TileReader log = Inputs.log(where);
        byte[] note = log.read(Appender.CHECKPOINT)
                .orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT, where + " has no checkpoint"));
        SignedNote checkpoint = SignedNote.parse(note);
        if (vkey != null) {
            try {
                Checkpoint.open(note, Inputs.vkey(vkey));
            } catch (VerificationException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "the log's checkpoint does not verify: " + e.getMessage());
            }
        }
        byte[] bundle = TlogProof.create(log, checkpoint, index).encode();
        if (output != null) {
            Files.write(output, bundle);
        } else {
            OutputStream out = System.out;
            out.write(bundle);
            out.flush();
        }
        return ExitCodes.OK;
    }
}
