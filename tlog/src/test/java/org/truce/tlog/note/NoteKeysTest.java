package org.truce.tlog.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.Vectors;

/** Key strings of the signed-note family beyond the known-answer vectors. */
class NoteKeysTest {
    private static final byte[] SEED = new byte[32];
    private static final String PETER =
            Vectors.json("signed_note.json").get("go_x_mod_note_TestSign").get("vkey").asText();

    static {
        Arrays.fill(SEED, (byte) 7);
    }

    // ---- generated keys ----

    @Test
    void generate_noteKey_signsAndVerifiesThroughItsStrings() throws Exception {
        NoteKeys.KeyPair kp = NoteKeys.generate("example.com/log", NoteKeys.TYPE_ED25519, new SecureRandom());
        Signer signer = NoteKeys.parseSigner(kp.privateKey());
        Verifier verifier = NoteKeys.parseVerifier(kp.vkey());
        byte[] text = "hello\n".getBytes(StandardCharsets.UTF_8);
        byte[] sig = signer.sign(text);

        assertThat(sig).hasSize(64);
        assertThat(verifier.verify(text, sig)).isTrue();
        assertThat(verifier.keyId()).isEqualTo(signer.keyId());
        sig[0] ^= 1;
        assertThat(verifier.verify(text, sig)).isFalse();
        assertThat(kp.toString()).doesNotContain(kp.privateKey()).contains(kp.vkey());
    }

