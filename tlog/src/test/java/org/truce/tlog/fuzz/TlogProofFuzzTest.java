package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.proof.TlogProof;

/**
 * {@link TlogProof#parse} on untrusted tlog-proof bundles: only {@link FormatException} may escape,
 * and a bundle that parses gives the same bundle after {@link TlogProof#encode()} and parsing again.
 * A parsed bundle is then verified offline against the fixed log and witness keys, where
 * {@link VerificationException} is a declared outcome too.
 */
class TlogProofFuzzTest {
    @FuzzTest
    void parse(byte @NotNull [] data) {
        TlogProof p;
        try {
            p = TlogProof.parse(data);
        } catch (FormatException expected) {
            return;
        }
        assertThat(p.index()).isNotNegative();
        assertThat(p.proof()).hasSizeLessThanOrEqualTo(ProofVerifier.MAX_PROOF_HASHES);
        byte[] encoded = p.encode();
        TlogProof again;
        try {
            again = TlogProof.parse(encoded);
        } catch (FormatException e) {
            throw new AssertionError("an encoded bundle does not parse", e);
        }
        assertThat(again).isEqualTo(p);
        assertThat(again.encode()).isEqualTo(encoded);
        try {
            p.verifyExtra(FuzzKeys.LOG, Verifiers.of(FuzzKeys.WITNESS));
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes of verifying an untrusted bundle.
        }
    }

    /** The valid seeds verify, so regression runs cover the success path. */
    @Test
    void validSeedsVerify() throws Exception {
        for (String seed : new String[] {"entry7", "entry299", "cosigned"}) {
            TlogProof p = TlogProof.parse(FuzzKeys.seed(getClass(), "parse", seed));
            assertThat(p.verifyExtra(FuzzKeys.LOG, Verifiers.of(FuzzKeys.WITNESS)).checkpoint().size())
                    .as(seed).isEqualTo(300);
        }
    }
}
