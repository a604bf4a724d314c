package org.truce.tlog.witness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.Ed25519;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifiers;

/**
 * Requests published with a Go witness (litewitness, in FiloSottile/torchwood; see
 * {@code vectors/SOURCE}): real logs' signed checkpoints and consistency proofs, answered with the
 * status codes of the current spec, and the cosignature checked byte for byte against the spec's
 * message signed by the JDK's own Ed25519 with litewitness's published test key.
 */
class TorchwoodVectorsTest {
    static final String SIGSUM_ORIGIN = "sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562";
    static final byte[] SIGSUM_KEY = HexFormat.of().parseHex("ffdc2d4d98e4124d3feaf788c0c2f9abfd796083d1f0495437f302ec79cf100f");
    static final String SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
    /** litewitness's test witness key: the Ed25519 seed and its public key, as its tests give them. */
    static final byte[] WITNESS_SEED = HexFormat.of().parseHex("31ffc2116ecbe003acaa800ab70757bd7d53206e3febef6a6d0796d95530b34f");
    static final byte[] WITNESS_PUBLIC = HexFormat.of().parseHex("64848ad8abed6e85981b3b3875b252b8767ebb4b02f703aca3b1e71bbd6a8e50");
    static final String WITNESS_NAME = "example.com/witness";
    static final long TIME = 1_679_315_147L;

    private final CosignatureV1.Cosigner cosigner = witnessKey();
    private final Witness witness = new Witness(cosigner, List.of(
            Witness.Log.of(NoteKeys.parseVerifier(NoteKeys.vkey(SIGSUM_ORIGIN, NoteKeys.TYPE_ED25519, SIGSUM_KEY))),
            new Witness.Log("go.sum database tree", Verifiers.parse(List.of(SUMDB_VKEY)))),
            WitnessStore.memory());

    TorchwoodVectorsTest() throws Exception {}

    @Test
    void sigsumRequests_inOrder_getTheSpecsStatusCodes() throws Exception {
        String[] files = {
            "sigsum_1_old0_size1.200", "sigsum_2_bad_signature.400", "sigsum_3_unknown_log.404",
            "sigsum_4_missing_proof.422", "sigsum_5_bad_proof.422", "sigsum_6_old1_size3.200",
            "sigsum_7_stale_old1_size5.409"
        };
        for (String f : files) {
            Witness.Outcome o = witness.addCheckpoint(vector(f));
            assertThat(o.status()).as(f + ": " + o).isEqualTo(Integer.parseInt(f.substring(f.lastIndexOf('.') + 1)));
        }
        assertThat(witness.addCheckpoint(vector("sigsum_7_stale_old1_size5.409")))
                .isEqualTo(new Witness.Outcome.Conflict(3));
    }

    @Test
    void sigsumProofFromOneToFive_fromSizeOne_isCosigned() throws Exception {
        assertThat(witness.addCheckpoint(vector("sigsum_1_old0_size1.200")).status()).isEqualTo(200);
        assertThat(witness.addCheckpoint(vector("sigsum_7_stale_old1_size5.409")).status()).isEqualTo(200);
    }

    @Test
    void witnessKey_fromLitewitnessSeed_hasItsPublicKey() {
        assertThat(Ed25519.publicKey(WITNESS_SEED)).isEqualTo(WITNESS_PUBLIC);
        assertThat(cosigner.vkey()).isEqualTo(NoteKeys.vkey(WITNESS_NAME, NoteKeys.TYPE_COSIGNATURE_V1, WITNESS_PUBLIC));
    }

    @Test
    void sumdbCheckpoint_cosignature_isTheSpecsBytesByteForByte() throws Exception {
        byte[] body = vector("sumdb_old0.200");
        Witness.Outcome o = witness.addCheckpoint(body);
        assertThat(o.status()).isEqualTo(200);
        String line = ((Witness.Outcome.Cosigned) o).body();

        SignedNote note = AddCheckpoint.parse(body).checkpoint();
        byte[] message = ("cosignature/v1\ntime " + TIME + "\n" + note.text()).getBytes(StandardCharsets.UTF_8);
        byte[] ed25519 = jdkSign(WITNESS_SEED, message);
        byte[] keyId = ByteBuffer.allocate(4).putInt(NoteKeys.keyId(WITNESS_NAME, (byte) 0x04, WITNESS_PUBLIC)).array();
        byte[] raw = ByteBuffer.allocate(4 + 8 + 64).put(keyId).putLong(TIME).put(ed25519).array();
        assertThat(line).isEqualTo("\u2014 " + WITNESS_NAME + " " + Base64.getEncoder().encodeToString(raw) + "\n");
        assertThat(jdkVerify(WITNESS_PUBLIC, message, ed25519)).isTrue();

        // The cosigned note opens with the Go sumdb key and the witness key together.
        SignedNote cosigned = note.withSignature(((Witness.Outcome.Cosigned) o).cosignatures().get(0));
        SignedNote.Verified v = cosigned.verify(Verifiers.of(
                Verifiers.parse(List.of(SUMDB_VKEY)).all().get(0), witness.verifier()));
        assertThat(v.verifiedBy()).hasSize(2);
        assertThat(Checkpoint.parse(cosigned.text()).size()).isEqualTo(35_225_469L);
        NoteSignature parsed = cosigned.signatures().get(1);
        assertThat(CosignatureV1.timestamp(parsed)).isEqualTo(TIME);
    }

    private static CosignatureV1.Cosigner witnessKey() throws Exception {
        int id = NoteKeys.keyId(WITNESS_NAME, NoteKeys.TYPE_COSIGNATURE_V1, WITNESS_PUBLIC);
        byte[] material = new byte[33];
        material[0] = NoteKeys.TYPE_COSIGNATURE_V1;
        System.arraycopy(WITNESS_SEED, 0, material, 1, 32);
        String priv = "PRIVATE+KEY+" + WITNESS_NAME + "+" + String.format("%08x", id) + "+"
                + Base64.getEncoder().encodeToString(material);
        return NoteKeys.parseCosigner(priv, Clock.fixed(Instant.ofEpochSecond(TIME), ZoneOffset.UTC));
    }

    private static byte[] vector(String name) throws IOException {
        try (InputStream in = TorchwoodVectorsTest.class.getResourceAsStream("vectors/" + name)) {
            if (in == null) {
                throw new IOException("missing vector " + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] jdkSign(byte[] seed, byte[] msg) throws Exception {
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(seed));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        s.update(msg);
        return s.sign();
    }

    private static boolean jdkVerify(byte[] pub, byte[] msg, byte[] sig) throws Exception {
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(pub));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        s.update(msg);
        return s.verify(sig);
    }
}
