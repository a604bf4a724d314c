package org.truce.tlog.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.truce.tlog.VerificationException;
import org.truce.tlog.tiles.TestTiles;
import org.truce.tlog.tiles.TileNodeReader;
import org.truce.tlog.tiles.TileStorage;

/**
 * Seeded random and exhaustive checks of roots, proofs and the verifier against an independent model:
 * RFC 9162 PATH and SUBPROOF written over leaf ranges, MTH computed directly from the leaf hashes, and
 * a symbolic form of the hash a verifier computes, used to predict which mutated sizes must fail.
 */
class ProofPropertyTest {
    private static final long SEED = 0x7472_7563_655f_3031L;
    /** Every size up to this is checked exhaustively, every index and every pair. */
    private static final int SMALL = 64;
    /** Random sizes are drawn up to this. */
    private static final int LARGE = 4096;
    /** The tile checks go past one full level-2 node (65,536 leaves). */
    private static final int TILED = 70_000;
    /** Up to this size every bit of every proof hash is flipped for every index or pair. */
    private static final int EVERY_BIT = 8;
    /** Mutated tree sizes are kept up to this; larger ones are covered by a few extreme values. */
    private static final long SANE_SIZE = 1L << 24;

    private static MemoryTree tree;
    private static Hash[] leaves;

    @BeforeAll
    static void build() {
        tree = new MemoryTree();
        leaves = new Hash[TILED];
        for (int i = 0; i < TILED; i++) {
            byte[] e = entry(i);
            leaves[i] = Rfc9162.leafHash(e);
            assertThat(tree.appendEntry(e)).isEqualTo(i);
        }
    }

    private static byte[] entry(long i) {
        return ("entry " + i).getBytes(StandardCharsets.UTF_8);
    }

    // ---- roots and compact ranges ----

    @Test
    void root_everySmallSize_equalsIndependentMth() {
        Failures f = new Failures();
        for (int n = 0; n <= SMALL; n++) {
            int size = n;
            Hash want = n == 0 ? Rfc9162.EMPTY_ROOT : mth(0, n);
            f.check(tree.root(n).equals(want), () -> "MemoryTree.root(" + size + ")");
            f.check(Proofs.root(tree, n).equals(want), () -> "Proofs.root(" + size + ")");
        }
        f.assertNone();
    }

    @Test
    void compactRange_rebuiltAtEverySize_hasTheTreeRoot() {
        Failures f = new Failures();
        CompactRange appended = new CompactRange();
        for (int n = 0; n <= LARGE; n++) {
            int size = n;
            Hash want = tree.root(n);
            CompactRange rebuilt = CompactRange.of(tree, n);
            f.check(rebuilt.size() == size, () -> "CompactRange.of(tree, " + size + ").size()");
            f.check(rebuilt.root().equals(want), () -> "CompactRange.of(tree, " + size + ").root()");
            f.check(appended.root().equals(want), () -> "appended range root at " + size);
            if (n < LARGE) {
                appended.append(leaves[n]);
            }
        }
        f.assertNone();
    }

    @Test
    void compactRange_rebuiltThenAppended_followsTheTreeAndCopiesAreIndependent() {
        Random rnd = new Random(SEED);
        Failures f = new Failures();
        for (int round = 0; round < 40; round++) {
            int start = round < 8 ? round : rnd.nextInt(LARGE);
            CompactRange r = CompactRange.of(tree, start);
            CompactRange frozen = r.copy();
            for (int n = start; n < start + 300; n++) {
                r.append(leaves[n]);
                int size = n + 1;
                f.check(r.root().equals(tree.root(size)), () -> "rebuilt at " + start + ", appended to " + size);
            }
            f.check(frozen.size() == start && frozen.root().equals(tree.root(start)),
                    () -> "copy taken at " + start + " changed when the original grew");
        }
        f.assertNone();
    }