    @Test
    void generate_invalidName_throwsIllegalArgumentException() {
        for (String name : new String[] {"", "a b", "a+b", "tab\tname", "a\u00a0b"}) {
            assertThatThrownBy(() -> NoteKeys.generate(name, NoteKeys.TYPE_ED25519, new SecureRandom())).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parseSigner_keyFileWithTrailingNewline_isAccepted() {
        String skey = NoteKeys.generate("k", NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey();
        assertThatCode(() -> NoteKeys.parseSigner(skey + "\n")).doesNotThrowAnyException();
    }

    // ---- malformed keys ----

    @Test
    void parseVerifier_keyIdWithASign_throwsFormatException() throws FormatException {
        // Long.parseLong accepts "-" + 7 hex digits; a key ID is 8 hex digits and nothing else.
        byte[] pk = Ed25519.publicKey(SEED);
        String name = nameWithKeyIdAbove(0xF0000000L, NoteKeys.TYPE_ED25519, pk);
        int id = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, pk);
        String canonical = NoteKeys.vkey(name, NoteKeys.TYPE_ED25519, pk);
        assertThat(NoteKeys.parseVerifier(canonical).keyId()).isEqualTo(id);

        String signed = name + "+-" + String.format("%07x", (1L << 32) - Integer.toUnsignedLong(id)) + "+"
                + canonical.split("\\+", 3)[2];
        assertThat(signed).hasSize(canonical.length());
        assertThatThrownBy(() -> NoteKeys.parseVerifier(signed)).isInstanceOf(FormatException.class);
    }

    @Test
    void parseSigner_keyIdWithASign_throwsFormatException() throws FormatException {
        byte[] pk = Ed25519.publicKey(SEED);
        String name = nameWithKeyIdAbove(0xF0000000L, NoteKeys.TYPE_ED25519, pk);
        int id = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, pk);
        byte[] material = new byte[33];
        material[0] = NoteKeys.TYPE_ED25519;
        System.arraycopy(SEED, 0, material, 1, 32);
        String b64 = Base64.getEncoder().encodeToString(material);
        assertThat(NoteKeys.parseSigner("PRIVATE+KEY+" + name + "+" + String.format("%08x", id) + "+" + b64).keyId())
                .isEqualTo(id);

        String signed = "PRIVATE+KEY+" + name + "+-" + String.format("%07x", (1L << 32) - Integer.toUnsignedLong(id))
                + "+" + b64;
        assertThatThrownBy(() -> NoteKeys.parseSigner(signed)).isInstanceOf(FormatException.class);
    }

    @Test
    void parseVerifier_keyIdWithNonAsciiHexDigit_throwsFormatException() throws FormatException {
        assertThat(NoteKeys.parseVerifier(PETER).vkey()).isEqualTo(PETER);
        // U+FF17 FULLWIDTH DIGIT SEVEN, which Character.digit reads as 7.
        String mangled = PETER.replace("+c74f20a3+", "+c\uff174f20a3+");
        assertThat(mangled).isNotEqualTo(PETER).hasSize(PETER.length());
        assertThatThrownBy(() -> NoteKeys.parseVerifier(mangled)).isInstanceOf(FormatException.class);
    }

    @Test
    void parseVerifier_upperCaseKeyId_isAcceptedLikeGo() throws FormatException {
        Verifier v = NoteKeys.parseVerifier(PETER.replace("+c74f20a3+", "+C74F20A3+"));
        assertThat(v.keyId()).isEqualTo(0xc74f20a3);
        assertThat(v.vkey()).isEqualTo(PETER);
    }

    @Test
    void parseVerifier_keyIdNotMatchingNameAndKey_throwsFormatException() {
        String vkey = NoteKeys.vkey("a", NoteKeys.TYPE_ED25519, Ed25519.publicKey(SEED));
        String otherName = "b" + vkey.substring(1);
        assertThatThrownBy(() -> NoteKeys.parseVerifier(otherName)).isInstanceOf(FormatException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void parseVerifier_pointNotOnTheCurve_throwsFormatException() {
        byte[] bad = new byte[32];
        for (int y = 2; ; y++) {
            bad[0] = (byte) y;
            if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(bad, 0)) {
                break;
            }
        }
        String vkey = NoteKeys.vkey("k", NoteKeys.TYPE_ED25519, bad);
        assertThatThrownBy(() -> NoteKeys.parseVerifier(vkey)).isInstanceOf(FormatException.class)
                .hasMessageContaining("not a valid Ed25519 public key");
    }

    @Test
    void parseVerifier_overlongOrEmptyMaterial_throwsFormatException() {
        String longName = "n".repeat(1100);
        assertThatThrownBy(() -> NoteKeys.parseVerifier(longName + "+00000000+AQ==")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> NoteKeys.parseVerifier("k+00000000+")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> NoteKeys.parseVerifier("k+0000000+AQ==")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> NoteKeys.parseVerifier("k+000000000+AQ==")).isInstanceOf(FormatException.class);
    }

    @Test
    void parseSigner_wrongPrefixOrLength_throwsFormatException() {
        byte[] material = new byte[33];
        material[0] = NoteKeys.TYPE_ED25519;
        System.arraycopy(SEED, 0, material, 1, 32);
        int id = NoteKeys.keyId("k", NoteKeys.TYPE_ED25519, Ed25519.publicKey(SEED));
        String ok = "PRIVATE+KEY+k+" + String.format("%08x", id) + "+" + Base64.getEncoder().encodeToString(material);
        assertThatCode(() -> NoteKeys.parseSigner(ok)).doesNotThrowAnyException();

        assertThatThrownBy(() -> NoteKeys.parseSigner(ok.replace("PRIVATE+KEY", "PUBLIC+KEY")))
                .isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> NoteKeys.parseSigner(ok.replace("PRIVATE+KEY", "private+key")))
                .isInstanceOf(FormatException.class);
        String shortSeed = "PRIVATE+KEY+k+" + String.format("%08x", id) + "+"
                + Base64.getEncoder().encodeToString(Arrays.copyOf(material, 32));
        assertThatThrownBy(() -> NoteKeys.parseSigner(shortSeed)).isInstanceOf(FormatException.class);
    }

    /** A key name whose key ID, read as unsigned, is above {@code min}. */
    private static String nameWithKeyIdAbove(long min, byte type, byte[] pk) {
        for (int i = 0; ; i++) {
            String name = "example.com/k" + i;
            if (Integer.toUnsignedLong(NoteKeys.keyId(name, type, pk)) > min) {
                return name;
            }
        }
    }
}
