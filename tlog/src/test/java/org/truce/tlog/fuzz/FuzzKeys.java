package org.truce.tlog.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;

/**
 * The fixed keys the fuzz tests verify against, and the fixed texts they sign. The keys come from a
 * {@code SHA1PRNG} seeded with 42 before its first use, so they are the same on every run and the seed
 * corpora (whose signatures were made with them) keep reaching the verification paths. Each fuzz test
 * class has a plain test that checks this, so a change of key shows as a failure rather than as seeds
 * that silently stop covering the success paths.
 */
final class FuzzKeys {
    /** The log's key: an Ed25519 note key (type 0x01) named like the checkpoints' origin. */
    static final Signer LOG_SIGNER;
    static final Verifier LOG;
    static final String LOG_VKEY = "example.com/log+3e34a5bc+AXyqoShJ3hBA9Pboo124la/2VZqZdDFQg1z0EHBuJ9un";

    /** A witness: a tlog-cosignature v1 key (type 0x04), from {@link CosignatureV1#generate}. */
    static final CosignatureV1.Cosigner WITNESS_SIGNER;
    static final Verifier WITNESS;
    static final String WITNESS_VKEY = "witness.example/w1+99cd0dbc+BOHdNkQXM6J4gdRLvuTnOABNemBiBleg1JXSZbs20Tcj";
    /** The time the witness signs at when the seed corpora are made. */
    static final long WITNESS_TIME = 1_800_000_000L;

    /** The golang.org/x/mod sumdb/note test key (shared/vectors/signed_note.json). */
    static final Verifier GO;
    /** The C2SP signed-note example key (shared/vectors/signed_note.json). */
    static final Verifier C2SP;

    /** Every key above: the known keys of the signed-note fuzz tests. */
    static final Verifiers ALL;

    /**
     * The checkpoint the seed corpora's proof bundles and cosignatures are about: a log of 300
     * entries {@code "entry 0"} … {@code "entry 299"}.
     */
    static final String CHECKPOINT_300 = "example.com/log\n300\nyjk9Apa+xeC43KuYO9H7fRRh9RLnJny4ljGtJv1m2Eg=\n";

    static {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(42); // before first use, so the stream depends on the seed alone
            NoteKeys.KeyPair log = NoteKeys.generate("example.com/log", NoteKeys.TYPE_ED25519, random);
            NoteKeys.KeyPair witness = CosignatureV1.generate("witness.example/w1", random);
            LOG_SIGNER = NoteKeys.parseSigner(log.privateKey());
            LOG = NoteKeys.parseVerifier(log.vkey());
            WITNESS_SIGNER = NoteKeys.parseCosigner(witness.privateKey(),
                    Clock.fixed(Instant.ofEpochSecond(WITNESS_TIME), ZoneOffset.UTC));
            WITNESS = NoteKeys.parseVerifier(witness.vkey());
            GO = NoteKeys.parseVerifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
            C2SP = NoteKeys.parseVerifier("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
            ALL = Verifiers.of(LOG, WITNESS, GO, C2SP);
        } catch (NoSuchAlgorithmException | FormatException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FuzzKeys() {}

    /** A seed file of a fuzz test, {@code <Class>Inputs/<method>/<name>} beside the class in resources. */
    static byte[] seed(Class<?> fuzzTest, String method, String name) {
        String resource = fuzzTest.getSimpleName() + "Inputs/" + method + "/" + name;
        try (InputStream in = fuzzTest.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no seed " + resource + " beside " + fuzzTest.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
