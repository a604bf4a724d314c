package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;

/**
 * {@link SignedNote#parse} and {@link SignedNote#open} on untrusted bytes. Only {@link FormatException}
 * and (for {@code open}) {@link VerificationException} may escape; anything else is a bug. A note that
 * parses must encode back to the same bytes and parse again to the same text and signatures.
 */
class SignedNoteFuzzTest {
    @FuzzTest
    void parse(byte @NotNull [] data) {
        SignedNote note;
        try {
            note = SignedNote.parse(data);
        } catch (FormatException expected) {
            return;
        }
        checkRoundTrip(data, note);
    }

    @FuzzTest
    void open(byte @NotNull [] data) {
        SignedNote.Verified v;
        try {
            v = SignedNote.open(data, FuzzKeys.ALL);
        } catch (FormatException | VerificationException expected) {
            return;
        }
        checkRoundTrip(data, v.note());
        assertThat(v.verifiedBy()).isNotEmpty().doesNotHaveDuplicates();
        for (Verifier k : v.verifiedBy()) {
            assertThat(v.note().signatures()).anyMatch(s -> s.name().equals(k.name()) && s.keyId() == k.keyId());
        }
    }

    private static void checkRoundTrip(byte[] data, SignedNote note) {
        byte[] encoded = note.encode();
        assertThat(encoded).isEqualTo(data);
        assertThat(note.text()).endsWith("\n");
        assertThat(note.signatures()).isNotEmpty().hasSizeLessThanOrEqualTo(SignedNote.MAX_SIGNATURES);
        SignedNote again;
        try {
            again = SignedNote.parse(encoded);
        } catch (FormatException e) {
            throw new AssertionError("a parsed note does not parse again after encoding", e);
        }
        assertThat(again.text()).isEqualTo(note.text());
        assertThat(again.signatures()).isEqualTo(note.signatures());
        for (NoteSignature s : note.signatures()) {
            assertThat(s.line()).startsWith("\u2014 " + s.name() + " ").endsWith("\n");
        }
    }

    /** The seeds signed by known keys still verify, so regression runs cover the success path. */
    @Test
    void seedsSignedByKnownKeysVerify() throws Exception {
        for (String seed : new String[] {"go", "c2sp", "checkpoint"}) {
            SignedNote.Verified v = SignedNote.open(FuzzKeys.seed(getClass(), "open", seed), FuzzKeys.ALL);
            assertThat(v.verifiedBy()).as(seed).isNotEmpty();
        }
        assertThat(SignedNote.open(FuzzKeys.seed(getClass(), "open", "checkpoint"), FuzzKeys.ALL).verifiedBy())
                .containsExactly(FuzzKeys.LOG, FuzzKeys.WITNESS);
    }
}
