package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TilePath;

/**
 * Fuzz tests of every parser of untrusted log input. Each may throw only its declared checked
 * exceptions; anything else escaping is a bug. Without {@code JAZZER_FUZZ=1} they replay their seed
 * corpora (in this class's {@code …Inputs/<method>} resource directories) as ordinary tests; with it,
 * one method at a time fuzzes, e.g.
 * {@code JAZZER_FUZZ=1 ./mvnw -pl tlog test -Dtest=ParserFuzzTest#signedNote -Djazzer.max_duration=10m}.
 */
class ParserFuzzTest {
    private static final Verifier LOG_KEY;
    private static final Verifier WITNESS_KEY;
    private static final String CHECKPOINT_TEXT = "example.com/log\n5\n" + Rfc9162.EMPTY_ROOT.base64() + "\n";

    static {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(42);
            LOG_KEY = NoteKeys.parseVerifier(NoteKeys.generate("example.com/log", NoteKeys.TYPE_ED25519, seeded).vkey());
            WITNESS_KEY = NoteKeys.parseVerifier(CosignatureV1.generate("witness.example/w1", seeded).vkey());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest
    void signedNote(byte @NotNull [] data) {
        try {
            SignedNote n = SignedNote.parse(data);
            SignedNote again = SignedNote.parse(n.encode());
            assertThat(again.text()).isEqualTo(n.text());
            assertThat(again.signatures()).isEqualTo(n.signatures());
            n.verify(Verifiers.of(LOG_KEY, WITNESS_KEY));
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes of untrusted input.
        }
    }

    @FuzzTest
    void verifierKey(byte @NotNull [] data) {
        String vkey = utf8(data);
        try {
            Verifier v = NoteKeys.parseVerifier(vkey);
            assertThat(NoteKeys.parseVerifier(v.vkey()).vkey()).isEqualTo(v.vkey());
        } catch (FormatException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void privateKey(byte @NotNull [] data) {
        String key = utf8(data);
        try {
            NoteKeys.parseSigner(key);
        } catch (FormatException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void checkpoint(byte @NotNull [] data) {
        String text = utf8(data);
        try {
            Checkpoint c = Checkpoint.parse(text);
            assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
            assertThat(c.text()).isEqualTo(text);
        } catch (FormatException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void signedCheckpoint(byte @NotNull [] note) {
        try {
            Checkpoint.open(note, LOG_KEY, Verifiers.of(LOG_KEY, WITNESS_KEY));
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes.
        }
    }

    @FuzzTest
    void cosignatureLine(FuzzedDataProvider data) {
        String lines = data.consumeRemainingAsString();
        byte[] note = (CHECKPOINT_TEXT + "\n" + lines).getBytes(StandardCharsets.UTF_8);
        try {
            SignedNote.open(note, Verifiers.of(WITNESS_KEY));
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes.
        }
    }

    @FuzzTest
    void tilePath(byte @NotNull [] data) {
        String path = utf8(data);
        try {
            TilePath p = TilePath.parse(path);
            assertThat(p.path()).isEqualTo(path);
            assertThat(TilePath.parse(p.path())).isEqualTo(p);
        } catch (FormatException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void entryBundle(FuzzedDataProvider data) {
        int width = data.consumeInt(-2, 258);
        byte[] bundle = data.consumeRemainingAsBytes();
        try {
            List<byte[]> entries = EntryBundle.parse(bundle, width);
            assertThat(EntryBundle.encode(entries)).isEqualTo(bundle);
        } catch (FormatException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void inclusionProof(FuzzedDataProvider data) {
        long index = data.consumeLong();
        long size = data.consumeLong();
        byte[] leaf = data.consumeBytes(40);
        byte[] root = data.consumeBytes(40);
        List<byte[]> proof = hashes(data);
        try {
            ProofVerifier.verifyInclusion(index, size, leaf, proof, root);
        } catch (VerificationException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void consistencyProof(FuzzedDataProvider data) {
        long size1 = data.consumeLong();
        long size2 = data.consumeLong();
        byte[] root1 = data.consumeBytes(40);
        byte[] root2 = data.consumeBytes(40);
        List<byte[]> proof = hashes(data);
        try {
            ProofVerifier.verifyConsistency(size1, size2, proof, root1, root2);
        } catch (VerificationException expected) {
            // Declared outcome.
        }
    }

    @FuzzTest
    void proofBundle(byte @NotNull [] data) {
        try {
            TlogProof p = TlogProof.parse(data);
            assertThat(TlogProof.parse(p.encode())).isEqualTo(p);
            p.verifyExtra(LOG_KEY, Verifiers.of(LOG_KEY));
        } catch (FormatException | VerificationException expected) {
            // Declared outcomes.
        }
    }

    private static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static List<byte[]> hashes(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 70);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            byte[] h = data.consumeBytes(data.consumeBoolean() ? 32 : 33);
            out.add(Arrays.copyOf(h, h.length));
        }
        return out;
    }
}
