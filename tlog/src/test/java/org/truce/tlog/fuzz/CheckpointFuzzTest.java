package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.Verifiers;

/**
 * {@link Checkpoint#parse} on untrusted text and {@link Checkpoint#open} on untrusted notes. Only
 * {@link FormatException} (for {@code parse}, its subclass
 * {@link org.truce.tlog.checkpoint.MalformedCheckpointException}) and, for {@code open},
 * {@link VerificationException} may escape. A checkpoint that parses is its own text: parsing
 * {@link Checkpoint#text()} gives it back, and that text is the input.
 */
class CheckpointFuzzTest {
    @FuzzTest
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Checkpoint c;
        try {
            c = Checkpoint.parse(text);
        } catch (FormatException expected) {
            return;
        }
        checkRoundTrip(text, c);
    }

    @FuzzTest
    void open(byte @NotNull [] note) {
        Checkpoint.Signed s;
        try {
            s = Checkpoint.open(note, FuzzKeys.LOG);
        } catch (FormatException | VerificationException expected) {
            s = null;
        }
        Checkpoint.Signed withWitness;
        try {
            withWitness = Checkpoint.open(note, FuzzKeys.LOG, Verifiers.of(FuzzKeys.WITNESS));
        } catch (FormatException | VerificationException expected) {
            withWitness = null;
        }
        for (Checkpoint.Signed signed : new Checkpoint.Signed[] {s, withWitness}) {
            if (signed == null) {
                continue;
            }
            assertThat(signed.checkpoint().origin()).isEqualTo(FuzzKeys.LOG.name());
            assertThat(signed.verifiedBy()).contains(FuzzKeys.LOG);
            checkRoundTrip(signed.note().text(), signed.checkpoint());
        }
        if (withWitness != null) {
            // Trusting one more key can only refuse more notes, never accept more.
            assertThat(s).isNotNull();
            assertThat(withWitness.checkpoint()).isEqualTo(s.checkpoint());
        }
    }

    private static void checkRoundTrip(String text, Checkpoint c) {
        assertThat(c.text()).isEqualTo(text);
        try {
            assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
        } catch (FormatException e) {
            throw new AssertionError("the text of a parsed checkpoint does not parse: " + c.text(), e);
        }
        assertThat(c.size()).isNotNegative();
        assertThat(c.extensions()).hasSizeLessThanOrEqualTo(Checkpoint.MAX_EXTENSIONS);
    }

    /** The signed seeds open, so regression runs cover the success path. */
    @Test
    void signedSeedsOpen() throws Exception {
        assertThat(Checkpoint.open(FuzzKeys.seed(getClass(), "open", "plain"), FuzzKeys.LOG).checkpoint().text())
                .isEqualTo(FuzzKeys.CHECKPOINT_300);
        assertThat(Checkpoint.open(FuzzKeys.seed(getClass(), "open", "cosigned"), FuzzKeys.LOG,
                Verifiers.of(FuzzKeys.WITNESS)).verifiedBy()).containsExactly(FuzzKeys.LOG, FuzzKeys.WITNESS);
        assertThat(Checkpoint.parse(FuzzKeys.utf8(FuzzKeys.seed(getClass(), "parse", "extensions"))).extensions())
                .hasSize(2);
    }
}
