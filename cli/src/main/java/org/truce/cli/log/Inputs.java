package org.truce.cli.log;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.tiles.HttpTileReader;
import org.truce.tlog.tiles.TileReader;
import org.truce.tlog.tiles.TileStorage;
import org.truce.tlog.witness.Policy;
import org.jspecify.annotations.Nullable;

/** Reading what the user names on the command line: keys, files and logs, each bounded. */
final class Inputs {
    /** The largest file read whole: a proof bundle, a checkpoint, a key or one entry. */
    static final int MAX_FILE = 1 << 20;

    private Inputs() {}

    /** Reads a file (or standard input for "-"), refusing more than {@code max} bytes. */
    static byte[] read(String name, int max) {
        try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw new CliException(ExitCodes.BAD_INPUT, name + " is larger than " + max + " bytes");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, name + ": no such file");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, name + ": " + e.getMessage());
        }
    }

    /** A verifier key given as the vkey itself or as {@code @FILE}. */
    static Verifier vkey(String arg) {
        String text = arg.startsWith("@") ? new String(read(arg.substring(1), 4096), StandardCharsets.UTF_8).strip() : arg;
        try {
            return NoteKeys.parseVerifier(text);
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "bad verifier key" + (arg.startsWith("@") ? " in " + arg.substring(1) : "")
                    + ": " + e.getMessage());
        }
    }

    static Verifiers witnesses(Verifier log, List<String> args) {
        List<Verifier> all = new ArrayList<>();
        all.add(log);
        for (String w : args) {
            all.add(vkey(w));
        }
        try {
            return Verifiers.of(all);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
    }

    /** A C2SP tlog-policy file. */
    static Policy policy(String file) {
        try {
            return Policy.parse(read(file, Policy.MAX_SIZE));
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "bad policy " + file + ": " + e.getMessage());
        }
    }

    /**
     * The log key: {@code --vkey} when given, else the policy's only log; with neither, or a policy of
     * several logs, the user must say which.
     */
    static Verifier logKey(@Nullable String vkey, @Nullable Policy policy) {
        if (vkey != null) {
            return vkey(vkey);
        }
        if (policy != null && policy.logs().size() == 1) {
            return policy.logs().get(0);
        }
        throw new CliException(ExitCodes.USAGE, policy == null ? "give the log's key with --vkey, or a --policy"
                : "the policy lists " + policy.logs().size() + " logs; give the log's key with --vkey");
    }

    /** A note signer from a private key file. */
    static Signer signer(Path keyFile) {
        String text = new String(read(keyFile.toString(), 4096), StandardCharsets.UTF_8).strip();
        try {
            return NoteKeys.parseSigner(text);
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "bad private key in " + keyFile + ": " + e.getMessage());
        }
    }

    /** A log to read: an http(s) URL, or a directory that must exist. */
    static TileReader log(String where) {
        if (where.startsWith("http://") || where.startsWith("https://")) {
            try {
                return new HttpTileReader(URI.create(where), Duration.ofSeconds(30));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "bad URL " + where + ": " + e.getMessage());
            }
        }
        Path dir = Path.of(where);
        if (!Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.BAD_INPUT, where + " is not a directory or an http(s) URL");
        }
        return TileStorage.directory(dir);
    }
}
