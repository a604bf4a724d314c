package org.truce.tlog.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.SignedNote;

/** The add-checkpoint request body: its format, round trip and bounds. */
class AddCheckpointTest {
    /** The tlog-witness spec's example request, byte for byte. */
    static final String SPEC_EXAMPLE = """
            old 20852014
            PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
            jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
            5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
            /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            \u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
            \u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
            """;

    @Test
    void parse_specExample_hasOldSizeFourProofLinesAndTheNote() throws FormatException {
        AddCheckpoint r = AddCheckpoint.parse(bytes(SPEC_EXAMPLE));
        assertThat(r.oldSize()).isEqualTo(20_852_014L);
        assertThat(r.proof()).hasSize(4);
        assertThat(r.proof().get(0).base64()).isEqualTo("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=");
        assertThat(r.checkpoint().text()).startsWith("example.com/behind-the-sofa\n20852163\n");
        assertThat(r.checkpoint().signatures()).hasSize(2);
        assertThat(r.encode()).isEqualTo(bytes(SPEC_EXAMPLE));
    }

    @Test
    void parse_oldZeroWithoutProof_roundTrips() throws FormatException {
        TestLog log = new TestLog("example.org/log").grow(3, "a");
        AddCheckpoint r = log.request(0);
        assertThat(new String(r.encode(), StandardCharsets.UTF_8)).startsWith("old 0\n\nexample.org/log\n3\n");
        assertThat(AddCheckpoint.parse(r.encode()).encode()).isEqualTo(r.encode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "old 0", "old 0\n", "new 0\n\n", "old  0\n\n", "old 00\n\n", "old 01\n\n", "old -1\n\n", "old +1\n\n",
        "old 99999999999999999999\n\n", "old 9223372036854775808\n\n", "old 1\nnot base64\n\n",
        "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\n", "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=x\n\n",
        "old 0\r\n\n", "old 0\n\nexample.org/log\n1\n", "old 0\n\n\n\n"
    })
    void parse_malformed_throwsFormatException(String body) {
        assertThatThrownBy(() -> AddCheckpoint.parse(bytes(body))).isInstanceOf(FormatException.class);
    }

    @Test
    void parse_sixtyFourProofLines_throwsBeforeTheNote() {
        String line = Hash.of(new byte[32]).base64() + "\n";
        assertThatThrownBy(() -> AddCheckpoint.parse(bytes("old 1\n" + line.repeat(64) + "\n")))
                .isInstanceOf(FormatException.class).hasMessageContaining("more than 63");
    }

    @Test
    void parse_sixtyThreeProofLines_areAccepted() throws FormatException {
        String line = Hash.of(new byte[32]).base64() + "\n";
        String note = SPEC_EXAMPLE.substring(SPEC_EXAMPLE.indexOf("\n\n") + 2);
        assertThat(AddCheckpoint.parse(bytes("old 1\n" + line.repeat(63) + "\n" + note)).proof()).hasSize(63);
    }

    @Test
    void parse_longLineOrBody_throwsWithoutReadingOn() {
        assertThatThrownBy(() -> AddCheckpoint.parse(bytes("old 1\n" + "A".repeat(10_000) + "\n\n")))
                .isInstanceOf(FormatException.class).hasMessageContaining("longer than 44");
        assertThatThrownBy(() -> AddCheckpoint.parse(new byte[AddCheckpoint.MAX_SIZE + 1]))
                .isInstanceOf(FormatException.class).hasMessageContaining("larger than");
    }

    /** Random mutations of the spec example: only FormatException escapes, and what parses round-trips. */
    @Test
    void parse_randomMutations_throwOnlyFormatExceptionAndRoundTrip() {
        byte[] base = bytes(SPEC_EXAMPLE);
        Random random = new Random(8);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = base.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
            try {
                AddCheckpoint r = AddCheckpoint.parse(b);
                assertThat(AddCheckpoint.parse(r.encode()).encode()).isEqualTo(r.encode());
            } catch (FormatException expected) {
                // The declared outcome for a malformed body.
            }
        }
    }

    @Test
    void new_negativeOldSizeOrLongProof_throwsIllegalArgumentException() throws FormatException {
        SignedNote note = AddCheckpoint.parse(bytes(SPEC_EXAMPLE)).checkpoint();
        assertThatThrownBy(() -> new AddCheckpoint(-1, java.util.List.of(), note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddCheckpoint(1, java.util.Collections.nCopies(64, Hash.of(new byte[32])), note))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
