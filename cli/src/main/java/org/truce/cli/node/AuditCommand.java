package org.truce.cli.node;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.server.audit.LogAudit;
import org.truce.server.node.Node;
import org.truce.store.Store;
import org.truce.store.StoreException;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce audit}: the full offline audit of a stored log, every author signature included. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {
            "Audit the log of the data directory (or --db) offline: verify its checkpoint with the log key, re-hash every "
                    + "entry and rebuild every tile and the root, as `truce log verify` does, and verify every entry's "
                    + "author signature with the key the log itself registered for it (genesis, party and party.key "
                    + "entries, whose stored bodies must hash to what they signed), refusing a key before it was "
                    + "registered and after it was revoked.",
            "Signatures are verified on --threads threads while one reads. Names the first entry at fault, the same "
                    + "whatever the number of threads. Seqs and the kinds' rules are `truce rebuild`'s."
        })
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions where;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads verifying signatures (default: one per core, ${DEFAULT-VALUE} here).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--vkey", paramLabel = "VKEY",
            description = "The log's checkpoint verifier key (default: the checkpoint key in the data directory).")
    @Nullable String vkey;

    @Override
    public Integer call() throws IOException {
        if (threads < 1) {
            throw new CliException(ExitCodes.USAGE, "--threads must be at least 1");
        }
        Verifier logKey = logKey();
        if (where.db == null && !Files.exists(where.data.resolve("truce.db"))) {
            throw new CliException(ExitCodes.BAD_INPUT, where.data + " holds no log");
        }
        LogAudit.Result r;
        long start = System.nanoTime();
        try (Store store = where.openStore()) {
            Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
            r = LogAudit.of(logKey, threads).run(store, progress::update);
            progress.finish();
        } catch (StoreException | TlogException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot read the log: " + e.getMessage());
        }
        double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
        if (r.failure() != null) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "audit failed at " + r.failure());
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "log %s audited: %,d entries, root %s%n", r.checkpoint().origin(), r.entries(),
                r.checkpoint().root());
        out.printf(Locale.ROOT, "%,d author signatures verified on %d threads%n", r.signatures(), threads);
        out.printf(Locale.ROOT, "%.2f s, %,.0f entries/s%n", seconds, r.entries() / seconds);
        return ExitCodes.OK;
    }

    private Verifier logKey() throws IOException {
        try {
            if (vkey != null) {
                return NoteKeys.parseVerifier(vkey);
            }
            if (!Node.initialised(where.data)) {
                throw new CliException(ExitCodes.BAD_INPUT, where.data + " holds no log key; give it with --vkey");
            }
            return NoteKeys.parseSigner(Files.readString(where.data.resolve(Node.CHECKPOINT_KEY)).strip()).verifier();
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "bad log key: " + e.getMessage());
        }
    }
}
