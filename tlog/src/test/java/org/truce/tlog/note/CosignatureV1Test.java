package org.truce.tlog.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;

/** C2SP tlog-cosignature v1 (Ed25519, signature type 0x04). */
class CosignatureV1Test {
    private static final String NAME = "witness.example.com/w1";
    private static final long TIME = 1_679_315_147L;
    /** The tlog-checkpoint and tlog-cosignature spec example. */
    private static final String CHECKPOINT =
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    private static final String SPEC_LOG_SIG = "\u2014 example.com/behind-the-sofa "
            + "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    private static final String SPEC_COSIG = "\u2014 witness.example.com/w1 "
            + "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

    private NoteKeys.KeyPair keys;
    private CosignatureV1.Cosigner cosigner;
    private byte[] seed;
    private byte[] publicKey;

    @BeforeEach
    void generate() throws FormatException {
        keys = CosignatureV1.generate(NAME, new SecureRandom());
        cosigner = NoteKeys.parseCosigner(keys.privateKey(), Clock.fixed(Instant.ofEpochSecond(TIME), ZoneOffset.UTC));
        seed = Arrays.copyOfRange(Base64.getDecoder().decode(keys.privateKey().split("\\+", 5)[4]), 1, 33);
        publicKey = Arrays.copyOfRange(Base64.getDecoder().decode(keys.vkey().split("\\+", 3)[2]), 1, 33);
    }

    // ---- keys ----

    @Test
    void generate_vkey_parsesAsTypeFourWithTheCosignersNameAndId() throws FormatException {
        byte[] material = Base64.getDecoder().decode(keys.vkey().split("\\+", 3)[2]);
        assertThat(material).hasSize(33);
        assertThat(material[0]).isEqualTo((byte) 0x04).isEqualTo(NoteKeys.TYPE_COSIGNATURE_V1);
        assertThat(Base64.getDecoder().decode(keys.privateKey().split("\\+", 5)[4])[0]).isEqualTo((byte) 0x04);

        Verifier v = NoteKeys.parseVerifier(keys.vkey());
        assertThat(v.name()).isEqualTo(NAME);
        assertThat(v.keyId()).isEqualTo(cosigner.keyId());
        assertThat(v.vkey()).isEqualTo(keys.vkey()).isEqualTo(cosigner.vkey()).isEqualTo(cosigner.verifier().vkey());
        assertThat(NoteKeys.vkeyOf(keys.privateKey())).isEqualTo(keys.vkey());
    }

    @Test
    void keyId_isSha256OfNameNewlineTypeFourAndPublicKey() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(NAME.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0x0A);
        md.update((byte) 0x04);
        md.update(publicKey);
        int want = ByteBuffer.wrap(md.digest(), 0, 4).getInt();

