package org.truce.tlog.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, and one or more signature lines.
 * Immutable.
 *
 * <p>{@link #parse} bounds the input before any work: at most {@link #MAX_SIZE} bytes and
 * {@link #MAX_SIGNATURES} signature lines.
 */
public final class SignedNote {
    /** The largest note parsed, in bytes. */
    public static final int MAX_SIZE = 128 * 1024;
    /** The most signature lines a note may carry; the spec asks verifiers to accept at least 16. */
    public static final int MAX_SIGNATURES = 100;

    private static final String DASH = "\u2014 ";

    private final String text;
    private final List<NoteSignature> signatures;

    private SignedNote(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = List.copyOf(signatures);
    }

    /** Signs {@code text} (which MUST end in a newline) with each signer in turn. */
    public static SignedNote sign(String text, Signer... signers) {
        checkText(text);
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> sigs = new ArrayList<>();
        for (Signer s : signers) {
            sigs.add(new NoteSignature(s.name(), s.keyId(), s.sign(msg)));
        }
        if (sigs.isEmpty()) {
            throw new IllegalArgumentException("a signed note needs at least one signature");
        }
        return new SignedNote(text, sigs);
    }

    /** The note text, including its final newline. */
    public String text() {
        return text;
    }

    public byte[] textBytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public List<NoteSignature> signatures() {
        return signatures;
    }

    /** A copy with one more signature, such as a witness cosignature, unless it is already present. */
    public SignedNote withSignature(NoteSignature sig) {
        if (signatures.contains(sig)) {
            return this;
        }
        List<NoteSignature> more = new ArrayList<>(signatures);
        more.add(sig);
        return new SignedNote(text, more);
    }

    /** The note as bytes: text, blank line, signature lines. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            sb.append(s.line());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return new String(encode(), StandardCharsets.UTF_8);
    }

    /** Parses an untrusted note without verifying any signature. */
    public static SignedNote parse(byte[] note) throws FormatException {
        if (note.length > MAX_SIZE) {
            throw new FormatException("note is larger than " + MAX_SIZE + " bytes");
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(note))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FormatException("note is not valid UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new FormatException("note contains control character 0x" + Integer.toHexString(c));
            }
        }
        int split = s.lastIndexOf("\n\n");
        if (split < 0) {
            throw new FormatException("note has no blank line before its signatures");
        }
        String text = s.substring(0, split + 1);
        String sigBlock = s.substring(split + 2);
        if (sigBlock.isEmpty()) {
            throw new FormatException("note has no signature lines");
        }
        if (!sigBlock.endsWith("\n")) {
            throw new FormatException("note's last signature line has no final newline");
        }
        int lines = 0;
        for (int i = 0; i < sigBlock.length(); i++) {
            if (sigBlock.charAt(i) == '\n' && ++lines > MAX_SIGNATURES) {
                throw new FormatException("note has more than " + MAX_SIGNATURES + " signature lines");
            }
        }
        List<NoteSignature> sigs = new ArrayList<>(lines);
        int start = 0;
        while (start < sigBlock.length()) {
            int end = sigBlock.indexOf('\n', start);
            sigs.add(parseLine(sigBlock.substring(start, end)));
            start = end + 1;
        }
        return new SignedNote(text, sigs);
    }

    private static NoteSignature parseLine(String line) throws FormatException {
        if (!line.startsWith(DASH)) {
            throw new FormatException("signature line does not start with an em dash and a space");
        }
        String rest = line.substring(DASH.length());
        int sp = rest.indexOf(' ');
        if (sp < 0) {
            throw new FormatException("signature line has no space between key name and signature");
        }
        String name = rest.substring(0, sp);
        if (!Text.isValidName(name)) {
            throw new FormatException("signature key name '" + name + "' is empty or has a space or +");
        }
        byte[] raw = Text.decodeBase64(rest.substring(sp + 1), "signature of " + name);
        if (raw.length < 5) {
            throw new FormatException("signature of " + name + " is shorter than a key ID and one byte");
        }
        int id = ByteBuffer.wrap(raw).getInt();
        return new NoteSignature(name, id, Arrays.copyOfRange(raw, 4, raw.length));
    }

    /**
     * Parses and verifies an untrusted note against known keys, following the signed-note rules:
     * signatures of unknown keys are ignored, a known key whose signature fails rejects the note,
     * and at least one known key must verify.
     *
     * @return the note and which of the known keys signed it
     */
    public static Verified open(byte[] note, Verifiers known) throws FormatException, VerificationException {
        SignedNote n = parse(note);
        return n.verify(known);
    }

    /** Verifies this note's signatures against known keys, by the rules of {@link #open}. */
    public Verified verify(Verifiers known) throws VerificationException {
        byte[] msg = textBytes();
        List<Verifier> verified = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (NoteSignature s : signatures) {
            Verifier v = known.find(s.name(), s.keyId());
            if (v == null) {
                continue;
            }
            // Every signature line of a known key is checked, repeated ones too, as the spec requires.
            if (!v.verify(msg, s.signature())) {
                throw new VerificationException("signature by " + s.name() + "+" + NoteKeys.hex(s.keyId())
                        + " does not verify");
            }
            if (seen.add(s.name() + "+" + s.keyId())) {
                verified.add(v);
            }
        }
        if (verified.isEmpty()) {
            throw new VerificationException("note has no signature by a known key");
        }
        return new Verified(this, verified);
    }

    /** A note together with the known keys whose signatures on it verified. */
    public record Verified(SignedNote note, List<Verifier> verifiedBy) {
        public Verified {
            verifiedBy = List.copyOf(verifiedBy);
        }
    }

    private static void checkText(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new IllegalArgumentException("note text must not contain control characters");
        }
    }
}
