package org.truce.tlog.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;

/** C2SP tlog-policy: parsing and quorum decisions with nested k-of-n groups. */
class PolicyTest {
    private final TestLog log = new TestLog("example.org/log").grow(3, "a");
    private final CosignatureV1.Cosigner x1 = TestLog.cosigner("x1.example");
    private final CosignatureV1.Cosigner x2 = TestLog.cosigner("x2.example");
    private final CosignatureV1.Cosigner x3 = TestLog.cosigner("x3.example");
    private final CosignatureV1.Cosigner y1 = TestLog.cosigner("y1.example");
    private final CosignatureV1.Cosigner y2 = TestLog.cosigner("y2.example");

    /** The spec's example: two of the X witnesses and any of the Y witnesses. */
    private String specExample() {
        return "# the example of c2sp.org/tlog-policy\n"
                + "log " + log.key().vkey() + " https://log.example/\n\n"
                + "witness X1 " + x1.vkey() + "\n"
                + "\twitness X2 " + x2.vkey() + " https://x2.example/w  \n"
                + "witness X3 " + x3.vkey() + "\n"
                + "group X-witnesses 2 X1 X2 X3\n"
                + "witness Y1 " + y1.vkey() + "\n"
                + "witness Y2 " + y2.vkey() + "\n"
                + "group Y-witnesses any Y1 Y2\n"
                + "group X-and-Y all X-witnesses Y-witnesses\n"
                + "quorum X-and-Y\n";
    }

    private byte[] cosigned(CosignatureV1.Cosigner... by) {
        SignedNote n = log.checkpoint();
        for (CosignatureV1.Cosigner c : by) {
            n = n.withSignature(new NoteSignature(c.name(), c.keyId(), c.sign(n.textBytes())));
        }
        return n.encode();
    }

    // ---- quorum ----

    @Test
    void verify_twoXAndOneY_meetsTheNestedQuorum() throws Exception {
        Policy p = Policy.parse(bytes(specExample()));
        assertThat(p.verify(cosigned(x1, x3, y2)).checkpoint().size()).isEqualTo(3);
        assertThat(p.verify(cosigned(x1, x2, x3, y1, y2)).verifiedBy()).hasSize(6);
    }

    @Test
    void verify_oneXOrNoY_isRefused() throws Exception {
        Policy p = Policy.parse(bytes(specExample()));
        assertThatThrownBy(() -> p.verify(cosigned(x1, y1, y2))).isInstanceOf(VerificationException.class)
                .hasMessageContaining("X1, Y1, Y2").hasMessageContaining("quorum");
        assertThatThrownBy(() -> p.verify(cosigned(x1, x2, x3))).isInstanceOf(VerificationException.class);
        assertThatThrownBy(() -> p.verify(cosigned())).isInstanceOf(VerificationException.class)
                .hasMessageContaining("no witness");
    }

    @Test
    void verify_unknownCosignerDoesNotCount() throws Exception {
        Policy p = Policy.parse(bytes(specExample()));
        CosignatureV1.Cosigner stranger = TestLog.cosigner("x1.example");
        assertThatThrownBy(() -> p.verify(cosigned(x1, stranger, y1))).isInstanceOf(VerificationException.class);
    }

    @Test
    void verify_badCosignatureOfAKnownWitness_isRefused() {
        Policy p = parse(specExample());
        byte[] note = cosigned(x1, x2, y1);
        String s = new String(note, StandardCharsets.UTF_8);
        int at = s.lastIndexOf(' ') + 20;
        char c = s.charAt(at);
        String broken = s.substring(0, at) + (c == 'A' ? 'B' : 'A') + s.substring(at + 1);
        assertThatThrownBy(() -> p.verify(bytes(broken))).isInstanceOf(VerificationException.class);
    }

    @Test
    void verify_otherLogOrUnsigned_isRefused() {
        Policy p = parse(specExample());
        TestLog other = new TestLog("example.org/other").grow(2, "a");
        assertThatThrownBy(() -> p.verify(other.checkpoint().encode())).isInstanceOf(VerificationException.class)
                .hasMessageContaining("no log with origin example.org/other");
        TestLog impostor = new TestLog("example.org/log").grow(3, "a");
        assertThatThrownBy(() -> p.verify(impostor.checkpoint().encode())).isInstanceOf(VerificationException.class);
    }

