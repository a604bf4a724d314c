package org.truce.tlog.merkle;

import java.util.List;
import org.truce.tlog.VerificationException;

/**
 * Verifies RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, with every bounds check
 * of those algorithms. Stateless and thread-safe.
 *
 * <p>Consistency follows the transparency-dev semantics: a proof from the empty tree is refused as
 * meaningless, equal sizes need an empty proof and equal roots. The witness protocol handles its
 * {@code old 0} case above this layer.
 */
public final class ProofVerifier {
    /** A proof of a tree of at most 2^63 − 1 leaves has at most 63 hashes. */
    public static final int MAX_PROOF_HASHES = 63;

    private ProofVerifier() {}

    /** Verifies untrusted raw bytes, checking that every hash is exactly 32 bytes long. */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws VerificationException {
        verifyInclusion(index, size, hash(leafHash, "leaf hash"), hashes(proof), hash(root, "root"));
    }

    /** Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves with {@code root}. */
    public static void verifyInclusion(long index, long size, Hash leafHash, List<Hash> proof, Hash root)
            throws VerificationException {
        Hash computed = rootFromInclusion(index, size, leafHash, proof);
        if (!computed.equals(root)) {
            throw new VerificationException("inclusion proof for leaf " + index + " of tree size " + size
                    + " leads to root " + computed + ", not " + root);
        }
    }

    /** The root an inclusion proof leads to, after every bounds check of RFC 9162 §2.1.3.2. */
    public static Hash rootFromInclusion(long index, long size, Hash leafHash, List<Hash> proof)
            throws VerificationException {
        if (size <= 0) {
            throw new VerificationException("tree size " + size + " has no leaves");
        }
        if (index < 0 || index >= size) {
            throw new VerificationException("leaf index " + index + " is not below tree size " + size);
        }
        if (proof.size() > MAX_PROOF_HASHES) {
            throw new VerificationException("inclusion proof has " + proof.size() + " hashes");
        }
        long fn = index;
        long sn = size - 1;
        Hash r = leafHash;
        for (Hash p : proof) {
            if (sn == 0) {
                throw new VerificationException("inclusion proof is longer than the path to the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Rfc9162.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = Rfc9162.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new VerificationException("inclusion proof is shorter than the path to the root");
        }
        return r;
    }

    /** Verifies untrusted raw bytes, checking that every hash is exactly 32 bytes long. */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws VerificationException {
        verifyConsistency(size1, size2, hashes(proof), hash(root1, "first root"), hash(root2, "second root"));
    }

    /** Verifies that the tree of {@code size1} leaves with {@code root1} is a prefix of the tree of {@code size2}. */
    public static void verifyConsistency(long size1, long size2, List<Hash> proof, Hash root1, Hash root2)
            throws VerificationException {
        if (size1 < 0 || size2 < 0) {
            throw new VerificationException("negative tree size");
        }
        if (size2 < size1) {
            throw new VerificationException("tree size " + size2 + " is smaller than " + size1);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new VerificationException("trees of equal size need an empty consistency proof");
            }
            if (size1 == 0) {
                throw new VerificationException("consistency between empty trees is meaningless");
            }
            if (!root1.equals(root2)) {
                throw new VerificationException("trees of size " + size1 + " have different roots");
            }
            return;
        }
        if (size1 == 0) {
            throw new VerificationException("consistency from the empty tree is meaningless");
        }
        if (proof.isEmpty()) {
            throw new VerificationException("consistency proof is empty");
        }
        if (proof.size() > MAX_PROOF_HASHES + 1) {
            throw new VerificationException("consistency proof has " + proof.size() + " hashes");
        }
        int i = 0;
        Hash first;
        if (Long.bitCount(size1) == 1) {
            first = root1;
        } else {
            first = proof.get(i++);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        Hash fr = first;
        Hash sr = first;
        for (; i < proof.size(); i++) {
            Hash c = proof.get(i);
            if (sn == 0) {
                throw new VerificationException("consistency proof is longer than the path to the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Rfc9162.nodeHash(c, fr);
                sr = Rfc9162.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = Rfc9162.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new VerificationException("consistency proof is shorter than the path to the root");
        }
        if (!fr.equals(root1)) {
            throw new VerificationException("consistency proof does not lead to the root of size " + size1);
        }
        if (!sr.equals(root2)) {
            throw new VerificationException("consistency proof does not lead to the root of size " + size2);
        }
    }

    private static Hash hash(byte[] bytes, String what) throws VerificationException {
        if (bytes.length != Hash.SIZE) {
            throw new VerificationException(what + " is " + bytes.length + " bytes, not " + Hash.SIZE);
        }
        return Hash.of(bytes);
    }

    private static List<Hash> hashes(List<byte[]> proof) throws VerificationException {
        if (proof.size() > MAX_PROOF_HASHES + 1) {
            throw new VerificationException("proof has " + proof.size() + " hashes");
        }
        Hash[] out = new Hash[proof.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = hash(proof.get(i), "proof hash " + i);
        }
        return List.of(out);
    }
}
