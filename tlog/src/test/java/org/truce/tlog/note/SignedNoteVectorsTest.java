package org.truce.tlog.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.Vectors;

/**
 * C2SP signed notes against the known answers of {@code signed_note.json} (golang.org/x/mod
 * sumdb/note tests and the C2SP spec example), and the verifier rules of the spec.
 */
class SignedNoteVectorsTest {
    private static JsonNode go;
    private static JsonNode c2sp;
    private static String text;
    private static String peterSig;
    private static String enochSig;
    private static Verifier peter;
    private static Verifier enoch;

    @BeforeAll
    static void load() throws FormatException {
        JsonNode v = Vectors.json("signed_note.json");
        go = v.get("go_x_mod_note_TestSign");
        c2sp = v.get("c2sp_signed_note_example");
        text = go.get("text").asText();
        String signed = go.get("signed_note").asText();
        assertThat(signed).startsWith(text + "\n");
        peterSig = signed.substring(text.length() + 1);
        enochSig = go.get("second_key_sig_line_same_text").asText();
        peter = NoteKeys.parseVerifier(go.get("vkey").asText());
        enoch = NoteKeys.parseVerifier(go.get("second_key_vkey").asText());
    }

    // ---- keys ----

    @Test
    void parseSigner_vectorKey_hasTheVectorVerifierKey() throws FormatException {
        Signer signer = NoteKeys.parseSigner(go.get("skey").asText());
        assertThat(signer.name()).isEqualTo("PeterNeumann");
        assertThat(signer.keyId()).isEqualTo(0xc74f20a3);
        assertThat(signer.verifier().vkey()).isEqualTo(go.get("vkey").asText());
        assertThat(NoteKeys.vkeyOf(go.get("skey").asText())).isEqualTo(go.get("vkey").asText());
    }

    @Test
    void parseVerifier_vectorKeys_keepNameIdAndCanonicalString() {
        assertThat(peter.name()).isEqualTo("PeterNeumann");
        assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
        assertThat(peter.vkey()).isEqualTo(go.get("vkey").asText());
        assertThat(enoch.name()).isEqualTo("EnochRoot");
        assertThat(enoch.keyId()).isEqualTo(0xaf0cfe78);
        assertThat(enoch.vkey()).isEqualTo(go.get("second_key_vkey").asText());
    }

