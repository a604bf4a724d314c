package org.truce.cli.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.core.ledger.Ledger;
import org.truce.server.node.Node;
import org.truce.server.rebuild.Rebuild;
import org.truce.server.rebuild.RebuildException;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.tlog.merkle.Hash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce rebuild}: replay the log into an empty store and compare the state digests. */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Replay the log of the data directory into an empty store, checking every entry again, and "
                + "print the state digest of the replay beside the live one. They must be equal.")
public final class RebuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions where;

    @Option(names = "--into", paramLabel = "DIR",
            description = "Where to build the replay; must not exist (default: a temporary directory, removed after).")
    Path into;

    @Override
    public Integer call() throws IOException {
        if (!Node.initialised(where.data)) {
            throw new CliException(ExitCodes.BAD_INPUT, where.data + " holds no log");
        }
        if (into != null && Files.exists(into)) {
            throw new CliException(ExitCodes.BAD_INPUT, into + " already exists");
        }
        Path target = into != null ? into : Files.createTempDirectory("truce-rebuild-");
        var out = spec.commandLine().getOut();
        try (Store live = where.openStore(); Store replay = Store.sqlite(target)) {
            Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
            new Rebuild(Ledger.standard()).run(live, replay, progress::update);
            progress.finish();
            Hash a = live.read(StateDigest::of);
            Hash b = replay.read(StateDigest::of);
            out.printf("live state digest:    %s%n", a.hex());
            out.printf("rebuilt state digest: %s%n", b.hex());
            if (!a.equals(b)) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "the rebuilt state differs from the live state");
            }
            out.println("equal: the state is exactly what the log says");
        } catch (RebuildException e) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "the log does not replay: " + e.getMessage());
        } finally {
            if (into == null) {
                Node.deleteTree(target);
            }
        }
        return ExitCodes.OK;
    }
}
