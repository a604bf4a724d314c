package org.truce.tlog.witness;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;

/**
 * A C2SP tlog-policy: the logs a client accepts, the witnesses it knows, and the quorum of
 * cosignatures a checkpoint needs, as nested k-of-n groups. Immutable and thread-safe.
 *
 * <pre>
 * log &lt;vkey&gt; [&lt;url&gt;]
 * witness &lt;name&gt; &lt;vkey&gt; [&lt;url&gt;]
 * group &lt;name&gt; all|any|&lt;k&gt; &lt;name&gt;…
 * quorum &lt;name&gt;|none
 * </pre>
 *
 * <p>Log keys are Ed25519 note keys (type 0x01) named by the log's origin; witness keys are
 * tlog-cosignature v1 keys (type 0x04). A name may be listed as a group member only once in the
 * whole file, so every witness counts towards the quorum in one way only.
 */
public final class Policy {
    /** The largest policy file parsed. */
    public static final int MAX_SIZE = 64 * 1024;
    /** The most logs, witnesses and groups each; the spec recommends supporting at least 32. */
    public static final int MAX_ENTRIES = 256;

    private final List<Verifier> logs;
    private final List<WitnessKey> witnesses;
    private final @Nullable Node quorum;
    private final Verifiers witnessKeys;

    /** A witness of the policy: its name in the file, its cosigning key and its submission prefix. */
    public record WitnessKey(String name, Verifier key, @Nullable URI url) {}

    private sealed interface Node {
        boolean met(Set<String> cosigned);
    }

    private record WitnessNode(Verifier key) implements Node {
        @Override
        public boolean met(Set<String> cosigned) {
            return cosigned.contains(id(key));
        }
    }

    private record Group(int k, List<Node> members) implements Node {
        @Override
        public boolean met(Set<String> cosigned) {
            int n = 0;
            for (Node m : members) {
                if (m.met(cosigned) && ++n >= k) {
                    return true;
                }
            }
            return false;
        }
    }

    private Policy(List<Verifier> logs, List<WitnessKey> witnesses, @Nullable Node quorum) {
        this.logs = List.copyOf(logs);
        this.witnesses = List.copyOf(witnesses);
        this.quorum = quorum;
        this.witnessKeys = Verifiers.of(witnesses.stream().map(WitnessKey::key).toList());
    }

    /** The logs accepted. */
    public List<Verifier> logs() {
        return logs;
    }

    /** The log key for an origin: the log whose key name is that origin. */
    public Optional<Verifier> log(String origin) {
        return logs.stream().filter(l -> l.name().equals(origin)).findFirst();
    }

    public List<WitnessKey> witnesses() {
        return witnesses;
    }

    /** The witnesses' keys, to verify cosignatures with. */
    public Verifiers witnessKeys() {
        return witnessKeys;
    }

    /** The witnesses that have a URL, as the log side asks them. */
    public List<WitnessClient.Target> targets() {
        List<WitnessClient.Target> out = new ArrayList<>();
        for (WitnessKey w : witnesses) {
            if (w.url() != null) {
                out.add(new WitnessClient.Target(w.key(), w.url()));
            }
        }
        return out;
    }

    /** Whether the quorum is {@code none}. */
    public boolean quorumIsNone() {
        return quorum == null;
    }

    /** Whether cosignatures verified by these witness keys meet the quorum. */
    public boolean quorumMet(Collection<Verifier> cosigners) {
        if (quorum == null) {
            return true;
        }
        Set<String> ids = new HashSet<>();
        cosigners.forEach(v -> ids.add(id(v)));
        return quorum.met(ids);
    }

    /**
     * Opens an untrusted checkpoint note: it must be signed by the policy's log for its origin, every
     * cosignature by a known witness must verify, and those witnesses must meet the quorum.
     */
    public Checkpoint.Signed verify(byte[] note) throws FormatException, VerificationException {
        SignedNote n = SignedNote.parse(note);
        String origin = Checkpoint.parse(n.text()).origin();
        Verifier logKey = log(origin).orElseThrow(() ->
                new VerificationException("the policy names no log with origin " + origin));
        return verify(note, logKey);
    }

