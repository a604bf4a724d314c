package org.truce.tlog.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.append.Appender;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.MemoryTree;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.tiles.TileStorage;

class TlogProofTest {
    private static final String ORIGIN = "example.com/truce/proof-log";
    /** 700 entries: full tiles 0 and 1, partial tile 2 of 188 entries. */
    private static final int SIZE = 700;

    private static NoteKeys.KeyPair keys;
    private static Signer signer;
    private static Verifier logKey;

    @TempDir
    Path dir;

    private TileStorage log;
    private MemoryTree tree;
    private Appender appender;

    @BeforeAll
    static void keys() throws FormatException {
        keys = NoteKeys.generate(ORIGIN, NoteKeys.TYPE_ED25519, new SecureRandom());
        signer = NoteKeys.parseSigner(keys.privateKey());
        logKey = NoteKeys.parseVerifier(keys.vkey());
    }

    private void writeLog(int... batches) {
        log = TileStorage.directory(dir);
        tree = new MemoryTree();
        appender = Appender.open(log, signer);
        long next = 0;
        for (int n : batches) {
            List<byte[]> batch = entries(next, n);
            batch.forEach(tree::appendEntry);
            appender.append(batch);
            next += n;
        }
    }

    private SignedNote note() {
        return appender.checkpoint().note();
    }

    // ---------------------------------------------------------------- create, round trip, verify

    @Test
    void create_firstLastFullTileAndPartialTileEntries_roundTripsAndVerifies() throws Exception {
        writeLog(300, 400);
        for (long index : new long[] {0, SIZE - 1, 300, 600}) {
            TlogProof proof = TlogProof.create(log, note(), index);

            assertThat(proof.index()).isEqualTo(index);
            assertThat(proof.extra()).isEqualTo(entry(index));
            assertThat(proof.proof()).isEqualTo(tree.inclusion(index, SIZE));
            assertThat(TlogProof.parse(proof.encode())).isEqualTo(proof);
            assertThat(TlogProof.parse(proof.encode()).encode()).isEqualTo(proof.encode());
            Checkpoint.Signed cp = TlogProof.parse(proof.encode()).verifyExtra(logKey, Verifiers.of(logKey));
            assertThat(cp.checkpoint().size()).isEqualTo(SIZE);
            assertThat(cp.checkpoint().root()).isEqualTo(tree.root());
        }
        audit();
    }

    @Test
    void create_logOfOneEntry_hasEmptyProofAndVerifies() throws Exception {
        writeLog(1);

        TlogProof proof = TlogProof.create(log, note(), 0);

        assertThat(proof.proof()).isEmpty();
        assertThat(TlogProof.parse(proof.encode())).isEqualTo(proof);
        TlogProof.parse(proof.encode()).verifyExtra(logKey, Verifiers.of(logKey));
        audit();
    }

