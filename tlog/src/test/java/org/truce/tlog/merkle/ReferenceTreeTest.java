package org.truce.tlog.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.truce.tlog.Vectors;

/** The classic eight-leaf RFC 6962 reference tree of {@code rfc6962_reference_tree.json}. */
class ReferenceTreeTest {
    private static JsonNode ref;
    private static List<byte[]> inputs;
    private static MemoryTree tree;

    @BeforeAll
    static void load() {
        ref = Vectors.json("rfc6962_reference_tree.json");
        inputs = new ArrayList<>();
        ref.get("leaf_inputs_hex").forEach(n -> inputs.add(Vectors.hex(n.asText())));
        tree = new MemoryTree();
        inputs.forEach(tree::appendEntry);
    }

    static Stream<Arguments> sizes() {
        JsonNode roots = Vectors.json("rfc6962_reference_tree.json").get("roots_by_size_hex");
        return IntStream.range(0, roots.size()).mapToObj(i -> Arguments.of(i, roots.get(i).asText()));
    }

    static Stream<Arguments> inclusionProofs() {
        return entries("inclusion_proofs_1based_leaf_index");
    }

    static Stream<Arguments> consistencyProofs() {
        return entries("consistency_proofs");
    }

    private static Stream<Arguments> entries(String field) {
        List<Arguments> out = new ArrayList<>();
        Vectors.json("rfc6962_reference_tree.json").get(field).forEach(n -> out.add(Arguments.of(n)));
        return out.stream();
    }

    // ---- leaves and interior nodes ----

    @Test
    void vector_shape_isTheEightLeafTree() {
        assertThat(inputs).hasSize(8);
        assertThat(ref.get("roots_by_size_hex")).hasSize(9);
        assertThat(tree.size()).isEqualTo(8);
    }

    @Test
    void leafHash_referenceInputs_matchReferenceLeafHashes() {
        for (int i = 0; i < inputs.size(); i++) {
            String want = ref.get("leaf_hashes_hex").get(i).asText();
            assertThat(Rfc9162.leafHash(inputs.get(i)).hex()).as("leaf %d", i).isEqualTo(want);
            assertThat(tree.node(0, i).hex()).as("tree leaf %d", i).isEqualTo(want);
        }
    }

    @Test
    void leafHash_sliceOfLargerArray_equalsLeafHashOfSlice() {
        byte[] padded = Vectors.hex("ff" + "5051525354555657" + "ff");
        assertThat(Rfc9162.leafHash(padded, 1, 8).hex()).isEqualTo(ref.get("leaf_hashes_hex").get(6).asText());
    }

    @Test
    void node_level1_matchesReferenceLevel1() {
        JsonNode level1 = ref.get("level1_hex");
        assertThat(level1).hasSize(4);
        for (int i = 0; i < level1.size(); i++) {
            assertThat(tree.node(1, i).hex()).as("level 1 node %d", i).isEqualTo(level1.get(i).asText());
            assertThat(Rfc9162.nodeHash(tree.node(0, 2 * i), tree.node(0, 2 * i + 1)).hex())
                    .as("nodeHash of leaves %d, %d", 2 * i, 2 * i + 1).isEqualTo(level1.get(i).asText());
        }
    }

    @Test
    void node_level2_matchesReferenceLevel2() {
        JsonNode level2 = ref.get("level2_hex");
        assertThat(level2).hasSize(2);
        for (int i = 0; i < level2.size(); i++) {
            assertThat(tree.node(2, i).hex()).as("level 2 node %d", i).isEqualTo(level2.get(i).asText());
        }
        assertThat(tree.node(3, 0).hex()).isEqualTo(ref.get("roots_by_size_hex").get(8).asText());
    }

    @Test
    void nodeHash_allocationFreeForm_equalsObjectForm() {
        byte[] buf = new byte[3 * Hash.SIZE];
        tree.node(0, 4).copyTo(buf, 0);
        tree.node(0, 5).copyTo(buf, Hash.SIZE);
        Rfc9162.nodeHash(buf, 0, buf, Hash.SIZE, buf, 2 * Hash.SIZE);
        assertThat(Hash.of(buf, 2 * Hash.SIZE).hex()).isEqualTo(ref.get("level1_hex").get(2).asText());
    }

    // ---- roots ----

    @Test
    void emptyRoot_isSha256OfNothing_andReferenceRootOfSizeZero() {
        assertThat(Rfc9162.EMPTY_ROOT.hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .isEqualTo(ref.get("roots_by_size_hex").get(0).asText());
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("sizes")
    void root_referenceSize_matchesReferenceRootEveryWay(int size, String want) {
        assertThat(tree.root(size).hex()).as("MemoryTree.root(size)").isEqualTo(want);
        assertThat(Proofs.root(tree, size).hex()).as("Proofs.root").isEqualTo(want);
        assertThat(CompactRange.of(tree, size).root().hex()).as("CompactRange.of").isEqualTo(want);

        CompactRange appended = new CompactRange();
        MemoryTree prefix = new MemoryTree();
        for (int i = 0; i < size; i++) {
            appended.append(Rfc9162.leafHash(inputs.get(i)));
            prefix.appendEntry(inputs.get(i));
        }
        assertThat(appended.size()).isEqualTo(size);
        assertThat(appended.root().hex()).as("CompactRange.append").isEqualTo(want);
        assertThat(prefix.root().hex()).as("MemoryTree.root() of a tree of that size").isEqualTo(want);
    }

    // ---- sample proofs ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusionProofs")
    void inclusion_referenceSample_matchesAndVerifies(JsonNode sample) {
        long index = sample.get("leaf").asLong() - 1;
        long size = sample.get("size").asLong();
        List<String> want = hexes(sample.get("proof"));

        List<Hash> proof = tree.inclusion(index, size);
        assertThat(proof).extracting(Hash::hex).containsExactlyElementsOf(want);
        assertThat(Proofs.inclusion(tree, index, size)).isEqualTo(proof);
        assertThatCode(() -> ProofVerifier.verifyInclusion(index, size, tree.node(0, index), proof, tree.root(size)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyProofs")
    void consistency_referenceSample_matchesAndVerifies(JsonNode sample) {
        long size1 = sample.get("size1").asLong();
        long size2 = sample.get("size2").asLong();
        List<String> want = hexes(sample.get("proof"));

        List<Hash> proof = tree.consistency(size1, size2);
        assertThat(proof).extracting(Hash::hex).containsExactlyElementsOf(want);
        assertThat(Proofs.consistency(tree, size1, size2)).isEqualTo(proof);
        assertThatCode(() -> ProofVerifier.verifyConsistency(size1, size2, proof, tree.root(size1), tree.root(size2)))
                .doesNotThrowAnyException();
    }

    private static List<String> hexes(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