    @Test
    void verify_quorumNone_needsOnlyTheLog() throws Exception {
        Policy p = Policy.parse(bytes("log " + log.key().vkey() + "\nquorum none\n"));
        assertThat(p.quorumIsNone()).isTrue();
        assertThat(p.verify(cosigned()).verifiedBy()).hasSize(1);
    }

    @Test
    void verify_singleWitnessQuorum_needsThatWitness() throws Exception {
        Policy p = Policy.parse(bytes("log " + log.key().vkey() + "\nwitness w " + x1.vkey() + "\nquorum w"));
        p.verify(cosigned(x1));
        assertThatThrownBy(() -> p.verify(cosigned(x2))).isInstanceOf(VerificationException.class);
    }

    @Test
    void parse_specExample_listsLogsWitnessesAndTargets() throws Exception {
        Policy p = Policy.parse(bytes(specExample()));
        assertThat(p.logs()).extracting(v -> v.vkey()).containsExactly(log.key().vkey());
        assertThat(p.witnesses()).extracting(Policy.WitnessKey::name).containsExactly("X1", "X2", "X3", "Y1", "Y2");
        assertThat(p.targets()).hasSize(1);
        assertThat(p.targets().get(0).submissionPrefix()).isEqualTo(URI.create("https://x2.example/w"));
        assertThat(p.quorumMet(List.of(x1.verifier(), x2.verifier(), y1.verifier()))).isTrue();
        assertThat(p.quorumMet(List.of(x1.verifier(), y1.verifier()))).isFalse();
    }

    // ---- refusals ----

    @ParameterizedTest
    @ValueSource(strings = {
        "",                                                  // no quorum
        "quorum none\nquorum none\n",                        // two quorum lines
        "quorum w\n",                                        // undefined name
        "quorum none\nfrobnicate x\n",                       // unknown keyword
        "group g any\nquorum g\n",                           // no members
        "witness none KEY1\nquorum none\n",                  // reserved name
        "witness w KEY1\nwitness w KEY2\nquorum w\n",        // name twice
        "witness w KEY1\nwitness v KEY1\nquorum w\n",        // same public key twice
        "witness w KEY1\ngroup g 2 w\nquorum g\n",           // k > n
        "witness w KEY1\ngroup g 0 w\nquorum g\n",           // k < 1
        "witness w KEY1\ngroup g some w\nquorum g\n",        // not a threshold
        "witness w KEY1\ngroup g any w w\nquorum g\n",       // member twice
        "witness w KEY1\ngroup g any w\ngroup h any w\nquorum h\n", // member of two groups
        "group g any w\nwitness w KEY1\nquorum g\n",         // forward reference
        "witness w LOGKEY\nquorum w\n",                      // a note key as witness key
        "log KEY1\nquorum none\n",                           // a cosigner key as log key
        "log LOGKEY\nlog LOGKEY\nquorum none\n",             // duplicate log
        "witness w KEY1 not-a-url\nquorum w\n",              // relative URL
        "witness w\u0001 KEY1\nquorum w\n",                  // control character
        "witness w KEY1 extra tokens\nquorum w\n"            // too many fields
    })
    void parse_invalid_throwsFormatException(String policy) {
        String p = policy.replace("KEY1", x1.vkey()).replace("KEY2", x2.vkey()).replace("LOGKEY", log.key().vkey());
        assertThatThrownBy(() -> Policy.parse(bytes(p))).isInstanceOf(FormatException.class);
    }

    @Test
    void parse_tooLarge_throwsFormatException() {
        assertThatThrownBy(() -> Policy.parse(new byte[Policy.MAX_SIZE + 1])).isInstanceOf(FormatException.class);
    }

    @Test
    void parse_nonAsciiNamesAreOpaqueOctets() throws Exception {
        Policy p = Policy.parse(bytes("witness K " + x1.vkey() + "\nwitness \u212a " + x2.vkey()
                + "\ngroup g all K \u212a\nquorum g\n"));
        assertThat(p.witnesses()).extracting(Policy.WitnessKey::name).containsExactly("K", "\u212a");
    }

    private static Policy parse(String s) {
        try {
            return Policy.parse(bytes(s));
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
