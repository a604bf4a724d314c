package org.truce.tlog.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.truce.tlog.VerificationException;
import org.truce.tlog.Vectors;

/**
 * Runs every transparency-dev/merkle proof vector under {@code merkle/testdata/inclusion} and
 * {@code merkle/testdata/consistency} through the raw-byte verifier: it must throw exactly when the
 * vector says {@code wantErr}.
 */
class ProofVerifierVectorsTest {
    private static final String TESTDATA = "merkle/testdata";

    /**
     * transparency-dev accepts equal sizes with an empty proof and equal roots whatever the roots'
     * length: this vector uses 12-byte "don't care" roots. Our verifier refuses every hash that is not
     * 32 bytes, so the vector is checked separately below, not through the generic loop.
     */
    private static final String EQUAL_SIZES_DONT_CARE_ROOTS =
            "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json";

    // ---- vector discovery ----

    static Stream<Arguments> inclusionVectors() throws IOException {
        return vectors("inclusion");
    }

    static Stream<Arguments> consistencyVectors() throws IOException {
        return vectors("consistency").filter(a -> !a.get()[0].equals(EQUAL_SIZES_DONT_CARE_ROOTS));
    }

    private static Stream<Arguments> vectors(String kind) throws IOException {
        Path root = Vectors.path(TESTDATA);
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root.resolve(kind))) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .forEach(p -> out.add(Arguments.of(
                            root.relativize(p).toString().replace(java.io.File.separatorChar, '/'), p)));
        }
        return out.stream();
    }

    @Test
    void vectorDirectories_walked_holdEveryPublishedFile() throws IOException {
        // The copy of transparency-dev/merkle @ 417fb0c holds 98 files of each kind; a walk that finds
        // fewer has lost vectors silently.
        assertThat(inclusionVectors().count()).isEqualTo(98);
        assertThat(vectors("consistency").count()).isEqualTo(98);
        assertThat(consistencyVectors().count()).isEqualTo(97);
    }

    // ---- inclusion ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusionVectors")
    void verifyInclusion_vector_throwsExactlyWhenWantErr(String name, Path file) {
        JsonNode v = Vectors.json(file);
        long index = v.get("leafIdx").asLong();
        long size = v.get("treeSize").asLong();
        byte[] leaf = bytes(v.get("leafHash"));
        List<byte[]> proof = proof(v.get("proof"));
        byte[] root = bytes(v.get("root"));

        if (v.get("wantErr").asBoolean()) {
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, leaf, proof, root))
                    .as("%s: %s", name, v.get("desc").asText())
                    .isInstanceOf(VerificationException.class);
        } else {
            assertThatCode(() -> ProofVerifier.verifyInclusion(index, size, leaf, proof, root))
                    .as("%s: %s", name, v.get("desc").asText())
                    .doesNotThrowAnyException();
        }
    }

    // ---- consistency ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyVectors")
    void verifyConsistency_vector_throwsExactlyWhenWantErr(String name, Path file) {
        JsonNode v = Vectors.json(file);
        long size1 = v.get("size1").asLong();
        long size2 = v.get("size2").asLong();
        List<byte[]> proof = proof(v.get("proof"));
        byte[] root1 = bytes(v.get("root1"));
        byte[] root2 = bytes(v.get("root2"));

        if (v.get("wantErr").asBoolean()) {
            assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, proof, root1, root2))
                    .as("%s: %s", name, v.get("desc").asText())
                    .isInstanceOf(VerificationException.class);
        } else {
            assertThatCode(() -> ProofVerifier.verifyConsistency(size1, size2, proof, root1, root2))
                    .as("%s: %s", name, v.get("desc").asText())
                    .doesNotThrowAnyException();
        }
    }

    // ---- the one vector whose semantics differ ----

    @Test
    void verifyConsistency_equalSizesWithShortDontCareRoots_rejectedBecauseHashesAre32Bytes() {
        JsonNode v = Vectors.json(TESTDATA + "/" + EQUAL_SIZES_DONT_CARE_ROOTS);
        // Guard: the vector is still the one this special case is about.
        assertThat(v.get("wantErr").asBoolean()).isFalse();
        assertThat(v.get("size1").asLong()).isEqualTo(1);
        assertThat(v.get("size2").asLong()).isEqualTo(1);
        byte[] root1 = bytes(v.get("root1"));
        byte[] root2 = bytes(v.get("root2"));
        assertThat(root1).hasSize(12).isEqualTo(root2);
        assertThat(proof(v.get("proof"))).isEmpty();

        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 1, List.of(), root1, root2))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("12 bytes");
    }

    @Test
    void verifyConsistency_equalSizesOneWithEqual32ByteRootsAndEmptyProof_succeeds() {
        // The same case as the vector above, with roots of the length our verifier requires.
        byte[] root = Rfc9162.leafHash(new byte[0]).bytes();
        assertThatCode(() -> ProofVerifier.verifyConsistency(1, 1, List.of(), root, root.clone()))
                .doesNotThrowAnyException();
    }

    // ---- helpers ----

    private static byte[] bytes(JsonNode n) {
        return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asText());
    }

    private static List<byte[]> proof(JsonNode n) {
        List<byte[]> out = new ArrayList<>();
        if (n != null && !n.isNull()) {
            n.forEach(e -> out.add(bytes(e)));
        }
        return out;
    }
}
