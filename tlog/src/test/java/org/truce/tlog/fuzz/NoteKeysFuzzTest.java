package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;

/**
 * The key-string parsers, {@link NoteKeys#parseVerifier}, {@link NoteKeys#parseSigner} (with
 * {@link NoteKeys#parseCosigner} and {@link NoteKeys#vkeyOf} on the same input) and
 * {@link Verifiers#parse}: only {@link FormatException} may escape. Inputs are Java strings decoded by
 * Jazzer's data provider, which can produce any UTF-16, unpaired surrogates included; plain text seeds
 * decode to themselves.
 */
class NoteKeysFuzzTest {
    private static final byte[] MESSAGE = FuzzKeys.utf8(FuzzKeys.CHECKPOINT_300);
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(FuzzKeys.WITNESS_TIME), ZoneOffset.UTC);

    @FuzzTest
    void parseVerifier(FuzzedDataProvider data) {
        String vkey = data.consumeRemainingAsString();
        Verifier v;
        try {
            v = NoteKeys.parseVerifier(vkey);
        } catch (FormatException expected) {
            return;
        }
        // The canonical string names the same key, and is a fixed point.
        Verifier again;
        try {
            again = NoteKeys.parseVerifier(v.vkey());
        } catch (FormatException e) {
            throw new AssertionError("the canonical vkey of a parsed key does not parse: " + v.vkey(), e);
        }
        assertThat(again.vkey()).isEqualTo(v.vkey());
        assertThat(again.name()).isEqualTo(v.name());
        assertThat(again.keyId()).isEqualTo(v.keyId());
        assertThat(vkey).startsWith(v.name() + "+");
        // A signature of the wrong length is refused, not thrown on. (An all-zero signature of the
        // right length is no test: it can verify under a small-order public key, as in every Ed25519.)
        assertThat(v.verify(MESSAGE, new byte[10])).isFalse();
    }

    @FuzzTest
    void parseSigner(FuzzedDataProvider data) {
        String key = data.consumeRemainingAsString();
        Signer signer = null;
        try {
            signer = NoteKeys.parseSigner(key);
        } catch (FormatException expected) {
            // Maybe a cosigner key; tried below.
        }
        CosignatureV1.Cosigner cosigner = null;
        try {
            cosigner = NoteKeys.parseCosigner(key, CLOCK);
        } catch (FormatException expected) {
            // Declared outcome.
        }
        String vkey;
        try {
            vkey = NoteKeys.vkeyOf(key);
        } catch (FormatException e) {
            assertThat(signer).as("vkeyOf refuses a key parseSigner took").isNull();
            assertThat(cosigner).as("vkeyOf refuses a key parseCosigner took").isNull();
            return;
        }
        assertThat(signer == null || cosigner == null).as("a key is of one type only").isTrue();
        Signer s = signer != null ? signer : cosigner;
        if (s == null) {
            return; // a well-formed key of a type neither parser takes
        }
        Verifier v;
        try {
            v = NoteKeys.parseVerifier(vkey);
        } catch (FormatException e) {
            throw new AssertionError("the vkey of a parsed private key does not parse: " + vkey, e);
        }
        assertThat(v.name()).isEqualTo(s.name());
        assertThat(v.keyId()).isEqualTo(s.keyId());
        assertThat(s.verifier().vkey()).isEqualTo(vkey);
        assertThat(v.verify(MESSAGE, s.sign(MESSAGE))).isTrue();
    }

    /** A list of vkeys, one a line, as a configuration file would give them. */
    @FuzzTest
    void parseVerifierList(FuzzedDataProvider data) {
        List<String> vkeys = List.of(data.consumeRemainingAsString().split("\n", -1));
        Verifiers vs;
        try {
            vs = Verifiers.parse(vkeys);
        } catch (FormatException expected) {
            return;
        }
        assertThat(vs.all()).hasSize(vkeys.size());
        for (Verifier v : vs.all()) {
            assertThat(vs.find(v.name(), v.keyId())).isSameAs(v);
        }
    }

    /** The valid seeds parse, so regression runs cover the success paths. */
    @Test
    void validSeedsParse() throws Exception {
        for (String seed : new String[] {"log", "go", "c2sp", "witness"}) {
            String vkey = FuzzKeys.utf8(FuzzKeys.seed(getClass(), "parseVerifier", seed));
            assertThat(NoteKeys.parseVerifier(vkey).vkey()).isEqualTo(vkey);
        }
        assertThat(FuzzKeys.LOG.vkey()).isEqualTo(FuzzKeys.LOG_VKEY);
        assertThat(FuzzKeys.WITNESS.vkey()).isEqualTo(FuzzKeys.WITNESS_VKEY);
        assertThat(NoteKeys.parseSigner(FuzzKeys.utf8(FuzzKeys.seed(getClass(), "parseSigner", "log"))).keyId())
                .isEqualTo(FuzzKeys.LOG.keyId());
        assertThat(NoteKeys.parseCosigner(FuzzKeys.utf8(FuzzKeys.seed(getClass(), "parseSigner", "witness")), CLOCK)
                .vkey()).isEqualTo(FuzzKeys.WITNESS_VKEY);
        assertThat(Verifiers.parse(List.of(
                FuzzKeys.utf8(FuzzKeys.seed(getClass(), "parseVerifierList", "three")).split("\n"))).all()).hasSize(3);
    }
}
