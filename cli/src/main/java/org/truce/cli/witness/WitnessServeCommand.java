package org.truce.cli.witness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.server.witness.WitnessServer;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.witness.Witness;
import org.truce.tlog.witness.WitnessStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce witness serve}: the witness's HTTP service. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Serve POST /add-checkpoint (C2SP tlog-witness) for the logs given, and GET /<sha256 of origin>/checkpoint "
                    + "with the latest checkpoint cosigned for each. Stops on Ctrl-C.",
            "A log is named by its checkpoint key's vkey; its origin is the key's name."
        })
public final class WitnessServeCommand implements Callable<Integer> {
    /** The most bytes read from a file of log keys. */
    private static final int MAX_LOGS_FILE = 1 << 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "truce-witness",
            description = "The data directory made by 'truce witness init' (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7380", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--log", paramLabel = "VKEY", description = "A log to follow, by its checkpoint key (repeatable).")
    List<String> logs = new ArrayList<>();

    @Option(names = "--logs", paramLabel = "FILE",
            description = "A file of logs to follow: a vkey per line, or a tlog-policy file whose 'log' lines are read.")
    @Nullable Path logsFile;

    @Override
    public Integer call() throws InterruptedException {
        CosignatureV1.Cosigner cosigner = cosigner(data.resolve(WitnessInitCommand.KEY_FILE));
        List<Witness.Log> followed = logs(logs, logsFile);
        if (followed.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "no log to follow; give --log VKEY or --logs FILE");
        }
        WitnessStore store;
        Witness witness;
        WitnessServer server;
        try {
            store = WitnessStore.directory(data);
            witness = new Witness(cosigner, followed, store);
            server = new WitnessServer(witness).start(host, port);
        } catch (TlogException e) {
            throw new CliException(ExitCodes.STORAGE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }, "truce-witness-shutdown"));
        var out = spec.commandLine().getOut();
        out.printf("truce: witness %s at http://%s:%d%n", cosigner.name(), host, server.port());
        out.printf("  vkey:  %s%n", witness.vkey());
        for (Witness.Log l : followed) {
            out.printf("  log:   %s (GET /%s/checkpoint)%n", l.origin(), Witness.originHash(l.origin()));
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static CosignatureV1.Cosigner cosigner(Path keyFile) {
        try {
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            return NoteKeys.parseCosigner(key, Clock.systemUTC());
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, keyFile + ": no such file; create it with 'truce witness init'");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, keyFile + ": " + e.getMessage());
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "bad witness key in " + keyFile + ": " + e.getMessage());
        }
    }

    /** The logs named on the command line and in the file, each once. */
    static List<Witness.Log> logs(List<String> vkeys, @Nullable Path file) {
        List<String> all = new ArrayList<>(vkeys);
        if (file != null) {
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException(ExitCodes.BAD_INPUT, file + ": " + e.getMessage());
            }
            if (data.length > MAX_LOGS_FILE) {
                throw new CliException(ExitCodes.BAD_INPUT, file + " is larger than " + MAX_LOGS_FILE + " bytes");
            }
            boolean policy = false;
            List<String> plain = new ArrayList<>();
            for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.strip().split("[ \t]+");
                if (f[0].isEmpty() || f[0].startsWith("#")) {
                    continue;
                }
                if (f[0].equals("log") && f.length >= 2) {
                    policy = true;
                    all.add(f[1]);
                } else if (f[0].equals("witness") || f[0].equals("group") || f[0].equals("quorum")) {
                    policy = true;
                } else {
                    plain.add(f[0]);
                }
            }
            if (!policy) {
                all.addAll(plain);
            }
        }
        List<Witness.Log> out = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (String v : all) {
            Witness.Log l;
            try {
                l = Witness.Log.of(NoteKeys.parseVerifier(v));
            } catch (FormatException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "bad log key " + v + ": " + e.getMessage());
            }
            if (!origins.contains(l.origin())) {
                origins.add(l.origin());
                out.add(l);
            }
        }
        return out;
    }
}