    static Stream<Arguments> mustRejectVkeys() {
        List<Arguments> out = new ArrayList<>();
        Vectors.json("signed_note.json").get("go_x_mod_note_TestSign").get("must_reject_vkeys")
                .forEach(n -> out.add(Arguments.of(n.asText())));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mustRejectVkeys")
    void parseVerifier_mustRejectVector_throwsFormatException(String vkey) {
        assertThatThrownBy(() -> NoteKeys.parseVerifier(vkey)).isInstanceOf(FormatException.class);
    }

    @Test
    void parseVerifier_everyProperSubstringOfTheVectorKey_throwsFormatException() {
        String vkey = go.get("vkey").asText();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i <= vkey.length(); i++) {
            for (int j = i; j <= vkey.length(); j++) {
                if (i == 0 && j == vkey.length()) {
                    continue;
                }
                String sub = vkey.substring(i, j);
                if (parses(sub)) {
                    accepted.add(sub);
                }
            }
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void parseVerifier_everySingleByteIncrementOfTheVectorKey_throwsFormatException() {
        byte[] b = go.get("vkey").asText().getBytes(StandardCharsets.UTF_8);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            String mangled = new String(b, StandardCharsets.UTF_8);
            if (parses(mangled)) {
                accepted.add(mangled);
            }
            b[i]--;
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void parseSigner_everyProperSubstringAndByteIncrementOfTheVectorKey_throwsFormatException() {
        String skey = go.get("skey").asText();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i <= skey.length(); i++) {
            for (int j = i; j <= skey.length(); j++) {
                if ((i != 0 || j != skey.length()) && signerParses(skey.substring(i, j))) {
                    accepted.add(skey.substring(i, j));
                }
            }
        }
        byte[] b = skey.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            String mangled = new String(b, StandardCharsets.UTF_8);
            if (signerParses(mangled)) {
                accepted.add(mangled);
            }
            b[i]--;
        }
        assertThat(accepted).isEmpty();
    }

    // ---- signing and opening ----

    @Test
    void sign_vectorText_reproducesTheSignedNoteByteForByte() throws FormatException {
        Signer signer = NoteKeys.parseSigner(go.get("skey").asText());
        SignedNote note = SignedNote.sign(text, signer);
        assertThat(note.encode()).isEqualTo(go.get("signed_note").asText().getBytes(StandardCharsets.UTF_8));
        assertThat(note.signatures()).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo(peterSig);
            assertThat(s.name()).isEqualTo("PeterNeumann");
            assertThat(s.keyId()).isEqualTo(0xc74f20a3);
        });
    }

    @Test
    void open_vectorNote_verifiesWithTheVectorKey() throws Exception {
        byte[] note = go.get("signed_note").asText().getBytes(StandardCharsets.UTF_8);
        SignedNote.Verified v = SignedNote.open(note, Verifiers.of(peter));
        assertThat(v.note().text()).isEqualTo(text);
        assertThat(v.note().textBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(v.verifiedBy()).containsExactly(peter);
        assertThat(v.note().encode()).isEqualTo(note);
    }

    @Test
    void open_vectorSignature_alsoVerifiesWithTheJdkEd25519() {
        byte[] sig = Base64.getDecoder().decode(peterSig.substring(peterSig.lastIndexOf(' ') + 1).strip());
        byte[] pk = Arrays.copyOfRange(Base64.getDecoder().decode(go.get("vkey").asText().split("\\+", 3)[2]), 1, 33);
        assertThat(JdkEd25519.verify(pk, text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(sig, 4, sig.length)))
                .isTrue();
    }

    @Test
    void open_secondKeySignatureLine_verifiesOverTheSameTextWithTheSecondKey() throws Exception {
        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + enochSig), Verifiers.of(enoch));
        assertThat(v.note().text()).isEqualTo(text);
        assertThat(v.verifiedBy()).containsExactly(enoch);
    }

    @Test
    void open_bothSignatureLinesAndBothKeys_verifiesBoth() throws Exception {
        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + peterSig + enochSig), Verifiers.of(peter, enoch));
        assertThat(v.verifiedBy()).containsExactly(peter, enoch);
        assertThat(v.note().signatures()).extracting(NoteSignature::name).containsExactly("PeterNeumann", "EnochRoot");
    }

    @Test
    void open_c2spSpecExample_verifiesWithTheSpecKey() throws Exception {
        Verifier key = NoteKeys.parseVerifier(c2sp.get("vkey").asText());
        SignedNote.Verified v = SignedNote.open(bytes(c2sp.get("signed_note").asText()), Verifiers.of(key));
        assertThat(key.name()).isEqualTo("example.com/foo");
        assertThat(key.keyId()).isEqualTo(0x530d903a);
        assertThat(v.note().text()).isEqualTo("This is an example message.\n");
        assertThat(v.verifiedBy()).containsExactly(key);
    }

    // ---- malformed notes ----

    /** Each must_reject_notes description of the vector file, reproduced as the note it describes. */
    private static Map<String, byte[]> mustRejectNotes() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("text + \"\\n\" (no signature lines)", bytes(text + "\n"));
        out.put("signature line missing final newline", bytes(text + "\n" + peterSig.substring(0, peterSig.length() - 1)));
        out.put("\\x01 control char prefix", bytes("\u0001" + text + "\n" + peterSig));
        byte[] ff = bytes(text + "\n" + peterSig);
        byte[] withFf = new byte[ff.length + 1];
        withFf[0] = (byte) 0xFF;
        System.arraycopy(ff, 0, withFf, 1, ff.length);
        out.put("\\xff invalid UTF-8 prefix", withFf);
        out.put("key name containing space ('Bad Name')",
                bytes(text + "\n" + peterSig.replace("PeterNeumann", "Bad Name")));
        out.put("extra non-signature line after signatures ('Unexpected line.')",
                bytes(text + "\n" + peterSig + "Unexpected line.\n"));
        out.put("101 signatures (Go limit is 100)", bytes(text + "\n" + peterSig.repeat(101)));
        return out;
    }

    @Test
    void mustRejectNotes_everyVectorDescription_isReproducedHere() {
        List<String> descriptions = new ArrayList<>();
        go.get("must_reject_notes").forEach(n -> descriptions.add(n.asText()));
        assertThat(mustRejectNotes().keySet()).containsExactlyElementsOf(descriptions);
    }

    static Stream<Arguments> mustRejectNoteCases() {
        return mustRejectNotes().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mustRejectNoteCases")
    void open_mustRejectNote_throwsFormatException(String description, byte[] note) {
        assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> SignedNote.open(note, Verifiers.of(peter))).isInstanceOf(FormatException.class);
    }

    @Test
    void open_textWithoutBlankLine_throwsFormatException() {
        assertThatThrownBy(() -> SignedNote.open(bytes(text), Verifiers.of(peter))).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> SignedNote.open(bytes(text + peterSig), Verifiers.of(peter)))
                .isInstanceOf(FormatException.class);
    }

    @Test
    void open_badNameWithFinalNewlineAndWithout_throwsFormatException() {
        String bad = "\u2014 Bad Name "
                + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + bad), Verifiers.of(peter)))
                .isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + bad + "\n"), Verifiers.of(peter)))
                .isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + peterSig.replace("PeterNeumann", "Peter+Neumann")),
                Verifiers.of(peter))).isInstanceOf(FormatException.class);
    }

    @Test
    void open_hundredSignatures_isTheLimitAndVerifies() throws Exception {
        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + peterSig.repeat(100)), Verifiers.of(peter));
        assertThat(v.note().signatures()).hasSize(100);
        assertThat(v.verifiedBy()).containsExactly(peter);
    }

    @Test
    void parse_signatureLineVariants_throwFormatException() {
        String sig = peterSig.substring(peterSig.lastIndexOf(' ') + 1, peterSig.length() - 1);
        for (String line : List.of(
                "- PeterNeumann " + sig + "\n",                 // ASCII hyphen, not an em dash
                "\u2014PeterNeumann " + sig + "\n",             // no space after the dash
                "\u2014 PeterNeumann  " + sig + "\n",           // two spaces
                "\u2014 PeterNeumann\n",                        // no signature
                "\u2014  " + sig + "\n",                        // empty name
                "\u2014 PeterNeumann " + sig.replace("=", "") + "\n", // unpadded base64
                "\u2014 PeterNeumann x08go/Z=\n",               // non-canonical base64 (trailing bits)
                "\u2014 PeterNeumann x08gow==\n",               // key ID and nothing else
                "\u2014 PeterNeumann " + sig + " \n")) {        // trailing space
            assertThatThrownBy(() -> SignedNote.parse(bytes(text + "\n" + line))).as(line)
                    .isInstanceOf(FormatException.class);
        }
    }

    @Test
    void parse_noteLargerThanTheLimit_throwsFormatException() {
        String big = "x".repeat(SignedNote.MAX_SIZE) + "\n";
        assertThatThrownBy(() -> SignedNote.parse(bytes(big + "\n" + peterSig))).isInstanceOf(FormatException.class);
    }

    @Test
    void parse_controlCharactersOtherThanNewline_throwFormatException() {
        for (char c : new char[] {'\t', '\r', '\u0000', '\u001f'}) {
            assertThatThrownBy(() -> SignedNote.parse(bytes("a" + c + "b\n\n" + peterSig))).as("0x%02x", (int) c)
                    .isInstanceOf(FormatException.class);
        }
    }

    // ---- verifier rules ----

    @Test
    void open_onlyUnknownKeySignatures_throwsVerificationException() {
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + peterSig), Verifiers.of(enoch)))
                .isInstanceOf(VerificationException.class);
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + peterSig + enochSig), Verifiers.of()))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void open_unknownAndKnownKeySignatures_verifiesWithTheKnownKey() throws Exception {
        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + enochSig + peterSig), Verifiers.of(peter));
        assertThat(v.verifiedBy()).containsExactly(peter);
    }

    @Test
    void open_unknownKeyWithTheSameNameAsAKnownKey_isIgnored() throws Exception {
        // Same name, different key and therefore key ID: an unknown key the verifier must skip.
        Verifier impostor = NoteKeys.parseVerifier(
                NoteKeys.generate("PeterNeumann", NoteKeys.TYPE_ED25519, new SecureRandom()).vkey());
        assertThat(impostor.keyId()).isNotEqualTo(peter.keyId());

        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + peterSig + enochSig), Verifiers.of(impostor, enoch));
        assertThat(v.verifiedBy()).containsExactly(enoch);
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + peterSig), Verifiers.of(impostor)))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void open_knownKeyWithBadSignature_throwsVerificationExceptionEvenIfAnotherKnownKeyVerifies() {
        String badEnoch = corrupt(enochSig);
        for (String sigs : List.of(peterSig + badEnoch, badEnoch + peterSig)) {
            assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + sigs), Verifiers.of(peter, enoch)))
                    .as(sigs).isInstanceOf(VerificationException.class).hasMessageContaining("EnochRoot");
        }
    }

    @Test
    void open_knownKeySignatureOverOtherText_throwsVerificationException() {
        String other = text.replace("problem is.", "problem is!");
        assertThat(other).isNotEqualTo(text);
        assertThatThrownBy(() -> SignedNote.open(bytes(other + "\n" + peterSig), Verifiers.of(peter)))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void open_duplicateSignaturesBySameKey_areTolerated() throws Exception {
        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + peterSig + enochSig + peterSig + enochSig),
                Verifiers.of(peter, enoch));
        assertThat(v.verifiedBy()).containsExactly(peter, enoch);
        assertThat(v.note().signatures()).hasSize(4);
    }

    @Test
    void open_repeatedSignatureOfKnownKeyThatFails_throwsVerificationException() {
        // A known key's every signature line is checked: a bad repeat after a good one rejects the note.
        assertThatThrownBy(() -> SignedNote.open(bytes(text + "\n" + peterSig + corrupt(peterSig)), Verifiers.of(peter)))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void open_badSignatureOfAnUnknownKey_isIgnored() throws Exception {
        SignedNote.Verified v = SignedNote.open(bytes(text + "\n" + peterSig + corrupt(enochSig)), Verifiers.of(peter));
        assertThat(v.verifiedBy()).containsExactly(peter);
    }

    @Test
    void verifiersOf_twoKeysWithTheSameNameAndId_throwsIllegalArgumentException() throws FormatException {
        Verifier again = NoteKeys.parseVerifier(go.get("vkey").asText());
        assertThatThrownBy(() -> Verifiers.of(peter, again)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifiersParse_vectorKeys_findsEachByNameAndId() throws FormatException {
        Verifiers known = Verifiers.parse(List.of(go.get("vkey").asText(), go.get("second_key_vkey").asText()));
        assertThat(known.find("PeterNeumann", 0xc74f20a3)).isNotNull();
        assertThat(known.find("EnochRoot", 0xaf0cfe78)).isNotNull();
        assertThat(known.find("PeterNeumann", 0xaf0cfe78)).isNull();
        assertThat(known.find("PeterNeuman", 0xc74f20a3)).isNull();
        assertThat(known.all()).hasSize(2);
    }

    // ---- building notes ----

    @Test
    void sign_textWithEmptyLines_opensToTheSameText() throws Exception {
        Signer signer = NoteKeys.parseSigner(go.get("skey").asText());
        String poem = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n";
        SignedNote.Verified v = SignedNote.open(SignedNote.sign(poem, signer).encode(), Verifiers.of(peter));
        assertThat(v.note().text()).isEqualTo(poem);
    }

    @Test
    void sign_malformedText_throwsIllegalArgumentException() throws FormatException {
        Signer signer = NoteKeys.parseSigner(go.get("skey").asText());
        assertThatThrownBy(() -> SignedNote.sign("no final newline", signer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedNote.sign("tab\there\n", signer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedNote.sign(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withSignature_addsANewSignatureOnceAndKeepsTheText() throws Exception {
        SignedNote note = SignedNote.parse(bytes(text + "\n" + peterSig));
        SignedNote enochToo = SignedNote.parse(bytes(text + "\n" + enochSig));
        NoteSignature e = enochToo.signatures().get(0);

        SignedNote both = note.withSignature(e);
        assertThat(both.signatures()).hasSize(2);
        assertThat(both.withSignature(e)).isSameAs(both);
        assertThat(note.signatures()).hasSize(1);
        assertThat(both.encode()).isEqualTo(bytes(text + "\n" + peterSig + enochSig));
        assertThatCode(() -> both.verify(Verifiers.of(peter, enoch))).doesNotThrowAnyException();
    }

    // ---- helpers ----

    private static boolean parses(String vkey) {
        try {
            NoteKeys.parseVerifier(vkey);
            return true;
        } catch (FormatException e) {
            return false;
        }
    }

    private static boolean signerParses(String skey) {
        try {
            NoteKeys.parseSigner(skey);
            return true;
        } catch (FormatException e) {
            return false;
        }
    }

    /** The same signature line with one byte of the signature (after the key ID) changed. */
    private static String corrupt(String line) {
        int sp = line.lastIndexOf(' ');
        byte[] raw = Base64.getDecoder().decode(line.substring(sp + 1).strip());
        raw[10] ^= 0x01;
        return line.substring(0, sp + 1) + Base64.getEncoder().encodeToString(raw) + "\n";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
