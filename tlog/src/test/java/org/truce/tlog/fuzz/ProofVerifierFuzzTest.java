package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.tlog.VerificationException;
import org.truce.tlog.merkle.ProofVerifier;

/**
 * The raw-byte overloads of {@link ProofVerifier#verifyInclusion} and
 * {@link ProofVerifier#verifyConsistency} on fuzzed sizes, indexes, hashes of any length and proofs of
 * any count: only {@link VerificationException} may escape. A proof that verifies must stop
 * verifying when one bit of what it binds changes.
 *
 * <p>Input layouts, read by {@link ByteReader}: inclusion is {@code index(i64) size(i64) leaf(hash)
 * root(hash) proof(hashes)}; consistency is {@code size1(i64) size2(i64) root1(hash) root2(hash)
 * proof(hashes)}. The seeds are transparency-dev/merkle test vectors (shared/vectors/merkle) in that
 * layout.
 */
class ProofVerifierFuzzTest {
    @FuzzTest
    void verifyInclusion(byte @NotNull [] data) {
        ByteReader in = new ByteReader(data);
        long index = in.i64();
        long size = in.i64();
        byte[] leaf = in.hash();
        byte[] root = in.hash();
        List<byte[]> proof = in.hashes();
        try {
            ProofVerifier.verifyInclusion(index, size, leaf, proof, root);
        } catch (VerificationException expected) {
            return;
        }
        assertThat(index).isNotNegative().isLessThan(size);
        assertThat(proof).hasSizeLessThanOrEqualTo(ProofVerifier.MAX_PROOF_HASHES);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, flip(leaf), proof, root))
                .isInstanceOf(VerificationException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, leaf, proof, flip(root)))
                .isInstanceOf(VerificationException.class);
    }

    @FuzzTest
    void verifyConsistency(byte @NotNull [] data) {
        ByteReader in = new ByteReader(data);
        long size1 = in.i64();
        long size2 = in.i64();
        byte[] root1 = in.hash();
        byte[] root2 = in.hash();
        List<byte[]> proof = in.hashes();
        try {
            ProofVerifier.verifyConsistency(size1, size2, proof, root1, root2);
        } catch (VerificationException expected) {
            return;
        }
        assertThat(size1).isPositive().isLessThanOrEqualTo(size2);
        assertThat(proof).hasSizeLessThanOrEqualTo(ProofVerifier.MAX_PROOF_HASHES + 1);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, proof, root1, flip(root2)))
                .isInstanceOf(VerificationException.class);
        if (size1 != size2) {
            assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, proof, flip(root1), root2))
                    .isInstanceOf(VerificationException.class);
        }
    }

    private static byte[] flip(byte[] hash) {
        byte[] b = hash.clone();
        b[b.length - 1] ^= 1;
        return b;
    }

    /** The happy-path seeds verify, so regression runs cover the success paths. */
    @Test
    void happyPathSeedsVerify() throws Exception {
        for (String seed : new String[] {"happy-path-1", "happy-path-2", "happy-path-4"}) {
            ByteReader in = new ByteReader(FuzzKeys.seed(getClass(), "verifyInclusion", seed));
            long index = in.i64();
            long size = in.i64();
            byte[] leaf = in.hash();
            byte[] root = in.hash();
            ProofVerifier.verifyInclusion(index, size, leaf, in.hashes(), root);
        }
        for (String seed : new String[] {"happy-path-1", "happy-path-2", "happy-path-3"}) {
            ByteReader in = new ByteReader(FuzzKeys.seed(getClass(), "verifyConsistency", seed));
            long size1 = in.i64();
            long size2 = in.i64();
            byte[] root1 = in.hash();
            byte[] root2 = in.hash();
            ProofVerifier.verifyConsistency(size1, size2, in.hashes(), root1, root2);
        }
    }
}
