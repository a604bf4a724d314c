package org.truce.cli.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.tlog.append.Appender;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TileStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce log append}: add entries to a directory log and sign a new checkpoint. */
@Command(name = "append", mixinStandardHelpOptions = true,
        description = {
            "Append entries to the log in DIR (created if empty) and sign a checkpoint per batch.",
            "Each FILE is one entry; with --lines, each non-empty line of each FILE is one entry. '-' reads standard input."
        })
public final class AppendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The log directory.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Entries to append.")
    List<String> files;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "The log's private key file.")
    Path key;

    @Option(names = "--lines", description = "Treat each non-empty line as an entry.")
    boolean lines;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4096",
            description = "Entries per signed checkpoint (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) {
            throw new CliException(ExitCodes.USAGE, "--batch must be at least 1");
        }
        var signer = Inputs.signer(key);
        List<byte[]> entries = lines ? readLines() : readWhole();
        Files.createDirectories(dir);
        Appender appender = Appender.open(TileStorage.directory(dir), signer);
        Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
        long first = appender.checkpoint().checkpoint().size();
        Checkpoint cp = appender.checkpoint().checkpoint();
        for (int i = 0; i < entries.size(); i += batch) {
            cp = appender.append(entries.subList(i, Math.min(entries.size(), i + batch))).checkpoint().checkpoint();
            progress.update(Math.min(entries.size(), i + batch), entries.size());
        }
        progress.finish();
        var out = spec.commandLine().getOut();
        out.printf("appended %d entries at indexes %d-%d%n", entries.size(), first, cp.size() - 1);
        out.printf("checkpoint %s size %d root %s%n", cp.origin(), cp.size(), cp.root());
        return ExitCodes.OK;
    }

    private List<byte[]> readWhole() {
        List<byte[]> out = new ArrayList<>();
        for (String f : files) {
            out.add(Inputs.read(f, EntryBundle.MAX_ENTRY_SIZE));
        }
        return out;
    }

    private List<byte[]> readLines() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String f : files) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    f.equals("-") ? System.in : Files.newInputStream(Path.of(f)), StandardCharsets.UTF_8))) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isEmpty()) {
                        continue;
                    }
                    byte[] e = line.getBytes(StandardCharsets.UTF_8);
                    if (e.length > EntryBundle.MAX_ENTRY_SIZE) {
                        throw new CliException(ExitCodes.BAD_INPUT, f + " line " + n + " is " + e.length
                                + " bytes; an entry is at most " + EntryBundle.MAX_ENTRY_SIZE);
                    }
                    out.add(e);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CliException(ExitCodes.BAD_INPUT, f + ": no such file");
            }
        }
        return out;
    }
}
