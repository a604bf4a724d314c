package org.truce.cli.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce log verify}: audit a whole log from its tiles. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Audit a whole log: verify its checkpoint with the log key, re-hash every entry, rebuild every tile and the root, and name the first tile or entry that does not match.",
            "With --trusted, also check that the log still holds the tree of a checkpoint you trusted before."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR|URL", description = "The log directory or its base URL.")
    String where;

    @Option(names = "--vkey", required = true, paramLabel = "VKEY",
            description = "The log's verifier key, or @FILE to read it from a file.")
    String vkey;

    @Option(names = "--trusted", paramLabel = "CHECKPOINT", description = "A checkpoint note file trusted earlier.")
    @Nullable String trusted;

    @Option(names = "--witness", paramLabel = "VKEY", description = "A witness's cosigning key (repeatable); its cosignature is verified when present.")
    List<String> witnesses = new ArrayList<>();

    @Override
    public Integer call() {
        Verifier logKey = Inputs.vkey(vkey);
        byte[] trustedNote = trusted == null ? null : Inputs.read(trusted, Inputs.MAX_FILE);
        Auditor auditor = new Auditor(Inputs.log(where), logKey, Inputs.witnesses(logKey, witnesses));
        Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
        AuditReport report = auditor.audit(trustedNote, progress::update);
        progress.finish();
        if (report instanceof AuditReport.Failed f) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "verification failed at " + f);
        }
        AuditReport.Verified ok = (AuditReport.Verified) report;
        Checkpoint cp = ok.checkpoint().checkpoint();
        var out = spec.commandLine().getOut();
        out.printf("log %s verified: %d entries, root %s%n", cp.origin(), cp.size(), cp.root());
        out.printf("signed by %s%n", ok.checkpoint().verifiedBy().stream().map(Verifier::name)
                .collect(Collectors.joining(", ")));
        if (ok.staleTilesChecked() > 0) {
            out.printf("%d partial tiles of earlier checkpoints also match%n", ok.staleTilesChecked());
        }
        if (ok.trusted() != null) {
            out.printf("consistent with the trusted checkpoint of size %d%n", ok.trusted().size());
        }
        return ExitCodes.OK;
    }
}
