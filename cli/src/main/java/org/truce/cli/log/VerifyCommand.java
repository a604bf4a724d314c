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
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.witness.Policy;
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

    @Option(names = "--vkey", paramLabel = "VKEY",
            description = "The log's verifier key, or @FILE to read it from a file; optional with a --policy of one log.")
    @Nullable String vkey;

    @Option(names = "--policy", paramLabel = "POLICY",
            description = "A C2SP tlog-policy file: the checkpoint is accepted only if its witnesses' cosignatures meet the policy's quorum.")
    @Nullable String policyFile;

    @Option(names = "--trusted", paramLabel = "CHECKPOINT", description = "A checkpoint note file trusted earlier.")
    @Nullable String trusted;

    @Option(names = "--witness", paramLabel = "VKEY", description = "A witness's cosigning key (repeatable); its cosignature is verified when present.")
    List<String> witnesses = new ArrayList<>();

    @Override
    public Integer call() {
        Policy policy = policyFile == null ? null : Inputs.policy(policyFile);
        Verifier logKey = Inputs.logKey(vkey, policy);
        byte[] trustedNote = trusted == null ? null : Inputs.read(trusted, Inputs.MAX_FILE);
        List<String> known = new ArrayList<>(witnesses);
        if (policy != null) {
            policy.witnessKeys().all().forEach(w -> {
                if (!witnesses.contains(w.vkey())) {
                    known.add(w.vkey());
                }
            });
        }
        Auditor auditor = new Auditor(Inputs.log(where), logKey, Inputs.witnesses(logKey, known));
        Progress progress = Progress.onStderr(spec.commandLine().getErr(), "entries");
        AuditReport report = auditor.audit(trustedNote, progress::update);
        progress.finish();
        if (report instanceof AuditReport.Failed f) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "verification failed at " + f);
        }
        AuditReport.Verified ok = (AuditReport.Verified) report;
        if (policy != null) {
            try {
                policy.verify(ok.checkpoint().note().encode(), logKey);
            } catch (FormatException | VerificationException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "the checkpoint does not meet the policy: " + e.getMessage());
            }
        }
        Checkpoint cp = ok.checkpoint().checkpoint();
        var out = spec.commandLine().getOut();
        out.printf("log %s verified: %d entries, root %s%n", cp.origin(), cp.size(), cp.root());
        out.printf("signed by %s%n", ok.checkpoint().verifiedBy().stream().map(Verifier::name)
                .collect(Collectors.joining(", ")));
        if (policy != null) {
            out.printf("the witnesses' cosignatures meet the policy's quorum%n");
        }
        if (ok.staleTilesChecked() > 0) {
            out.printf("%d partial tiles of earlier checkpoints also match%n", ok.staleTilesChecked());
        }
        if (ok.trusted() != null) {
            out.printf("consistent with the trusted checkpoint of size %d%n", ok.trusted().size());
        }
        return ExitCodes.OK;
    }
}
