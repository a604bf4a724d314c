package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifiers;

/**
 * Cosignature lines: a note made of a fixed, valid checkpoint text and fuzzed signature lines, opened
 * against a fixed tlog-cosignature v1 (type 0x04) witness key. Only {@link FormatException} and
 * {@link VerificationException} may escape. The input is the bytes after the blank line.
 */
class CosignatureFuzzTest {
    private static final byte[] HEAD = FuzzKeys.utf8(FuzzKeys.CHECKPOINT_300 + "\n");
    private static final Verifiers WITNESS_ONLY = Verifiers.of(FuzzKeys.WITNESS);

    @FuzzTest
    void cosignatureLines(byte @NotNull [] lines) {
        byte[] note = Arrays.copyOf(HEAD, HEAD.length + lines.length);
        System.arraycopy(lines, 0, note, HEAD.length, lines.length);
        SignedNote.Verified v;
        try {
            v = SignedNote.open(note, WITNESS_ONLY);
        } catch (FormatException | VerificationException expected) {
            v = null;
        }
        if (v != null) {
            assertThat(v.verifiedBy()).containsExactly(FuzzKeys.WITNESS);
            assertThat(v.note().text()).isEqualTo(FuzzKeys.CHECKPOINT_300);
            for (NoteSignature s : v.note().signatures()) {
                if (s.name().equals(FuzzKeys.WITNESS.name()) && s.keyId() == FuzzKeys.WITNESS.keyId()) {
                    // Only a 72-byte signature with a timestamp below 2^63 verifies.
                    assertThat(CosignatureV1.timestamp(s)).isNotNegative();
                }
            }
        }
        // The same note as a checkpoint: the log key must sign it too, so the fuzzed lines carrying a
        // valid log signature as well reach the checkpoint's own checks.
        try {
            Checkpoint.Signed c = Checkpoint.open(note, FuzzKeys.LOG, WITNESS_ONLY);
            assertThat(c.checkpoint().text()).isEqualTo(FuzzKeys.CHECKPOINT_300);
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes.
        }
    }

    /** The valid seeds verify, so regression runs cover the success path. */
    @Test
    void validSeedsVerify() throws Exception {
        for (String seed : new String[] {"valid", "repeated", "withLogSignature"}) {
            byte[] lines = FuzzKeys.seed(getClass(), "cosignatureLines", seed);
            byte[] note = Arrays.copyOf(HEAD, HEAD.length + lines.length);
            System.arraycopy(lines, 0, note, HEAD.length, lines.length);
            assertThat(SignedNote.open(note, WITNESS_ONLY).verifiedBy()).as(seed).containsExactly(FuzzKeys.WITNESS);
        }
    }
}
