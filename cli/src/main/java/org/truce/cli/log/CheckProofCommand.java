package org.truce.cli.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.witness.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce log check-proof}: verify a proof bundle offline. */
@Command(name = "check-proof", mixinStandardHelpOptions = true,
        description = {
            "Verify a .tlog-proof bundle offline, with no access to the log: the checkpoint must be signed by the log key and the inclusion proof must bind the entry to its root. With --entry, the entry must also be exactly that file. With --policy, the checkpoint must also be cosigned by a quorum of the policy's witnesses."
        })
public final class CheckProofCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The proof bundle ('-' for standard input).")
    String file;

    @Option(names = "--vkey", paramLabel = "VKEY", description = "The log's verifier key, or @FILE; optional with a --policy of one log.")
    @Nullable String vkey;

    @Option(names = "--policy", paramLabel = "POLICY",
            description = "A C2SP tlog-policy file: the checkpoint must also carry cosignatures that meet its quorum.")
    @Nullable String policyFile;

    @Option(names = "--entry", paramLabel = "FILE", description = "The entry the proof must be about.")
    @Nullable String entry;

    @Option(names = "--witness", paramLabel = "VKEY", description = "A witness's cosigning key (repeatable).")
    List<String> witnesses = new ArrayList<>();

    @Override
    public Integer call() throws FormatException {
        Policy policy = policyFile == null ? null : Inputs.policy(policyFile);
        Verifier logKey = Inputs.logKey(vkey, policy);
        TlogProof proof = TlogProof.parse(Inputs.read(file, TlogProof.MAX_SIZE));
        byte[] carried = proof.extra();
        byte[] expected = entry == null ? null : Inputs.read(entry, Inputs.MAX_FILE);
        if (expected != null && carried != null && !Arrays.equals(expected, carried)) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "the proof is about a different entry than " + entry);
        }
        byte[] subject = expected != null ? expected : carried;
        if (subject == null) {
            throw new CliException(ExitCodes.BAD_INPUT, "the proof carries no entry; give it with --entry FILE");
        }
        Checkpoint.Signed cp;
        try {
            if (policy != null) {
                policy.verify(proof.checkpoint().encode(), logKey);
            }
            List<String> known = new ArrayList<>(witnesses);
            if (policy != null) {
                policy.witnessKeys().all().forEach(w -> known.add(w.vkey()));
            }
            cp = proof.verify(Rfc9162.leafHash(subject), logKey, Inputs.witnesses(logKey, known.stream().distinct().toList()));
        } catch (VerificationException e) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "proof does not verify: " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.printf("entry %d is in log %s of size %d with root %s%n", proof.index(), cp.checkpoint().origin(),
                cp.checkpoint().size(), cp.checkpoint().root());
        if (policy != null) {
            out.printf("the witnesses' cosignatures meet the policy's quorum%n");
        }
        out.printf("signed by %s%n", cp.verifiedBy().stream().map(Verifier::name).collect(Collectors.joining(", ")));
        return ExitCodes.OK;
    }
}
