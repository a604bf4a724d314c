package org.truce.tlog.proof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TileNodeReader;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileReader;
import org.truce.tlog.witness.Policy;

/**
 * A C2SP tlog-proof bundle: everything needed to check offline that one entry is in the log — the
 * index, the inclusion proof, the signed (and possibly cosigned) checkpoint and, in Truce, the entry
 * itself as the {@code extra} data. Immutable.
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * extra &lt;base64 entry&gt;
 * index &lt;N&gt;
 * &lt;base64 proof hash&gt;…
 *
 * &lt;checkpoint note&gt;
 * </pre>
 */
public final class TlogProof {
    public static final String HEADER = "c2sp.org/tlog-proof@v1";
    /** The largest bundle parsed: a maximal entry in base64 and a maximal note, with room to spare. */
    public static final int MAX_SIZE = 4 * (EntryBundle.MAX_ENTRY_SIZE / 3 + 1) + SignedNote.MAX_SIZE + 4096;

    private final byte @Nullable [] extra;
    private final long index;
    private final List<Hash> proof;
    private final SignedNote checkpoint;

    public TlogProof(byte @Nullable [] extra, long index, List<Hash> proof, SignedNote checkpoint) {
        if (index < 0) {
            throw new IllegalArgumentException("negative index " + index);
        }
        if (proof.size() > ProofVerifier.MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("proof has " + proof.size() + " hashes");
        }
        this.extra = extra == null ? null : extra.clone();
        this.index = index;
        this.proof = List.copyOf(proof);
        this.checkpoint = checkpoint;
    }

    /**
     * Builds the bundle for entry {@code index} from a published log: its current checkpoint, the
     * proof computed from its tiles, and the entry from its bundle as extra data.
     */
    public static TlogProof create(TileReader log, SignedNote checkpointNote, long index) throws FormatException {
        Checkpoint cp = Checkpoint.parse(checkpointNote.text());
        if (index < 0 || index >= cp.size()) {
            throw new FormatException("entry " + index + " is not in the log of size " + cp.size());
        }
        TilePath bundlePath = TilePath.entriesForIndex(index, cp.size());
        byte[] bundle = log.read(bundlePath.path())
                .orElseThrow(() -> new TlogException(bundlePath + " is missing from " + log.describe()));
        byte[] entry = EntryBundle.parse(bundle, bundlePath.width()).get((int) (index % TilePath.WIDTH));
        List<Hash> path = Proofs.inclusion(new TileNodeReader(log, cp.size(), 64), index, cp.size());
        return new TlogProof(entry, index, path, checkpointNote);
    }

    public byte @Nullable [] extra() {
        return extra == null ? null : extra.clone();
    }

    public long index() {
        return index;
    }

    public List<Hash> proof() {
        return proof;
    }

    public SignedNote checkpoint() {
        return checkpoint;
    }

    /**
     * Verifies the bundle offline: the checkpoint is signed by the log key (and whichever known
     * witnesses verify), and the proof binds {@code leafHash} at {@link #index} to its root.
     */
    public Checkpoint.Signed verify(Hash leafHash, Verifier logKey, Verifiers witnesses)
            throws FormatException, VerificationException {
        Checkpoint.Signed cp = Checkpoint.open(checkpoint.encode(), logKey, witnesses);
        ProofVerifier.verifyInclusion(index, cp.checkpoint().size(), leafHash, proof, cp.checkpoint().root());
        return cp;
    }

    /** Verifies the bundle for the entry carried in its extra data. */
    public Checkpoint.Signed verifyExtra(Verifier logKey, Verifiers witnesses)
            throws FormatException, VerificationException {
        if (extra == null) {
            throw new VerificationException("the proof carries no entry; give the entry to check");
        }
        return verify(Rfc9162.leafHash(extra), logKey, witnesses);
    }

    /**
     * Verifies the bundle offline under a C2SP tlog-policy: the checkpoint is signed by the policy's
     * log for its origin and cosigned by a quorum of its witnesses, and the proof binds
     * {@code leafHash} at {@link #index} to its root.
     */
    public Checkpoint.Signed verify(Hash leafHash, Policy policy) throws FormatException, VerificationException {
        Checkpoint.Signed cp = policy.verify(checkpoint.encode());
        ProofVerifier.verifyInclusion(index, cp.checkpoint().size(), leafHash, proof, cp.checkpoint().root());
        return cp;
    }

    public byte[] encode() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            sb.append("extra ").append(Base64.getEncoder().encodeToString(extra)).append('\n');
        }
        sb.append("index ").append(index).append('\n');
        for (Hash h : proof) {
            sb.append(h.base64()).append('\n');
        }
        sb.append('\n');
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] note = checkpoint.encode();
        byte[] out = Arrays.copyOf(head, head.length + note.length);
        System.arraycopy(note, 0, out, head.length, note.length);
        return out;
    }

    /** Parses an untrusted bundle. Its checkpoint is parsed but not verified. */
    public static TlogProof parse(byte[] data) throws FormatException {
        if (data.length > MAX_SIZE) {
            throw new FormatException("proof bundle is larger than " + MAX_SIZE + " bytes");
        }
        int pos = 0;
        Line header = line(data, pos);
        if (!header.text.equals(HEADER)) {
            throw new FormatException("proof bundle does not start with " + HEADER);
        }
        pos = header.next;
        Line l = line(data, pos);
        byte @Nullable [] extra = null;
        if (l.text.startsWith("extra ")) {
            String b64 = l.text.substring(6);
            try {
                extra = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new FormatException("proof bundle extra data is not valid base64");
            }
            if (!Base64.getEncoder().encodeToString(extra).equals(b64)) {
                throw new FormatException("proof bundle extra data is not canonical padded base64");
            }
            pos = l.next;
            l = line(data, pos);
        }
        if (!l.text.startsWith("index ")) {
            throw new FormatException("proof bundle has no index line");
        }
        long index = parseIndex(l.text.substring(6));
        pos = l.next;
        List<Hash> proof = new ArrayList<>();
        while (true) {
            l = line(data, pos);
            pos = l.next;
            if (l.text.isEmpty()) {
                break;
            }
            if (proof.size() == ProofVerifier.MAX_PROOF_HASHES) {
                throw new FormatException("proof bundle has more than " + ProofVerifier.MAX_PROOF_HASHES + " hashes");
            }
            proof.add(Hash.fromBase64(l.text, "proof hash " + proof.size()));
        }
        SignedNote note = SignedNote.parse(Arrays.copyOfRange(data, pos, data.length));
        return new TlogProof(extra, index, proof, note);
    }

    private record Line(String text, int next) {}

    private static Line line(byte[] data, int from) throws FormatException {
        for (int i = from; i < data.length; i++) {
            if (data[i] == '\n') {
                return new Line(new String(data, from, i - from, StandardCharsets.UTF_8), i + 1);
            }
        }
        throw new FormatException("proof bundle ends in the middle of a line");
    }

    private static long parseIndex(String s) throws FormatException {
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')
                || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FormatException("proof bundle index '" + s + "' is not a decimal without leading zeros");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new FormatException("proof bundle index is too large");
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof TlogProof p && p.index == index && Arrays.equals(p.extra, extra)
                && p.proof.equals(proof) && Arrays.equals(p.checkpoint.encode(), checkpoint.encode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, proof, Arrays.hashCode(extra));
    }
}