    /** As {@link #verify(byte[])}, with the log key given by the caller, for policies that list no log. */
    public Checkpoint.Signed verify(byte[] note, Verifier logKey) throws FormatException, VerificationException {
        List<Verifier> known = new ArrayList<>(witnessKeys.all());
        Verifiers all;
        try {
            all = Verifiers.of(known);
        } catch (IllegalArgumentException e) {
            throw new VerificationException(e.getMessage());
        }
        Checkpoint.Signed s = Checkpoint.open(note, logKey, all);
        List<Verifier> cosigners = s.verifiedBy().stream()
                .filter(v -> witnessKeys.find(v.name(), v.keyId()) != null)
                .toList();
        if (!quorumMet(cosigners)) {
            throw new VerificationException("the cosignatures of "
                    + (cosigners.isEmpty() ? "no witness" : String.join(", ", names(cosigners)))
                    + " do not meet the policy's quorum");
        }
        return s;
    }

    private List<String> names(List<Verifier> cosigners) {
        List<String> out = new ArrayList<>();
        for (WitnessKey w : witnesses) {
            if (cosigners.stream().anyMatch(c -> id(c).equals(id(w.key())))) {
                out.add(w.name());
            }
        }
        return out;
    }

    // ---- parsing ----

    /** Parses an untrusted policy file. */
    public static Policy parse(byte[] file) throws FormatException {
        if (file.length > MAX_SIZE) {
            throw new FormatException("policy is larger than " + MAX_SIZE + " bytes");
        }
        for (byte b : file) {
            int c = b & 0xFF;
            if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7F) {
                throw new FormatException("policy contains control character 0x" + Integer.toHexString(c));
            }
        }
        // Octets with the high bit set are opaque to the syntax: Latin-1 keeps each as one char.
        String text = new String(file, StandardCharsets.ISO_8859_1);
        List<Verifier> logs = new ArrayList<>();
        List<WitnessKey> witnesses = new ArrayList<>();
        Map<String, Node> names = new HashMap<>();
        Set<String> used = new HashSet<>();
        Set<String> publicKeys = new HashSet<>();
        int groups = 0;
        Node quorum = null;
        boolean haveQuorum = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceAll("^[ \t]+|[ \t]+$", "");
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int no = i + 1;
            String[] f = line.split("[ \t]+");
            switch (f[0]) {
                case "log" -> {
                    arity(f, 2, 3, no, "log <vkey> [<url>]");
                    Verifier v = key(f[1], NoteKeys.TYPE_ED25519, "log", no);
                    if (!publicKeys.add("log " + publicKey(v))) {
                        throw new FormatException("line " + no + ": a log with this public key is listed already");
                    }
                    if (f.length == 3) {
                        url(f[2], no);
                    }
                    logs.add(v);
                    limit(logs.size(), "logs");
                }
                case "witness" -> {
                    arity(f, 3, 4, no, "witness <name> <vkey> [<url>]");
                    String name = newName(f[1], names, no);
                    Verifier v = key(f[2], NoteKeys.TYPE_COSIGNATURE_V1, "witness", no);
                    if (!publicKeys.add("witness " + publicKey(v))) {
                        throw new FormatException("line " + no + ": a witness with this public key is listed already");
                    }
                    URI url = f.length == 4 ? url(f[3], no) : null;
                    witnesses.add(new WitnessKey(utf8(name, no), v, url));
                    names.put(name, new WitnessNode(v));
                    limit(witnesses.size(), "witnesses");
                }
                case "group" -> {
                    if (f.length < 4) {
                        throw new FormatException("line " + no + ": expected group <name> all|any|<k> <name>...");
                    }
                    String name = newName(f[1], names, no);
                    List<Node> members = new ArrayList<>();
                    for (int m = 3; m < f.length; m++) {
                        Node member = names.get(f[m]);
                        if (member == null) {
                            throw new FormatException("line " + no + ": group member '" + f[m]
                                    + "' is not a witness or group defined above");
                        }
                        if (!used.add(f[m])) {
                            throw new FormatException("line " + no + ": '" + f[m] + "' is a group member already");
                        }
                        members.add(member);
                    }
                    int n = members.size();
                    int k = switch (f[2]) {
                        case "all" -> n;
                        case "any" -> 1;
                        default -> threshold(f[2], n, no);
                    };
                    names.put(name, new Group(k, members));
                    limit(++groups, "groups");
                }
                case "quorum" -> {
                    arity(f, 2, 2, no, "quorum <name>");
                    if (haveQuorum) {
                        throw new FormatException("line " + no + ": a policy has exactly one quorum line");
                    }
                    haveQuorum = true;
                    if (!f[1].equals("none")) {
                        quorum = names.get(f[1]);
                        if (quorum == null) {
                            throw new FormatException("line " + no + ": quorum '" + f[1]
                                    + "' is not a witness or group defined above");
                        }
                    }
                }
                default -> throw new FormatException("line " + no + ": unknown keyword '" + utf8Lenient(f[0]) + "'");
            }
        }
        if (!haveQuorum) {
            throw new FormatException("policy has no quorum line");
        }
        return new Policy(logs, witnesses, quorum);
    }

    private static void arity(String[] f, int min, int max, int no, String form) throws FormatException {
        if (f.length < min || f.length > max) {
            throw new FormatException("line " + no + ": expected " + form);
        }
    }

    private static void limit(int n, String what) throws FormatException {
        if (n > MAX_ENTRIES) {
            throw new FormatException("policy has more than " + MAX_ENTRIES + " " + what);
        }
    }

    private static String newName(String name, Map<String, Node> names, int no) throws FormatException {
        if (name.equals("none")) {
            throw new FormatException("line " + no + ": 'none' is a reserved name");
        }
        if (names.containsKey(name)) {
            throw new FormatException("line " + no + ": name '" + utf8Lenient(name) + "' is defined twice");
        }
        return name;
    }

    private static int threshold(String s, int n, int no) throws FormatException {
        if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FormatException("line " + no + ": group threshold '" + utf8Lenient(s) + "' is not all, any or a number");
        }
        int k = Integer.parseInt(s);
        if (k < 1 || k > n) {
            throw new FormatException("line " + no + ": group threshold " + k + " is not between 1 and " + n);
        }
        return k;
    }

    private static Verifier key(String latin1, byte type, String what, int no) throws FormatException {
        Verifier v;
        try {
            v = NoteKeys.parseVerifier(utf8(latin1, no));
        } catch (FormatException e) {
            throw new FormatException("line " + no + ": bad " + what + " key: " + e.getMessage());
        }
        byte actual = Base64.getDecoder().decode(v.vkey().split("\\+", 3)[2])[0];
        if (actual != type) {
            throw new FormatException("line " + no + ": a " + what + " key must have type 0x0" + type
                    + ", not 0x0" + actual);
        }
        return v;
    }

    private static @Nullable URI url(String latin1, int no) throws FormatException {
        try {
            URI u = new URI(utf8(latin1, no));
            if (!u.isAbsolute()) {
                throw new FormatException("line " + no + ": URL '" + u + "' is not absolute");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new FormatException("line " + no + ": bad URL: " + e.getReason());
        }
    }

    private static String utf8(String latin1, int no) throws FormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException("line " + no + ": a key or URL is not valid UTF-8");
        }
    }

    private static String utf8Lenient(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String publicKey(Verifier v) {
        byte[] raw = Base64.getDecoder().decode(v.vkey().split("\\+", 3)[2]);
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(raw, 1, raw.length));
    }

    private static String id(Verifier v) {
        return v.vkey();
    }
}