    @Test
    void compactRange_append_reportsEveryCompletedNodeOnce() {
        CompactRange r = new CompactRange();
        Map<String, Hash> reported = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            r.append(leaves[i], (h, idx, hash) -> assertThat(reported.put(h + "/" + idx, hash))
                    .as("node %d/%d reported twice", h, idx).isNull());
        }
        // A tree of n leaves has exactly 2n - popcount(n) perfect-subtree nodes.
        assertThat(reported).hasSize(2 * 1000 - Integer.bitCount(1000));
        reported.forEach((k, v) -> {
            String[] hi = k.split("/");
            assertThat(v).as(k).isEqualTo(tree.node(Integer.parseInt(hi[0]), Long.parseLong(hi[1])));
        });
    }

    // ---- inclusion: honest proofs ----

    @Test
    void inclusion_everyIndexOfEverySmallSize_matchesModelAndVerifies() {
        Failures f = new Failures();
        for (int n = 1; n <= SMALL; n++) {
            for (int i = 0; i < n; i++) {
                checkHonestInclusion(i, n, f);
            }
        }
        f.assertNone();
        assertThat(f.checks).isEqualTo(3L * SMALL * (SMALL + 1) / 2);
    }

    @Test
    void inclusion_sampledIndicesOfRandomLargeSizes_matchModelAndVerify() {
        Random rnd = new Random(SEED + 1);
        Failures f = new Failures();
        for (int round = 0; round < 24; round++) {
            int n = SMALL + 1 + rnd.nextInt(LARGE - SMALL);
            for (long i : sampleIndices(rnd, n, 6)) {
                checkHonestInclusion(i, n, f);
            }
        }
        f.assertNone();
    }

    private static void checkHonestInclusion(long i, long n, Failures f) {
        List<Hash> proof = tree.inclusion(i, n);
        List<Hash> want = pathRanges(i, 0, n).stream().map(r -> mth(r.lo, r.hi)).toList();
        f.check(proof.equals(want), () -> "inclusion(" + i + ", " + n + ") differs from the RFC 9162 PATH");
        f.check(proof.size() <= ProofVerifier.MAX_PROOF_HASHES, () -> "inclusion(" + i + ", " + n + ") too long");
        f.check(inclusionVerifies(i, n, leaves[(int) i], proof, tree.root(n)),
                () -> "inclusion(" + i + ", " + n + ") does not verify");
    }

    // ---- inclusion: mutations ----

    @Test
    void verifyInclusion_everySingleBitFlipOfProofHashLeafOrRoot_fails() {
        Random rnd = new Random(SEED + 2);
        Failures f = new Failures();
        onFreshThread(() -> {
            for (int n = 1; n <= SMALL; n++) {
                for (int i = 0; i < n; i++) {
                    // Every bit of every hash for the smallest trees and the middle index of every other
                    // size; the first and last bits and a few random ones for the rest.
                    boolean everyBit = n <= EVERY_BIT || i == n / 2;
                    flipInclusionBits(i, n, bits(rnd, everyBit), f);
                }
            }
            for (int round = 0; round < 6; round++) {
                int n = SMALL + 1 + rnd.nextInt(LARGE - SMALL);
                for (long i : sampleIndices(rnd, n, 3)) {
                    flipInclusionBits(i, n, bits(rnd, true), f);
                }
            }
        });
        f.assertNone();
    }

    private static void flipInclusionBits(long i, long n, int[] bits, Failures f) {
        List<Hash> proof = tree.inclusion(i, n);
        Hash leaf = leaves[(int) i];
        Hash root = tree.root(n);
        List<Hash> mutated = new ArrayList<>(proof);
        for (int k = 0; k < proof.size(); k++) {
            for (int bit : bits) {
                mutated.set(k, flip(proof.get(k), bit));
                int kk = k;
                int b = bit;
                f.check(!inclusionVerifies(i, n, leaf, mutated, root),
                        () -> "inclusion(" + i + ", " + n + ") verified with bit " + b + " of hash " + kk + " flipped");
            }
            mutated.set(k, proof.get(k));
        }
        for (int bit : bits) {
            int b = bit;
            f.check(!inclusionVerifies(i, n, leaf, proof, flip(root, bit)),
                    () -> "inclusion(" + i + ", " + n + ") verified with bit " + b + " of the root flipped");
            f.check(!inclusionVerifies(i, n, flip(leaf, bit), proof, root),
                    () -> "inclusion(" + i + ", " + n + ") verified with bit " + b + " of the leaf flipped");
        }
    }

    @Test
    void verifyInclusion_bitFlipsOffByOnesAndExtremesOfIndex_fail() {
        Random rnd = new Random(SEED + 3);
        Failures f = new Failures();
        onFreshThread(() -> {
            for (int n = 1; n <= SMALL; n++) {
                for (int i = 0; i < n; i++) {
                    mutateInclusionIndex(i, n, f);
                }
            }
            for (int round = 0; round < 24; round++) {
                int n = SMALL + 1 + rnd.nextInt(LARGE - SMALL);
                for (long i : sampleIndices(rnd, n, 6)) {
                    mutateInclusionIndex(i, n, f);
                }
            }
        });
        f.assertNone();
    }

    private static void mutateInclusionIndex(long i, long n, Failures f) {
        List<Hash> proof = tree.inclusion(i, n);
        Hash leaf = leaves[(int) i];
        Hash root = tree.root(n);
        List<Long> indices = new ArrayList<>(mutations(i, n - 1));
        indices.addAll(List.of(-1L, n, n + i, Long.MAX_VALUE, i | Long.MIN_VALUE));
        for (long j : indices) {
            // Within one tree size every index has its own left/right pattern up the tree, so with
            // distinct leaves no other index can lead to the same root.
            f.check(!inclusionVerifies(j, n, leaf, proof, root),
                    () -> "inclusion(" + i + ", " + n + ") verified as index " + j);
        }
    }

    @Test
    void verifyInclusion_bitFlipsOffByOnesAndExtremesOfSize_failUnlessTheAuditPathHasTheSameShape() {
        Random rnd = new Random(SEED + 4);
        Failures f = new Failures();
        int[] accepted = new int[1];
        onFreshThread(() -> {
            for (int n = 1; n <= SMALL; n++) {
                for (int i = 0; i < n; i++) {
                    accepted[0] += mutateInclusionSize(i, n, f);
                }
            }
            for (int round = 0; round < 24; round++) {
                int n = SMALL + 1 + rnd.nextInt(LARGE - SMALL);
                for (long i : sampleIndices(rnd, n, 6)) {
                    accepted[0] += mutateInclusionSize(i, n, f);
                }
            }
        });
        f.assertNone();
        // The exception is real, not vacuous: some mutated sizes share the path shape.
        assertThat(accepted[0]).isPositive();
    }

    /** Returns how many mutated sizes the model predicts (and the verifier confirms) are accepted. */
    private static int mutateInclusionSize(long i, long n, Failures f) {
        List<Hash> proof = tree.inclusion(i, n);
        Hash leaf = leaves[(int) i];
        Hash root = tree.root(n);
        String shape = inclusionShape(i, n, proof.size());
        int accepted = 0;
        List<Long> sizes = new ArrayList<>(mutations(n, SANE_SIZE));
        sizes.addAll(List.of(0L, i, -n, Long.MAX_VALUE, n | Long.MIN_VALUE));
        for (long m : sizes) {
            boolean expected = shape.equals(inclusionShape(i, m, proof.size()));
            accepted += expected ? 1 : 0;
            f.check(inclusionVerifies(i, m, leaf, proof, root) == expected,
                    () -> "inclusion(" + i + ", " + n + ") checked at size " + m + ": expected "
                            + (expected ? "success (same path shape)" : "failure"));
        }
        return accepted;
    }

    @Test
    void verifyInclusion_sizeWhosePathHasTheSameShape_isAcceptedBecauseOnlyTheRootBindsTheSize() {
        // Leaf 0 has three right-hand siblings in trees of 5 and of 6 leaves, so the verifier cannot
        // tell the sizes apart: RFC 9162 inclusion proofs bind the root, and the (signed) checkpoint
        // binds the root to its size.
        List<Hash> proof = tree.inclusion(0, 5);
        assertThatCode(() -> ProofVerifier.verifyInclusion(0, 6, leaves[0], proof, tree.root(5)))
                .doesNotThrowAnyException();
        assertThat(inclusionShape(0, 6, 3)).isEqualTo(inclusionShape(0, 5, 3)).startsWith("3:");
    }

    @Test
    void verifyInclusion_proofWithAHashAddedRemovedOrDuplicated_fails() {
        Random rnd = new Random(SEED + 5);
        Failures f = new Failures();
        onFreshThread(() -> {
            for (int n = 1; n <= SMALL; n++) {
                for (int i = 0; i < n; i++) {
                    List<Hash> proof = tree.inclusion(i, n);
                    for (List<Hash> bad : structuralMutations(proof, rnd)) {
                        long ii = i;
                        long nn = n;
                        f.check(!inclusionVerifies(i, n, leaves[i], bad, tree.root(n)),
                                () -> "inclusion(" + ii + ", " + nn + ") verified with " + bad.size() + " hashes");
                    }
                }
            }
        });
        f.assertNone();
    }

    @Test
    void verifyInclusion_outOfRangeArguments_fail() {
        List<Hash> proof = tree.inclusion(3, 8);
        Hash root = tree.root(8);
        assertThat(inclusionVerifies(3, 0, leaves[3], List.of(), Rfc9162.EMPTY_ROOT)).isFalse();
        assertThat(inclusionVerifies(-1, 8, leaves[3], proof, root)).isFalse();
        assertThat(inclusionVerifies(8, 8, leaves[3], proof, root)).isFalse();
        assertThat(inclusionVerifies(3, -8, leaves[3], proof, root)).isFalse();
        assertThat(inclusionVerifies(3, Long.MAX_VALUE, leaves[3], proof, root)).isFalse();
        assertThat(inclusionVerifies(Long.MIN_VALUE, 8, leaves[3], proof, root)).isFalse();
        List<Hash> tooLong = new ArrayList<>();
        for (int k = 0; k <= ProofVerifier.MAX_PROOF_HASHES; k++) {
            tooLong.add(leaves[k]);
        }
        assertThat(inclusionVerifies(0, Long.MAX_VALUE, leaves[0], tooLong, root)).isFalse();
    }

    // ---- consistency: honest proofs ----

    @Test
    void consistency_everyPairOfSmallSizes_matchesModelAndVerifies() {
        Failures f = new Failures();
        for (int n = 1; n <= SMALL; n++) {
            for (int m = 1; m <= n; m++) {
                checkHonestConsistency(m, n, f);
            }
        }
        f.assertNone();
    }

    @Test
    void consistency_randomPairsOfLargeSizes_matchModelAndVerify() {
        Random rnd = new Random(SEED + 6);
        Failures f = new Failures();
        for (int round = 0; round < 150; round++) {
            int n = 2 + rnd.nextInt(LARGE - 1);
            int m = round % 5 == 0 ? Integer.highestOneBit(n - 1) : 1 + rnd.nextInt(n - 1);
            checkHonestConsistency(m, n, f);
        }
        f.assertNone();
    }

    private static void checkHonestConsistency(long m, long n, Failures f) {
        List<Hash> proof = tree.consistency(m, n);
        List<Hash> want = m == n ? List.of()
                : subproofRanges(m, 0, n, true).stream().map(r -> mth(r.lo, r.hi)).toList();
        f.check(proof.equals(want), () -> "consistency(" + m + ", " + n + ") differs from the RFC 9162 PROOF");
        f.check(consistencyVerifies(m, n, proof, tree.root(m), tree.root(n)),
                () -> "consistency(" + m + ", " + n + ") does not verify");
    }

    // ---- consistency: mutations ----

    @Test
    void verifyConsistency_everySingleBitFlipOfProofHashOrEitherRoot_fails() {
        Random rnd = new Random(SEED + 7);
        Failures f = new Failures();
        onFreshThread(() -> {
            for (int n = 2; n <= SMALL; n++) {
                for (int m = 1; m < n; m++) {
                    boolean everyBit = n <= EVERY_BIT || m == n / 2;
                    flipConsistencyBits(m, n, bits(rnd, everyBit), f);
                }
            }
            for (int round = 0; round < 6; round++) {
                int n = SMALL + 1 + rnd.nextInt(LARGE - SMALL);
                flipConsistencyBits(1 + rnd.nextInt(n - 1), n, bits(rnd, true), f);
            }
            for (int n = 1; n <= SMALL; n++) {
                flipConsistencyBits(n, n, bits(rnd, true), f);
            }
        });
        f.assertNone();
    }

    private static void flipConsistencyBits(long m, long n, int[] bits, Failures f) {
        List<Hash> proof = tree.consistency(m, n);
        Hash root1 = tree.root(m);
        Hash root2 = tree.root(n);
        List<Hash> mutated = new ArrayList<>(proof);
        for (int k = 0; k < proof.size(); k++) {
            for (int bit : bits) {
                mutated.set(k, flip(proof.get(k), bit));
                int kk = k;
                int b = bit;
                f.check(!consistencyVerifies(m, n, mutated, root1, root2),
                        () -> "consistency(" + m + ", " + n + ") verified with bit " + b + " of hash " + kk
                                + " flipped");
            }
            mutated.set(k, proof.get(k));
        }
        for (int bit : bits) {
            int b = bit;
            f.check(!consistencyVerifies(m, n, proof, flip(root1, bit), root2),
                    () -> "consistency(" + m + ", " + n + ") verified with bit " + b + " of root 1 flipped");
            f.check(!consistencyVerifies(m, n, proof, root1, flip(root2, bit)),
                    () -> "consistency(" + m + ", " + n + ") verified with bit " + b + " of root 2 flipped");
        }
    }

    @Test
    void verifyConsistency_bitFlipsOffByOnesAndExtremesOfEitherSize_failUnlessTheProofHasTheSameShape() {
        Random rnd = new Random(SEED + 8);
        Failures f = new Failures();
        int[] accepted = new int[1];
        onFreshThread(() -> {
            for (int n = 2; n <= SMALL; n++) {
                for (int m = 1; m < n; m++) {
                    accepted[0] += mutateConsistencySizes(m, n, f);
                }
            }
            for (int round = 0; round < 100; round++) {
                int n = SMALL + 1 + rnd.nextInt(LARGE - SMALL);
                accepted[0] += mutateConsistencySizes(1 + rnd.nextInt(n - 1), n, f);
            }
        });
        f.assertNone();
        assertThat(accepted[0]).isPositive();
    }

    private static int mutateConsistencySizes(long m, long n, Failures f) {
        List<Hash> proof = tree.consistency(m, n);
        Hash root1 = tree.root(m);
        Hash root2 = tree.root(n);
        String shape = consistencyShape(m, n, proof.size());
        int accepted = 0;
        List<Long> sizes1 = new ArrayList<>(mutations(m, SANE_SIZE));
        sizes1.addAll(List.of(0L, n, -m, Long.MAX_VALUE, m | Long.MIN_VALUE));
        for (long m2 : sizes1) {
            boolean expected = shape.equals(consistencyShape(m2, n, proof.size()));
            accepted += expected ? 1 : 0;
            f.check(consistencyVerifies(m2, n, proof, root1, root2) == expected,
                    () -> "consistency(" + m + ", " + n + ") checked as size1 " + m2 + ": expected "
                            + (expected ? "success (same proof shape)" : "failure"));
        }
        List<Long> sizes2 = new ArrayList<>(mutations(n, SANE_SIZE));
        sizes2.addAll(List.of(0L, m, -n, Long.MAX_VALUE, n | Long.MIN_VALUE));
        for (long n2 : sizes2) {
            boolean expected = shape.equals(consistencyShape(m, n2, proof.size()));
            accepted += expected ? 1 : 0;
            f.check(consistencyVerifies(m, n2, proof, root1, root2) == expected,
                    () -> "consistency(" + m + ", " + n + ") checked as size2 " + n2 + ": expected "
                            + (expected ? "success (same proof shape)" : "failure"));
        }
        return accepted;
    }

    @Test
    void verifyConsistency_proofWithAHashAddedRemovedOrDuplicatedOrRootsSwapped_fails() {
        Random rnd = new Random(SEED + 9);
        Failures f = new Failures();
        onFreshThread(() -> {
            for (int n = 2; n <= SMALL; n++) {
                for (int m = 1; m < n; m++) {
                    List<Hash> proof = tree.consistency(m, n);
                    long mm = m;
                    long nn = n;
                    for (List<Hash> bad : structuralMutations(proof, rnd)) {
                        f.check(!consistencyVerifies(m, n, bad, tree.root(m), tree.root(n)),
                                () -> "consistency(" + mm + ", " + nn + ") verified with " + bad.size() + " hashes");
                    }
                    f.check(!consistencyVerifies(m, n, proof, tree.root(n), tree.root(m)),
                            () -> "consistency(" + mm + ", " + nn + ") verified with the roots swapped");
                }
            }
        });
        f.assertNone();
    }

    @Test
    void verifyConsistency_equalSizes_needEmptyProofAndEqualRoots() {
        Hash r5 = tree.root(5);
        assertThat(consistencyVerifies(5, 5, List.of(), r5, r5)).isTrue();
        assertThat(consistencyVerifies(5, 5, List.of(leaves[0]), r5, r5)).isFalse();
        assertThat(consistencyVerifies(5, 5, List.of(), r5, tree.root(6))).isFalse();
        // Our semantics (transparency-dev's): a proof from or between empty trees is refused.
        assertThat(consistencyVerifies(0, 0, List.of(), Rfc9162.EMPTY_ROOT, Rfc9162.EMPTY_ROOT)).isFalse();
        assertThat(consistencyVerifies(0, 5, List.of(), Rfc9162.EMPTY_ROOT, r5)).isFalse();
        assertThat(consistencyVerifies(6, 5, tree.consistency(5, 6), tree.root(6), r5)).isFalse();
        assertThat(consistencyVerifies(-1, 5, List.of(leaves[0]), r5, r5)).isFalse();
    }

    // ---- tiles ----

    static Stream<Long> tiledSizes() {
        Random rnd = new Random(SEED + 10);
        TreeSet<Long> sizes = new TreeSet<>(List.of(1L, 2L, 255L, 256L, 257L, 511L, 512L, 513L, 4096L,
                65_535L, 65_536L, 65_537L, (long) TILED));
        while (sizes.size() < 19) {
            sizes.add(1L + rnd.nextInt(LARGE));
        }
        return sizes.stream();
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("tiledSizes")
    void proofs_throughTileNodeReader_equalProofsOverMemoryTree(long n) {
        TileStorage storage = TileStorage.inMemory();
        TestTiles.writeHashTiles(tree, n, storage);
        Random rnd = new Random(SEED ^ n);
        // With and without the in-tile summary cache, which take different code paths.
        for (TileNodeReader tiles : List.of(new TileNodeReader(storage, n), new TileNodeReader(storage, n, 0))) {
            assertThat(Proofs.root(tiles, n)).isEqualTo(tree.root(n));
            assertThat(CompactRange.of(tiles, n).root()).isEqualTo(tree.root(n));
            for (long i : sampleIndices(rnd, n, 40)) {
                assertThat(Proofs.inclusion(tiles, i, n)).as("inclusion(%d, %d)", i, n)
                        .isEqualTo(tree.inclusion(i, n));
            }
            for (long m : sampleIndices(rnd, n, 40)) {
                long size1 = m + 1;
                assertThat(Proofs.consistency(tiles, size1, n)).as("consistency(%d, %d)", size1, n)
                        .isEqualTo(tree.consistency(size1, n));
            }
        }
    }

    @Test
    void node_throughTileNodeReader_equalsEveryCompleteNodeOfTheTree() {
        long n = 3 * 256 * 2 + 77;
        TileStorage storage = TileStorage.inMemory();
        TestTiles.writeHashTiles(tree, n, storage);
        Failures f = new Failures();
        for (TileNodeReader tiles : List.of(new TileNodeReader(storage, n), new TileNodeReader(storage, n, 0))) {
            for (int h = 0; (n >>> h) > 0; h++) {
                for (long idx = 0; idx < (n >>> h); idx++) {
                    int hh = h;
                    long ii = idx;
                    f.check(tiles.node(h, idx).equals(tree.node(h, idx)), () -> "node " + hh + "/" + ii);
                }
            }
        }
        f.assertNone();
    }

    // ---- model: RFC 9162 over leaf ranges ----

    /** The leaves {@code [lo, hi)}. */
    private record Range(long lo, long hi) {}

    /** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]) as the ranges its hashes cover, leaf to root. */
    private static List<Range> pathRanges(long m, long lo, long hi) {
        List<Range> out = new ArrayList<>();
        path(m, lo, hi, out);
        return out;
    }

    private static void path(long m, long lo, long hi, List<Range> out) {
        long n = hi - lo;
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m - lo < k) {
            path(m, lo, lo + k, out);
            out.add(new Range(lo + k, hi));
        } else {
            path(m, lo + k, hi, out);
            out.add(new Range(lo, lo + k));
        }
    }

    /** RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b) as the ranges its hashes cover. */
    private static List<Range> subproofRanges(long m, long lo, long hi, boolean b) {
        List<Range> out = new ArrayList<>();
        subproof(m, lo, hi, b, out);
        return out;
    }

    private static void subproof(long m, long lo, long hi, boolean b, List<Range> out) {
        long n = hi - lo;
        if (m == n) {
            if (!b) {
                out.add(new Range(lo, hi));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, lo, lo + k, b, out);
            out.add(new Range(lo + k, hi));
        } else {
            subproof(m - k, lo + k, hi, false, out);
            out.add(new Range(lo, lo + k));
        }
    }

    /** MTH(D[lo:hi]) straight from the leaf hashes. */
    private static Hash mth(long lo, long hi) {
        if (hi - lo == 1) {
            return leaves[(int) lo];
        }
        long k = Long.highestOneBit(hi - lo - 1);
        return Rfc9162.nodeHash(mth(lo, lo + k), mth(lo + k, hi));
    }

    /**
     * MTH(D[lo:hi]) as a formula over named ranges: how a verifier combines its inputs. Two argument
     * sets with the same formula over the same inputs compute the same hash; different formulas over
     * distinct hashes would need a SHA-256 collision to agree.
     */
    private static String formula(long lo, long hi, Map<Range, String> names) {
        String name = names.get(new Range(lo, hi));
        if (name != null) {
            return name;
        }
        if (hi - lo <= 1) {
            throw new AssertionError("model error: leaf " + lo + " is not covered");
        }
        long k = Long.highestOneBit(hi - lo - 1);
        return "(" + formula(lo, lo + k, names) + "," + formula(lo + k, hi, names) + ")";
    }

    /**
     * The formula an inclusion verifier applies for {@code (index, size)}, in terms of the leaf
     * {@code L} and the proof positions {@code p0, p1...}; empty for arguments it must refuse, and
     * only the length when the audit path is not {@code proofLength} hashes long.
     */
    private static String inclusionShape(long index, long size, int proofLength) {
        if (size <= 0 || index < 0 || index >= size) {
            return "";
        }
        List<Range> path = pathRanges(index, 0, size);
        if (path.size() != proofLength) {
            return "length " + path.size();
        }
        Map<Range, String> names = new HashMap<>();
        names.put(new Range(index, index + 1), "L");
        for (int j = 0; j < path.size(); j++) {
            names.put(path.get(j), "p" + j);
        }
        return path.size() + ":" + formula(0, size, names);
    }

    /**
     * The two formulas a consistency verifier checks for {@code (m, n)}, {@code m < n}, in terms of
     * the proof positions and, when {@code m} is a power of two, the first root {@code R1}; empty for
     * arguments it must refuse with a non-empty proof, and only the length when the proof is not
     * {@code proofLength} hashes long.
     */
    private static String consistencyShape(long m, long n, int proofLength) {
        if (m <= 0 || n <= 0 || m >= n) {
            return "";
        }
        List<Range> proof = subproofRanges(m, 0, n, true);
        if (proof.size() != proofLength) {
            return "length " + proof.size();
        }
        Map<Range, String> names = new HashMap<>();
        if (Long.bitCount(m) == 1) {
            names.put(new Range(0, m), "R1");
        }
        for (int j = 0; j < proof.size(); j++) {
            names.put(proof.get(j), "p" + j);
        }
        return proof.size() + ":" + formula(0, m, names) + "|" + formula(0, n, names);
    }

    // ---- helpers ----

    /**
     * Runs a mutation loop on a fresh thread. Every rejected mutation costs a VerificationException,
     * which records its stack trace; under JUnit's deep call stack that costs about twice the
     * hashing being tested.
     */
    private static void onFreshThread(Runnable body) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "proof-mutations");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        Throwable e = thrown.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    /**
     * All 256 bit positions of a hash, or the bits at both ends of the first and last byte plus four
     * random positions.
     */
    private static int[] bits(Random rnd, boolean every) {
        if (every) {
            return java.util.stream.IntStream.range(0, 8 * Hash.SIZE).toArray();
        }
        return new int[] {0, 7, 248, 255, rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
    }

    /**
     * The single-bit flips of a 64-bit value and the value plus and minus one that stay in the sane
     * range {@code [0, max]}, without the value itself. Callers add the extreme values separately.
     */
    private static List<Long> mutations(long v, long max) {
        TreeSet<Long> out = new TreeSet<>();
        for (int bit = 0; bit < 64; bit++) {
            out.add(v ^ (1L << bit));
        }
        out.add(v + 1);
        out.add(v - 1);
        out.remove(v);
        out.removeIf(x -> x < 0 || x > max);
        return List.copyOf(out);
    }

    /** A proof with one hash removed, one appended, one prepended, and its first hash repeated. */
    private static List<List<Hash>> structuralMutations(List<Hash> proof, Random rnd) {
        List<List<Hash>> out = new ArrayList<>();
        Hash extra = leaves[rnd.nextInt(leaves.length)];
        for (int k = 0; k < proof.size(); k++) {
            List<Hash> removed = new ArrayList<>(proof);
            removed.remove(k);
            out.add(removed);
        }
        List<Hash> appended = new ArrayList<>(proof);
        appended.add(extra);
        out.add(appended);
        List<Hash> prepended = new ArrayList<>(proof);
        prepended.add(0, extra);
        out.add(prepended);
        if (!proof.isEmpty()) {
            List<Hash> repeated = new ArrayList<>(proof);
            repeated.add(0, proof.get(0));
            out.add(repeated);
        }
        return out;
    }

    /** Up to {@code count} distinct indices below {@code n}, always with the first and last. */
    private static List<Long> sampleIndices(Random rnd, long n, int count) {
        TreeSet<Long> out = new TreeSet<>(List.of(0L, n - 1));
        while (out.size() < Math.min(count, n)) {
            out.add((long) rnd.nextInt((int) n));
        }
        return List.copyOf(out);
    }

    private static Hash flip(Hash h, int bit) {
        byte[] b = h.bytes();
        b[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return Hash.of(b);
    }

    private static boolean inclusionVerifies(long i, long n, Hash leaf, List<Hash> proof, Hash root) {
        try {
            ProofVerifier.verifyInclusion(i, n, leaf, proof, root);
            return true;
        } catch (VerificationException e) {
            return false;
        }
    }

    private static boolean consistencyVerifies(long m, long n, List<Hash> proof, Hash root1, Hash root2) {
        try {
            ProofVerifier.verifyConsistency(m, n, proof, root1, root2);
            return true;
        } catch (VerificationException e) {
            return false;
        }
    }

    /** Collects failed checks so that a run reports how many failed and the first few. */
    private static final class Failures {
        private final List<String> examples = new ArrayList<>();
        private long failed;
        private long checks;

        void check(boolean ok, Supplier<String> what) {
            checks++;
            if (!ok) {
                failed++;
                if (examples.size() < 20) {
                    examples.add(what.get());
                }
            }
        }

        void assertNone() {
            assertThat(checks).as("number of checks run").isPositive();
            assertThat(examples).as("%d of %d checks failed (seed %x)", failed, checks, SEED).isEmpty();
        }
    }
}
