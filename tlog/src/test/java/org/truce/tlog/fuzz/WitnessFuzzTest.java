package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.witness.AddCheckpoint;
import org.truce.tlog.witness.Policy;
import org.truce.tlog.witness.Witness;
import org.truce.tlog.witness.WitnessStore;

/**
 * The witness's untrusted inputs: {@link AddCheckpoint#parse} may throw only {@link FormatException}
 * and what parses round-trips; {@link Witness#addCheckpoint(byte[])} answers every body with one of the
 * spec's statuses and never throws; {@link Policy#parse} and {@link Policy#verify} throw only their
 * declared exceptions.
 */
class WitnessFuzzTest {
    private static final Witness WITNESS;

    static {
        WITNESS = new Witness(FuzzKeys.WITNESS_SIGNER, List.of(Witness.Log.of(FuzzKeys.LOG)), WitnessStore.memory());
    }

    @FuzzTest
    void addCheckpoint(byte @NotNull [] data) {
        try {
            AddCheckpoint r = AddCheckpoint.parse(data);
            byte[] encoded = r.encode();
            assertThat(AddCheckpoint.parse(encoded).encode()).isEqualTo(encoded);
        } catch (FormatException expected) {
            // The declared outcome of a malformed body.
        }
        assertThat(WITNESS.addCheckpoint(data).status()).isIn(200, 400, 403, 404, 409, 422);
    }

    @FuzzTest
    void policy(byte @NotNull [] data) {
        Policy p;
        try {
            p = Policy.parse(data);
        } catch (FormatException expected) {
            return;
        }
        assertThat(p.logs().size()).isLessThanOrEqualTo(Policy.MAX_ENTRIES);
        try {
            p.verify(FuzzKeys.seed(CheckpointFuzzTest.class, "open", "cosigned"));
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes of verifying a note under an untrusted policy.
        }
    }
}
