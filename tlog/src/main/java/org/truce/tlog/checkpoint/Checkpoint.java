package org.truce.tlog.checkpoint;

import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;

/**
 * The body of a C2SP tlog-checkpoint: origin, tree size, root hash and optional extension lines.
 *
 * @param origin the log's identity, non-empty
 * @param size the number of leaves
 * @param root the RFC 9162 root at that size
 * @param extensions opaque non-empty lines after the root, usually none
 */
public record Checkpoint(String origin, long size, Hash root, List<String> extensions) {
    /** The most extension lines accepted when parsing. */
    public static final int MAX_EXTENSIONS = 16;

    public Checkpoint {
        if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("origin must be one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("extension lines must be non-empty single lines");
            }
        }
    }

    public Checkpoint(String origin, long size, Hash root) {
        this(origin, size, root, List.of());
    }

    /** The note text: each line followed by a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder(origin).append('\n')
                .append(size).append('\n')
                .append(root.base64()).append('\n');
        for (String e : extensions) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** Parses an untrusted checkpoint note text. */
    public static Checkpoint parse(String text) throws MalformedCheckpointException {
        if (!text.endsWith("\n")) {
            throw new MalformedCheckpointException("checkpoint text does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new MalformedCheckpointException("checkpoint has " + lines.length + " lines, not at least 3");
        }
        if (lines.length - 3 > MAX_EXTENSIONS) {
            throw new MalformedCheckpointException("checkpoint has more than " + MAX_EXTENSIONS + " extension lines");
        }
        String origin = lines[0];
        if (origin.isEmpty()) {
            throw new MalformedCheckpointException("checkpoint origin is empty");
        }
        long size = parseSize(lines[1]);
        Hash root;
        try {
            root = Hash.fromBase64(lines[2], "checkpoint root hash");
        } catch (FormatException e) {
            throw new MalformedCheckpointException(e.getMessage());
        }
        List<String> ext = List.of(lines).subList(3, lines.length);
        for (String e : ext) {
            if (e.isEmpty()) {
                throw new MalformedCheckpointException("checkpoint has an empty extension line");
            }
        }
        return new Checkpoint(origin, size, root, ext);
    }

    private static long parseSize(String s) throws MalformedCheckpointException {
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new MalformedCheckpointException("checkpoint tree size '" + s + "' is not a decimal without leading zeros");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new MalformedCheckpointException("checkpoint tree size '" + s + "' is not decimal");
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedCheckpointException("checkpoint tree size " + s + " is too large");
        }
    }

    /**
     * Opens a signed checkpoint: the note must verify with the log's key, whose name MUST be the
     * checkpoint's origin. Other known keys (witnesses) in {@code known} are verified too.
     *
     * @return the checkpoint, its note and the keys that verified it
     */
    public static Signed open(byte[] note, Verifier logKey, Verifiers known)
            throws FormatException, VerificationException {
        SignedNote n = SignedNote.parse(note);
        List<Verifier> all = new java.util.ArrayList<>(known.all());
        if (known.find(logKey.name(), logKey.keyId()) == null) {
            all.add(logKey);
        }
        SignedNote.Verified v = n.verify(Verifiers.of(all));
        if (v.verifiedBy().stream().noneMatch(k -> k.name().equals(logKey.name()) && k.keyId() == logKey.keyId())) {
            throw new VerificationException("checkpoint is not signed by the log key " + logKey.vkey());
        }
        Checkpoint c = parse(n.text());
        if (!c.origin().equals(logKey.name())) {
            throw new VerificationException("checkpoint origin '" + c.origin() + "' is not the log key's name '"
                    + logKey.name() + "'");
        }
        return new Signed(c, n, v.verifiedBy());
    }

    /** Opens a checkpoint signed by the log key alone. */
    public static Signed open(byte[] note, Verifier logKey) throws FormatException, VerificationException {
        return open(note, logKey, Verifiers.of(logKey));
    }

    /** A checkpoint with the note that carries it and the keys whose signatures verified. */
    public record Signed(Checkpoint checkpoint, SignedNote note, List<Verifier> verifiedBy) {
        public Signed {
            verifiedBy = List.copyOf(verifiedBy);
        }
    }
}