    @Test
    void create_indexOutsideLog_throwsFormatException() throws Exception {
        writeLog(SIZE);

        assertThatThrownBy(() -> TlogProof.create(log, note(), SIZE)).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> TlogProof.create(log, note(), -1)).isInstanceOf(FormatException.class);
        audit();
    }

    @Test
    void verify_givenLeafHashOfEntry_verifiesWithoutExtra() throws Exception {
        writeLog(SIZE);
        TlogProof full = TlogProof.create(log, note(), 42);
        TlogProof bare = new TlogProof(null, 42, full.proof(), full.checkpoint());

        assertThat(new String(bare.encode(), StandardCharsets.UTF_8)).doesNotContain("extra ");
        TlogProof parsed = TlogProof.parse(bare.encode());
        assertThat(parsed.extra()).isNull();
        parsed.verify(Rfc9162.leafHash(entry(42)), logKey, Verifiers.of(logKey));
        assertThatThrownBy(() -> parsed.verifyExtra(logKey, Verifiers.of(logKey)))
                .isInstanceOf(VerificationException.class);
        audit();
    }

    // ---------------------------------------------------------------- tampering is caught

    @Test
    void verifyExtra_wrongKey_fails() throws Exception {
        writeLog(SIZE);
        TlogProof proof = TlogProof.parse(TlogProof.create(log, note(), 600).encode());
        Verifier sameNameOtherKey = NoteKeys.parseVerifier(
                NoteKeys.generate(ORIGIN, NoteKeys.TYPE_ED25519, new SecureRandom()).vkey());
        Verifier otherName = NoteKeys.parseVerifier(
                NoteKeys.generate("example.com/other", NoteKeys.TYPE_ED25519, new SecureRandom()).vkey());

        assertThatThrownBy(() -> proof.verifyExtra(sameNameOtherKey, Verifiers.of(sameNameOtherKey)))
                .isInstanceOf(VerificationException.class);
        assertThatThrownBy(() -> proof.verifyExtra(otherName, Verifiers.of(otherName)))
                .isInstanceOf(VerificationException.class);
        audit();
    }

    @Test
    void verifyExtra_oneBitFlippedInAnyProofHash_fails() throws Exception {
        writeLog(300, 400);
        for (long index : new long[] {0, 300, 600, SIZE - 1}) {
            TlogProof proof = TlogProof.create(log, note(), index);
            assertThat(proof.proof()).isNotEmpty();
            for (int h = 0; h < proof.proof().size(); h++) {
                for (int bit : new int[] {0, 77, 255}) {
                    List<Hash> hashes = new ArrayList<>(proof.proof());
                    byte[] b = hashes.get(h).bytes();
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                    hashes.set(h, Hash.of(b));
                    TlogProof bad = TlogProof.parse(new TlogProof(proof.extra(), index, hashes, proof.checkpoint()).encode());

                    assertThatThrownBy(() -> bad.verifyExtra(logKey, Verifiers.of(logKey)))
                            .as("index %d, hash %d, bit %d", index, h, bit)
                            .isInstanceOf(VerificationException.class);
                }
            }
        }
        audit();
    }

    @Test
    void verifyExtra_wrongIndex_fails() throws Exception {
        writeLog(SIZE);
        for (long index : new long[] {0, 300, 600, SIZE - 1}) {
            TlogProof proof = TlogProof.create(log, note(), index);
            for (long wrong : new long[] {index - 1, index + 1, index ^ 256, SIZE, Long.MAX_VALUE}) {
                if (wrong < 0 || wrong == index) {
                    continue;
                }
                TlogProof bad = TlogProof.parse(new TlogProof(proof.extra(), wrong, proof.proof(), proof.checkpoint()).encode());

                assertThatThrownBy(() -> bad.verifyExtra(logKey, Verifiers.of(logKey)))
                        .as("index %d claimed as %d", index, wrong)
                        .isInstanceOf(VerificationException.class);
            }
        }
        audit();
    }

    @Test
    void verifyExtra_modifiedEntry_fails() throws Exception {
        writeLog(SIZE);
        TlogProof proof = TlogProof.create(log, note(), 600);
        byte[] changed = proof.extra();
        changed[changed.length - 1] ^= 0x01;
        List<byte[]> extras = List.of(changed, entry(601), new byte[0],
                Arrays.copyOf(proof.extra(), proof.extra().length + 1));

        for (byte[] extra : extras) {
            TlogProof bad = TlogProof.parse(new TlogProof(extra, 600, proof.proof(), proof.checkpoint()).encode());
            assertThatThrownBy(() -> bad.verifyExtra(logKey, Verifiers.of(logKey))).isInstanceOf(VerificationException.class);
        }
        audit();
    }

    @Test
    void verifyExtra_checkpointOfOtherSize_fails() throws Exception {
        writeLog(SIZE);
        TlogProof proof = TlogProof.create(log, note(), 600);
        appender.append(entries(SIZE, 10));
        TlogProof stale = new TlogProof(proof.extra(), 600, proof.proof(), note());

        assertThatThrownBy(() -> stale.verifyExtra(logKey, Verifiers.of(logKey))).isInstanceOf(VerificationException.class);
        TlogProof.create(log, note(), 600).verifyExtra(logKey, Verifiers.of(logKey));
        audit();
    }

    // ---------------------------------------------------------------- the text format

    @Test
    void encode_proof_isHeaderExtraIndexHashesBlankLineAndNoteVerbatim() throws Exception {
        writeLog(300, 400);
        TlogProof proof = TlogProof.create(log, note(), 600);

        String text = new String(proof.encode(), StandardCharsets.UTF_8);

        String expected = "c2sp.org/tlog-proof@v1\n"
                + "extra " + Base64.getEncoder().encodeToString(entry(600)) + "\n"
                + "index 600\n"
                + tree.inclusion(600, SIZE).stream().map(h -> Base64.getEncoder().encodeToString(h.bytes()) + "\n")
                        .collect(Collectors.joining())
                + "\n"
                + new String(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT)), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(expected);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo(TlogProof.HEADER);
        assertThat(lines.get(1)).startsWith("extra ");
        assertThat(lines.get(2)).isEqualTo("index 600");
        int hashes = tree.inclusion(600, SIZE).size();
        assertThat(lines.subList(3, 3 + hashes)).allSatisfy(l -> assertThat(Base64.getDecoder().decode(l)).hasSize(32));
        assertThat(lines.get(3 + hashes)).isEmpty();
        assertThat(lines.get(4 + hashes)).isEqualTo(ORIGIN);
        assertThat(lines.get(5 + hashes)).isEqualTo(Integer.toString(SIZE));
        audit();
    }

    // ---------------------------------------------------------------- malformed bundles

    @Test
    void parse_wrongHeader_throwsFormatException() throws Exception {
        writeLog(SIZE);
        String good = text(TlogProof.create(log, note(), 5));
        for (String header : List.of("c2sp.org/tlog-proof@v2", "c2sp.org/tlog-proof@v1 ", "C2SP.ORG/TLOG-PROOF@V1", "")) {
            assertMalformed(good.replaceFirst("c2sp\\.org/tlog-proof@v1", Matcher.quoteReplacement(header)));
        }
        assertMalformed("");
        audit();
    }

    @Test
    void parse_badIndexLine_throwsFormatException() throws Exception {
        writeLog(SIZE);
        String good = text(TlogProof.create(log, note(), 5));
        for (String index : List.of("index 05", "index 00", "index -5", "index +5", "index 5 ", "index  5", "index ",
                "index 99999999999999999999", "index 0x5", "Index 5")) {
            assertMalformed(good.replace("index 5\n", index + "\n"));
        }
        assertMalformed(good.replace("index 5\n", ""));
        audit();
    }

    @Test
    void parse_64Hashes_throwsFormatExceptionAnd63Parse() throws Exception {
        writeLog(SIZE);
        TlogProof good = TlogProof.create(log, note(), 5);
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] b = new byte[32];
            b[0] = (byte) i;
            hashes.add(Hash.of(b));
        }
        String withHashes = text(good).replaceFirst("index 5\n(?s).*?\n\n", "index 5\n"
                + hashes.stream().map(h -> h.base64() + "\n").collect(Collectors.joining()) + "\n");

        assertMalformed(withHashes);
        TlogProof sixtyThree = TlogProof.parse(withHashes.replaceFirst("index 5\n[^\n]*\n", "index 5\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(sixtyThree.proof()).hasSize(63);
        assertThatThrownBy(() -> sixtyThree.verifyExtra(logKey, Verifiers.of(logKey))).isInstanceOf(VerificationException.class);
        audit();
    }

    @Test
    void parse_badHashLine_throwsFormatException() throws Exception {
        writeLog(SIZE);
        TlogProof good = TlogProof.create(log, note(), 5);
        String first = good.proof().get(0).base64();
        String text = text(good);
        String shortHash = Base64.getEncoder().encodeToString(new byte[31]);
        String longHash = Base64.getEncoder().encodeToString(new byte[33]);
        for (String bad : List.of("!" + first.substring(1), first.substring(1), first + "A", shortHash, longHash,
                first + " ", " " + first, good.proof().get(0).hex())) {
            assertMalformed(text.replace(first + "\n", bad + "\n"));
        }
        audit();
    }

    @Test
    void parse_badExtra_throwsFormatException() throws Exception {
        writeLog(SIZE);
        String text = text(TlogProof.create(log, note(), 5));

        assertMalformed(text.replaceFirst("extra [^\n]*\n", "extra ***\n"));
        audit();
    }

    @Test
    void parse_missingBlankLine_throwsFormatException() throws Exception {
        writeLog(SIZE);
        String text = text(TlogProof.create(log, note(), 5));
        int blank = text.indexOf("\n\n");

        assertMalformed(text.substring(0, blank + 1) + text.substring(blank + 2));
        audit();
    }

    @Test
    void parse_truncatedAnywhere_throwsFormatException() throws Exception {
        writeLog(SIZE);
        byte[] good = TlogProof.create(log, note(), 5).encode();

        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> TlogProof.parse(cut)).as("truncated to %d of %d bytes", len, good.length)
                    .isInstanceOf(FormatException.class);
        }
        audit();
    }

    @Test
    void parse_oversized_throwsFormatException() throws Exception {
        byte[] huge = new byte[TlogProof.MAX_SIZE + 1];
        Arrays.fill(huge, (byte) 'A');

        assertThatThrownBy(() -> TlogProof.parse(huge)).isInstanceOf(FormatException.class);
    }

    // ---------------------------------------------------------------- offline verification

    @Test
    void verifyExtra_proofFileAndVkeyOnly_verifiesOffline(@TempDir Path elsewhere) throws Exception {
        writeLog(300, 400);
        Path proofFile = elsewhere.resolve("entry-600.tlog-proof");
        Files.write(proofFile, TlogProof.create(log, note(), 600).encode());
        String vkey = keys.vkey();
        byte[] expectedEntry = entry(600);
        audit();
        deleteTree(dir);
        assertThat(dir).doesNotExist();

        Verifier key = NoteKeys.parseVerifier(vkey);
        TlogProof proof = TlogProof.parse(Files.readAllBytes(proofFile));
        Checkpoint.Signed cp = proof.verifyExtra(key, Verifiers.of(key));

        assertThat(proof.extra()).isEqualTo(expectedEntry);
        assertThat(proof.index()).isEqualTo(600);
        assertThat(cp.checkpoint().origin()).isEqualTo(ORIGIN);
        assertThat(cp.checkpoint().size()).isEqualTo(SIZE);
        assertThat(cp.verifiedBy()).extracting(Verifier::vkey).containsExactly(vkey);
    }

    // ---------------------------------------------------------------- helpers

    private static List<byte[]> entries(long from, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (long i = from; i < from + n; i++) {
            out.add(entry(i));
        }
        return out;
    }

    private static byte[] entry(long i) {
        return ("{\"seq\":" + i + ",\"note\":\"" + "z".repeat((int) (i % 17)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String text(TlogProof proof) {
        return new String(proof.encode(), StandardCharsets.UTF_8);
    }

    private static void assertMalformed(String text) {
        assertThatThrownBy(() -> TlogProof.parse(text.getBytes(StandardCharsets.UTF_8)))
                .as("%s", text)
                .isInstanceOf(FormatException.class);
    }

    private void audit() {
        AuditReport report = new Auditor(log, logKey).audit(null, Auditor.Progress.NONE);
        assertThat(report).as("audit of the whole log").isInstanceOf(AuditReport.Verified.class);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
