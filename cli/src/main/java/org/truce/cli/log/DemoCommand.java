package org.truce.cli.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.cli.SecretFile;
import org.truce.tlog.FormatException;
import org.truce.tlog.append.Appender;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.tiles.TileStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce log demo}: generate a demo log to try the other commands on. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Generate a demo log in DIR: a new log key (DIR/log.key, DIR/log.vkey) and --entries entries in DIR/log, then print the commands to verify it, prove an entry and check the proof offline."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final String[] KINDS = {
        "message", "notification.site", "notification.movement", "notification.ack", "incident.observation"
    };

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", defaultValue = "truce-demo",
            description = "Where to create the demo (default: ${DEFAULT-VALUE}); must not exist yet.")
    Path dir;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "70000",
            description = "How many entries to generate (default: ${DEFAULT-VALUE}, the C2SP tiles example size).")
    int entries;

    @Option(names = "--origin", paramLabel = "ORIGIN", defaultValue = "demo.truce.example/log",
            description = "The demo log's origin (default: ${DEFAULT-VALUE}).")
    String origin;

    @Override
    public Integer call() throws IOException, FormatException {
        if (entries < 1) {
            throw new CliException(ExitCodes.USAGE, "--entries must be at least 1");
        }
        if (Files.exists(dir)) {
            throw new CliException(ExitCodes.BAD_INPUT, dir + " already exists; choose a new directory");
        }
        Path logDir = dir.resolve("log");
        Files.createDirectories(logDir);
        NoteKeys.KeyPair key = NoteKeys.generate(origin, NoteKeys.TYPE_ED25519, new SecureRandom());
        SecretFile.write(dir.resolve("log.key"), key.privateKey());
        Files.writeString(dir.resolve("log.vkey"), key.vkey() + "\n", StandardCharsets.UTF_8);
        Appender appender = Appender.open(TileStorage.directory(logDir), NoteKeys.parseSigner(key.privateKey()));
        Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
        int batch = 4096;
        Checkpoint cp = appender.checkpoint().checkpoint();
        for (int start = 0; start < entries; start += batch) {
            List<byte[]> chunk = new ArrayList<>(batch);
            for (int i = start; i < Math.min(entries, start + batch); i++) {
                chunk.add(entry(i));
            }
            cp = appender.append(chunk).checkpoint().checkpoint();
            progress.update(cp.size(), entries);
        }
        progress.finish();
        Path checkpointCopy = dir.resolve("checkpoint.trusted");
        Files.write(checkpointCopy, appender.checkpoint().note().encode());
        var out = spec.commandLine().getOut();
        String d = dir.toString();
        out.printf("demo log %s: %d entries in %s, root %s%n", cp.origin(), cp.size(), logDir, cp.root());
        out.println("try:");
        out.printf("  ./truce log verify %s/log --vkey @%s/log.vkey%n", d, d);
        out.printf("  ./truce log prove %s/log 12345 > %s/entry.tlog-proof%n", d, d);
        out.printf("  ./truce log check-proof %s/entry.tlog-proof --vkey @%s/log.vkey%n", d, d);
        out.printf("  ./truce log append %s/log --key %s/log.key --lines README.md%n", d, d);
        out.printf("  ./truce log verify %s/log --vkey @%s/log.vkey --trusted %s%n", d, d, checkpointCopy);
        return ExitCodes.OK;
    }

    private static byte[] entry(int i) {
        String json = String.format(Locale.ROOT, "{\"demo\":%d,\"kind\":\"%s\",\"text\":\"demo entry %d\"}",
                i, KINDS[i % KINDS.length], i);
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