        assertThat(cosigner.keyId()).isEqualTo(want);
        assertThat(NoteKeys.parseVerifier(keys.vkey()).keyId()).isEqualTo(want);
        assertThat(keys.vkey()).startsWith(NAME + "+" + String.format("%08x", want) + "+");
    }

    @Test
    void parseCosigner_noteKey_throwsFormatException() {
        String noteKey = NoteKeys.generate(NAME, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey();
        assertThatThrownBy(() -> NoteKeys.parseCosigner(noteKey, Clock.systemUTC())).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> NoteKeys.parseSigner(keys.privateKey())).isInstanceOf(FormatException.class);
    }

    // ---- signing ----

    @Test
    void sign_withFixedClock_isTimestampThenEd25519OverTheV1Message() {
        byte[] text = CHECKPOINT.getBytes(StandardCharsets.UTF_8);
        byte[] sig = cosigner.sign(text);

        assertThat(sig).hasSize(CosignatureV1.SIZE).hasSize(72);
        assertThat(ByteBuffer.wrap(sig).getLong()).isEqualTo(TIME);
        byte[] message = ("cosignature/v1\ntime 1679315147\n" + CHECKPOINT).getBytes(StandardCharsets.UTF_8);
        assertThat(CosignatureV1.message(TIME, text)).isEqualTo(message);
        byte[] ed = Arrays.copyOfRange(sig, 8, 72);
        assertThat(JdkEd25519.verify(publicKey, message, ed)).isTrue();
        assertThat(ed).isEqualTo(JdkEd25519.sign(seed, message));
    }

    @Test
    void message_specExample_isTheSpecText() {
        assertThat(new String(CosignatureV1.message(TIME, CHECKPOINT.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
                .isEqualTo("cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
                        + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
    }

    @Test
    void sign_clockWithFractionalSeconds_usesWholeSeconds() throws FormatException {
        CosignatureV1.Cosigner c = NoteKeys.parseCosigner(keys.privateKey(),
                Clock.fixed(Instant.ofEpochSecond(TIME, 999_999_999), ZoneOffset.UTC));
        assertThat(ByteBuffer.wrap(c.sign(CHECKPOINT.getBytes(StandardCharsets.UTF_8))).getLong()).isEqualTo(TIME);
    }

    @Test
    void sign_negativeTimestamp_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> cosigner.sign(CHECKPOINT.getBytes(StandardCharsets.UTF_8), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- verifying through a signed note ----

    @Test
    void verify_cosignedCheckpoint_verifiesThroughSignedNote() throws Exception {
        Signer log = NoteKeys.parseSigner(
                NoteKeys.generate("example.com/behind-the-sofa", NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
        SignedNote note = SignedNote.sign(CHECKPOINT, log, cosigner);
        Verifier witness = NoteKeys.parseVerifier(keys.vkey());

        SignedNote.Verified v = SignedNote.parse(note.encode()).verify(Verifiers.of(witness));
        assertThat(v.verifiedBy()).containsExactly(witness);
        NoteSignature cosig = v.note().signatures().get(1);
        assertThat(cosig.name()).isEqualTo(NAME);
        assertThat(cosig.keyId()).isEqualTo(witness.keyId());
        assertThat(CosignatureV1.timestamp(cosig)).isEqualTo(TIME);
        assertThat(CosignatureV1.timestamp(v.note().signatures().get(0))).isEqualTo(-1);

        assertThat(SignedNote.parse(note.encode()).verify(Verifiers.of(witness, log.verifier())).verifiedBy())
                .hasSize(2);
    }

    @Test
    void verify_checkpointAppendedToByWitness_verifiesWithCheckpointOpen() throws Exception {
        Signer log = NoteKeys.parseSigner(
                NoteKeys.generate("example.com/behind-the-sofa", NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
        SignedNote logged = SignedNote.sign(CHECKPOINT, log);
        byte[] text = logged.textBytes();
        SignedNote cosigned = logged.withSignature(new NoteSignature(NAME, cosigner.keyId(), cosigner.sign(text)));
        Verifier witness = NoteKeys.parseVerifier(keys.vkey());

        Checkpoint.Signed s = Checkpoint.open(cosigned.encode(), log.verifier(), Verifiers.of(witness));
        assertThat(s.verifiedBy()).extracting(Verifier::name).containsExactlyInAnyOrder(NAME, "example.com/behind-the-sofa");
        assertThat(s.checkpoint().size()).isEqualTo(20_852_163L);
    }

    @Test
    void verify_noteTypeKeyWithSameNameAndPublicKey_doesNotVerifyACosignature() throws Exception {
        Verifier noteType = NoteKeys.parseVerifier(NoteKeys.vkey(NAME, NoteKeys.TYPE_ED25519, publicKey));
        assertThat(noteType.keyId()).isNotEqualTo(cosigner.keyId());

        byte[] text = CHECKPOINT.getBytes(StandardCharsets.UTF_8);
        byte[] sig = cosigner.sign(text);
        SignedNote note = SignedNote.sign(CHECKPOINT, cosigner);
        assertThatThrownBy(() -> note.verify(Verifiers.of(noteType))).isInstanceOf(VerificationException.class);
        // Even handed the signature directly, neither the whole nor the Ed25519 part verifies over the text.
        assertThat(noteType.verify(text, sig)).isFalse();
        assertThat(noteType.verify(text, Arrays.copyOfRange(sig, 8, 72))).isFalse();
        // Nor does a note signature verify as a cosignature.
        Signer noteSigner = NoteKeys.parseSigner(
                NoteKeys.generate(NAME, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
        assertThat(cosigner.verifier().verify(text, noteSigner.sign(text))).isFalse();
    }

    @Test
    void verify_tamperedTimestamp_fails() throws Exception {
        byte[] text = CHECKPOINT.getBytes(StandardCharsets.UTF_8);
        byte[] sig = cosigner.sign(text);
        Verifier witness = NoteKeys.parseVerifier(keys.vkey());
        assertThat(witness.verify(text, sig)).isTrue();

        for (long ts : new long[] {TIME + 1, TIME - 1, 0, Long.MAX_VALUE, -1}) {
            byte[] tampered = sig.clone();
            ByteBuffer.wrap(tampered).putLong(ts);
            assertThat(witness.verify(text, tampered)).as("timestamp %d", ts).isFalse();
            SignedNote note = SignedNote.parse(bytes(CHECKPOINT + "\n"
                    + new NoteSignature(NAME, witness.keyId(), tampered).line()));
            assertThatThrownBy(() -> note.verify(Verifiers.of(witness))).as("timestamp %d", ts)
                    .isInstanceOf(VerificationException.class);
        }
    }

    @Test
    void verify_otherTextOrWrongLength_fails() throws FormatException {
        byte[] text = CHECKPOINT.getBytes(StandardCharsets.UTF_8);
        byte[] sig = cosigner.sign(text);
        Verifier witness = NoteKeys.parseVerifier(keys.vkey());
        assertThat(witness.verify(CHECKPOINT.replace("20852163", "20852164").getBytes(StandardCharsets.UTF_8), sig))
                .isFalse();
        assertThat(witness.verify(text, Arrays.copyOf(sig, 71))).isFalse();
        assertThat(witness.verify(text, Arrays.copyOf(sig, 73))).isFalse();
        assertThat(witness.verify(text, Arrays.copyOfRange(sig, 8, 72))).isFalse();
    }

    // ---- the spec example ----

    @Test
    void parse_specExampleCosignature_isKeyIdTimestampAndEd25519Signature() throws FormatException {
        SignedNote note = SignedNote.parse(bytes(CHECKPOINT + "\n" + SPEC_LOG_SIG + SPEC_COSIG));
        assertThat(note.text()).isEqualTo(CHECKPOINT);
        assertThat(note.signatures()).hasSize(2);

        NoteSignature cosig = note.signatures().get(1);
        byte[] raw = Base64.getDecoder().decode(SPEC_COSIG.substring(SPEC_COSIG.lastIndexOf(' ') + 1).strip());
        assertThat(raw).hasSize(4 + 72);
        assertThat(cosig.name()).isEqualTo(NAME);
        assertThat(cosig.keyId()).isEqualTo(0x8d66cf3f);
        assertThat(cosig.signature()).hasSize(CosignatureV1.SIZE).isEqualTo(Arrays.copyOfRange(raw, 4, 76));
        assertThat(CosignatureV1.timestamp(cosig)).isEqualTo(TIME);
        assertThat(cosig.line()).isEqualTo(SPEC_COSIG);

        NoteSignature logSig = note.signatures().get(0);
        assertThat(logSig.name()).isEqualTo("example.com/behind-the-sofa");
        assertThat(logSig.signature()).hasSize(64);
        assertThat(CosignatureV1.timestamp(logSig)).isEqualTo(-1);
        assertThat(note.encode()).isEqualTo(bytes(CHECKPOINT + "\n" + SPEC_LOG_SIG + SPEC_COSIG));
    }

    @Test
    void open_specExampleWithAnUnrelatedWitnessKeyOfTheSameName_ignoresTheCosignature() throws FormatException {
        // We have no public key for the example; a key of the same name but another ID must not match it.
        Verifier other = NoteKeys.parseVerifier(keys.vkey());
        assertThat(other.keyId()).isNotEqualTo(0x8d66cf3f);
        assertThatThrownBy(() -> SignedNote.open(bytes(CHECKPOINT + "\n" + SPEC_LOG_SIG + SPEC_COSIG),
                Verifiers.of(other))).isInstanceOf(VerificationException.class)
                .hasMessageContaining("no signature by a known key");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
