package org.truce.tlog.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;

/** C2SP tlog-checkpoint note texts, and opening signed checkpoints. */
class CheckpointTest {
    private static final String ORIGIN = "example.com/behind-the-sofa";
    private static final String ROOT_B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    /** The example of the C2SP tlog-checkpoint spec. */
    private static final String SPEC_TEXT = ORIGIN + "\n20852163\n" + ROOT_B64 + "\n";

    private static Signer log;
    private static Signer witness;
    private static Signer otherLogKeySameName;

    @BeforeAll
    static void keys() throws FormatException {
        log = signer(ORIGIN);
        witness = signer("witness.example/w1");
        otherLogKeySameName = signer(ORIGIN);
    }

    private static Signer signer(String name) throws FormatException {
        return NoteKeys.parseSigner(NoteKeys.generate(name, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
    }

    // ---- text round trip ----

    @Test
    void parse_specExample_hasOriginSizeAndRoot() throws FormatException {
        Checkpoint c = Checkpoint.parse(SPEC_TEXT);
        assertThat(c.origin()).isEqualTo(ORIGIN);
        assertThat(c.size()).isEqualTo(20_852_163L);
        assertThat(c.root().bytes()).isEqualTo(Base64.getDecoder().decode(ROOT_B64));
        assertThat(c.extensions()).isEmpty();
        assertThat(c.text()).isEqualTo(SPEC_TEXT);
    }

    @Test
    void text_thenParse_returnsAnEqualCheckpoint() throws FormatException {
        Hash root = Rfc9162.leafHash("x".getBytes(StandardCharsets.UTF_8));
        for (Checkpoint c : List.of(
                new Checkpoint("o", 0, Rfc9162.EMPTY_ROOT),
                new Checkpoint("example.com/log", 1, root),
                new Checkpoint("example.com/log", Long.MAX_VALUE, root),
                new Checkpoint("log with spaces and \u00fcnicode", 42, root,
                        List.of("ext one", "\u2014 looks like a sig")))) {
            assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
        }
    }

    @Test
    void text_withExtensions_putsOneLinePerExtensionAfterTheRoot() {
        Checkpoint c = new Checkpoint("o", 5, Rfc9162.EMPTY_ROOT, List.of("a", "b"));
        assertThat(c.text()).isEqualTo("o\n5\n" + Rfc9162.EMPTY_ROOT.base64() + "\na\nb\n");
    }

    @Test
    void parse_sixteenExtensionLines_isTheLimit() throws FormatException {
        StringBuilder sb = new StringBuilder(SPEC_TEXT);
        for (int i = 0; i < Checkpoint.MAX_EXTENSIONS; i++) {
            sb.append("ext ").append(i).append('\n');
        }
        assertThat(Checkpoint.parse(sb.toString()).extensions()).hasSize(16);
        sb.append("one more\n");
        assertThatThrownBy(() -> Checkpoint.parse(sb.toString())).isInstanceOf(MalformedCheckpointException.class);
    }

    // ---- malformed texts ----

    @ParameterizedTest
    @ValueSource(strings = {
        "020852163",
        "00",
        "-1",
        "-0",
        "+1",
        "12a",
        "0x10",
        "1.0",
        "1e3",
        " 1",
        "1 ",
        "",
        "9223372036854775808",
        "18446744073709551616",
        "99999999999999999999",
        "\u0661\u0662",
    })
    void parse_malformedSize_throwsMalformedCheckpointException(String size) {
        assertThatThrownBy(() -> Checkpoint.parse(ORIGIN + "\n" + size + "\n" + ROOT_B64 + "\n"))
                .isInstanceOf(MalformedCheckpointException.class);
    }

    @Test
    void parse_largestAndSmallestSize_areAccepted() throws FormatException {
        assertThat(Checkpoint.parse(ORIGIN + "\n9223372036854775807\n" + ROOT_B64 + "\n").size()).isEqualTo(Long.MAX_VALUE);
        assertThat(Checkpoint.parse(ORIGIN + "\n0\n" + ROOT_B64 + "\n").size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "!!!!",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=",
        "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=",
        " CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I= ",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I0AA==",
        "0a c5 18 6a",
    })
    void parse_rootNotCanonicalBase64Of32Bytes_throwsMalformedCheckpointException(String root) {
        assertThatThrownBy(() -> Checkpoint.parse(ORIGIN + "\n1\n" + root + "\n"))
                .isInstanceOf(MalformedCheckpointException.class);
    }

    @Test
    void parse_rootOf31Or33Bytes_throwsMalformedCheckpointException() {
        for (int len : new int[] {31, 33, 0, 64}) {
            String root = Base64.getEncoder().encodeToString(new byte[len]);
            assertThatThrownBy(() -> Checkpoint.parse(ORIGIN + "\n1\n" + root + "\n")).as("%d bytes", len)
                    .isInstanceOf(MalformedCheckpointException.class).hasMessageContaining(len + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\n",
        ORIGIN + "\n",
        ORIGIN + "\n20852163\n",
        "20852163\n" + ROOT_B64 + "\n",
        "\n20852163\n" + ROOT_B64 + "\n",
        ORIGIN + "\n20852163\n" + ROOT_B64,
        ORIGIN + "\n20852163\n" + ROOT_B64 + "\n\n",
        ORIGIN + "\n20852163\n" + ROOT_B64 + "\nextension\n\n",
        ORIGIN + "\n20852163\n" + ROOT_B64 + "\n\nextension\n",
        ORIGIN + "\r\n20852163\r\n" + ROOT_B64 + "\r\n",
        ORIGIN + "\n\n20852163\n" + ROOT_B64 + "\n",
    })
    void parse_malformedLines_throwsMalformedCheckpointException(String text) {
        assertThatThrownBy(() -> Checkpoint.parse(text)).isInstanceOf(MalformedCheckpointException.class);
    }

    @Test
    void constructor_invalidFields_throwIllegalArgumentException() {
        Hash r = Rfc9162.EMPTY_ROOT;
        assertThatThrownBy(() -> new Checkpoint("", 0, r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a\nb", 0, r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("o", -1, r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("o", 0, r, List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("o", 0, r, List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensions_areCopiedNotShared() {
        List<String> ext = new ArrayList<>(List.of("a"));
        Checkpoint c = new Checkpoint("o", 0, Rfc9162.EMPTY_ROOT, ext);
        ext.add("b");
        assertThat(c.extensions()).containsExactly("a");
    }

    // ---- opening signed checkpoints ----

    @Test
    void open_signedByTheLogKey_returnsTheCheckpoint() throws Exception {
        byte[] note = SignedNote.sign(SPEC_TEXT, log).encode();
        Checkpoint.Signed s = Checkpoint.open(note, log.verifier());
        assertThat(s.checkpoint()).isEqualTo(Checkpoint.parse(SPEC_TEXT));
        assertThat(s.note().text()).isEqualTo(SPEC_TEXT);
        assertThat(s.verifiedBy()).extracting(Verifier::keyId).containsExactly(log.keyId());
    }

    @Test
    void open_logAndWitnessSignatures_reportsBothWhenTheWitnessIsKnown() throws Exception {
        byte[] note = SignedNote.sign(SPEC_TEXT, log, witness).encode();
        Checkpoint.Signed s = Checkpoint.open(note, log.verifier(), Verifiers.of(witness.verifier()));
        assertThat(s.verifiedBy()).extracting(Verifier::name).containsExactlyInAnyOrder(ORIGIN, "witness.example/w1");

        Checkpoint.Signed alsoListed = Checkpoint.open(note, log.verifier(),
                Verifiers.of(log.verifier(), witness.verifier()));
        assertThat(alsoListed.verifiedBy()).hasSize(2);
        assertThat(Checkpoint.open(note, log.verifier()).verifiedBy()).hasSize(1);
    }

    @Test
    void open_signedOnlyByAKnownWitness_throwsVerificationException() {
        byte[] note = SignedNote.sign(SPEC_TEXT, witness).encode();
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier(), Verifiers.of(witness.verifier())))
                .isInstanceOf(VerificationException.class).hasMessageContaining("log key");
    }

    @Test
    void open_signedByAnotherKeyWithTheLogsName_throwsVerificationException() {
        byte[] note = SignedNote.sign(SPEC_TEXT, otherLogKeySameName).encode();
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier())).isInstanceOf(VerificationException.class);
    }

    @Test
    void open_originOtherThanTheKeyName_throwsVerificationException() throws FormatException {
        Signer misnamed = signer("example.com/another-log");
        byte[] note = SignedNote.sign(SPEC_TEXT, misnamed).encode();
        assertThatThrownBy(() -> Checkpoint.open(note, misnamed.verifier()))
                .isInstanceOf(VerificationException.class).hasMessageContaining("origin");
    }

    @Test
    void open_badLogSignature_throwsVerificationException() throws FormatException {
        SignedNote good = SignedNote.sign(SPEC_TEXT, log);
        byte[] sig = good.signatures().get(0).signature();
        sig[5] ^= 0x20;
        byte[] note = (SPEC_TEXT + "\n" + new NoteSignature(ORIGIN, log.keyId(), sig).line())
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier())).isInstanceOf(VerificationException.class);
    }

    @Test
    void open_badSignatureOfAKnownWitness_throwsVerificationException() throws FormatException {
        SignedNote logged = SignedNote.sign(SPEC_TEXT, log);
        byte[] sig = witness.sign(logged.textBytes());
        sig[0] ^= 1;
        byte[] note = logged.withSignature(new NoteSignature("witness.example/w1", witness.keyId(), sig)).encode();
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier(), Verifiers.of(witness.verifier())))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void open_textChangedAfterSigning_throwsVerificationException() {
        String signed = new String(SignedNote.sign(SPEC_TEXT, log).encode(), StandardCharsets.UTF_8);
        byte[] note = signed.replace("20852163", "20852164").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier())).isInstanceOf(VerificationException.class);
    }

    @Test
    void open_signedMalformedCheckpoint_throwsMalformedCheckpointException() {
        byte[] note = SignedNote.sign(ORIGIN + "\n020852163\n" + ROOT_B64 + "\n", log).encode();
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier())).isInstanceOf(MalformedCheckpointException.class);
    }

    @Test
    void open_malformedNote_throwsFormatException() {
        byte[] note = SPEC_TEXT.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Checkpoint.open(note, log.verifier())).isInstanceOf(FormatException.class);
    }
}
