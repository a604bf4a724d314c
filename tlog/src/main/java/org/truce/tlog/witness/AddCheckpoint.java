package org.truce.tlog.witness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.note.SignedNote;

/**
 * The body of a C2SP tlog-witness {@code add-checkpoint} request: an old size line, up to 63
 * consistency proof lines, an empty line and the signed checkpoint note.
 *
 * <pre>
 * old 20852014
 * PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
 *
 * example.com/behind-the-sofa
 * 20852163
 * CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 *
 * — example.com/behind-the-sofa Az3grlgt…
 * </pre>
 *
 * @param oldSize the size of the checkpoint the client believes the witness cosigned last, or 0
 * @param proof the consistency proof from {@code oldSize} to the checkpoint's size
 * @param checkpoint the signed checkpoint, not verified by parsing
 */
public record AddCheckpoint(long oldSize, List<Hash> proof, SignedNote checkpoint) {
    /** The protocol's limit on consistency proof lines. */
    public static final int MAX_PROOF_LINES = ProofVerifier.MAX_PROOF_HASHES;
    /** The largest request body parsed: a maximal note and a maximal proof, with room to spare. */
    public static final int MAX_SIZE = SignedNote.MAX_SIZE + 4096;

    private static final int HASH_LINE = 44;
    private static final int OLD_LINE = "old ".length() + 19;

    public AddCheckpoint {
        if (oldSize < 0) {
            throw new IllegalArgumentException("negative old size " + oldSize);
        }
        proof = List.copyOf(proof);
        if (proof.size() > MAX_PROOF_LINES) {
            throw new IllegalArgumentException("a consistency proof has at most " + MAX_PROOF_LINES + " lines");
        }
    }

    /** The request body. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder("old ").append(oldSize).append('\n');
        for (Hash h : proof) {
            sb.append(h.base64()).append('\n');
        }
        sb.append('\n');
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] note = checkpoint.encode();
        byte[] out = Arrays.copyOf(head, head.length + note.length);
        System.arraycopy(note, 0, out, head.length, note.length);
        return out;
    }

    /**
     * Parses an untrusted request body. The size, the number of proof lines and the length of every
     * line before the note are bounded before any decoding; the note is parsed by
     * {@link SignedNote#parse} with its own bounds, and no signature is verified.
     */
    public static AddCheckpoint parse(byte[] body) throws FormatException {
        if (body.length > MAX_SIZE) {
            throw new FormatException("request body is larger than " + MAX_SIZE + " bytes");
        }
        int end = lineEnd(body, 0, OLD_LINE, "old size line");
        String old = ascii(body, 0, end);
        if (!old.startsWith("old ")) {
            throw new FormatException("request does not start with an old size line");
        }
        long oldSize = parseSize(old.substring(4));
        int pos = end + 1;
        List<Hash> proof = new ArrayList<>();
        while (true) {
            end = lineEnd(body, pos, HASH_LINE, "consistency proof line");
            if (end == pos) {
                pos = end + 1;
                break;
            }
            if (proof.size() == MAX_PROOF_LINES) {
                throw new FormatException("request has more than " + MAX_PROOF_LINES + " consistency proof lines");
            }
            proof.add(Hash.fromBase64(ascii(body, pos, end), "consistency proof line " + (proof.size() + 1)));
            pos = end + 1;
        }
        SignedNote note = SignedNote.parse(Arrays.copyOfRange(body, pos, body.length));
        return new AddCheckpoint(oldSize, proof, note);
    }

    /** The index of the newline ending the line at {@code from}, which may be at most {@code max} bytes long. */
    private static int lineEnd(byte[] b, int from, int max, String what) throws FormatException {
        int limit = Math.min(b.length, from + max + 1);
        for (int i = from; i < limit; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        if (limit == b.length) {
            throw new FormatException("request ends before the end of its " + what);
        }
        throw new FormatException(what + " is longer than " + max + " bytes");
    }

    private static String ascii(byte[] b, int from, int to) throws FormatException {
        for (int i = from; i < to; i++) {
            if (b[i] < 0x20 || b[i] > 0x7e) {
                throw new FormatException("request line has a byte that is not printable ASCII");
            }
        }
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    private static long parseSize(String s) throws FormatException {
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')
                || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FormatException("old size '" + s + "' is not a decimal without leading zeros");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new FormatException("old size " + s + " is too large");
        }
    }
}
