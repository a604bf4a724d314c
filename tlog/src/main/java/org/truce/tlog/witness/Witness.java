package org.truce.tlog.witness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.checkpoint.MalformedCheckpointException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;

/**
 * A C2SP tlog-witness: checks {@code add-checkpoint} requests for the logs it follows, in the order
 * and with the status codes of the spec, and cosigns (tlog-cosignature v1) each checkpoint that is
 * consistent with the latest one it cosigned for that log, which it records before answering.
 *
 * <p>Thread-safe. Requests for one origin are serialised, and the store's compare-and-set refuses any
 * write that does not start from the size just checked, so concurrent requests can never move a log
 * backwards (the race the spec describes).
 */
public final class Witness {
    private final CosignatureV1.Cosigner cosigner;
    private final Map<String, Log> logs;
    private final Map<String, String> originByHash;
    private final Map<String, Object> locks;
    private final WitnessStore store;

    /** A log the witness follows: its origin line and the keys trusted to sign its checkpoints. */
    public record Log(String origin, Verifiers keys) {
        public Log {
            if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("origin must be one non-empty line");
            }
            if (keys.all().isEmpty()) {
                throw new IllegalArgumentException("log " + origin + " needs at least one key");
            }
        }

        /** A log whose origin is its key's name, as for Truce's own logs. */
        public static Log of(Verifier key) {
            return new Log(key.name(), Verifiers.of(key));
        }
    }

    public Witness(CosignatureV1.Cosigner cosigner, List<Log> logs, WitnessStore store) {
        this.cosigner = cosigner;
        this.store = store;
        Map<String, Log> byOrigin = new HashMap<>();
        Map<String, String> byHash = new HashMap<>();
        Map<String, Object> lockMap = new HashMap<>();
        for (Log l : logs) {
            if (byOrigin.put(l.origin(), l) != null) {
                throw new IllegalArgumentException("log " + l.origin() + " is configured twice");
            }
            byHash.put(DirectoryWitnessStore.originHash(l.origin()), l.origin());
            lockMap.put(l.origin(), new Object());
        }
        this.logs = Map.copyOf(byOrigin);
        this.originByHash = Map.copyOf(byHash);
        this.locks = Map.copyOf(lockMap);
    }

    /** The witness's cosigning key, type 0x04. */
    public String vkey() {
        return cosigner.vkey();
    }

    public Verifier verifier() {
        return cosigner.verifier();
    }

    public List<Log> logs() {
        return List.copyOf(logs.values());
    }

    /** What the witness answers to one request: a closed set, each with its HTTP status. */
    public sealed interface Outcome {
        int status();

        /** 200: the cosignature lines, each ending in a newline. */
        record Cosigned(List<NoteSignature> cosignatures) implements Outcome {
            public Cosigned {
                cosignatures = List.copyOf(cosignatures);
            }

            @Override
            public int status() {
                return 200;
            }

            /** The response body. */
            public String body() {
                StringBuilder sb = new StringBuilder();
                cosignatures.forEach(c -> sb.append(c.line()));
                return sb.toString();
            }
        }

        /** 409: the old size is not the size of the latest cosigned checkpoint, which is {@code size}. */
        record Conflict(long size) implements Outcome {
            @Override
            public int status() {
                return 409;
            }

            /** The {@code text/x.tlog.size} response body. */
            public String body() {
                return size + "\n";
            }
        }

        /** 400, 403, 404 or 422, with a message that names what failed. */
        record Refused(Reason reason, String message) implements Outcome {
            @Override
            public int status() {
                return reason.status;
            }
        }
    }

    /** Why a request is refused, with the status the spec gives it. */
    public enum Reason {
        /** 400: the request or its checkpoint cannot be parsed, or the old size is above the checkpoint's. */
        MALFORMED(400),
        /** 403: no trusted signature for the origin, or a trusted key's signature fails. */
        FORBIDDEN(403),
        /** 404: the witness does not follow this origin. */
        UNKNOWN_LOG(404),
        /** 422: the checkpoint is not consistent with what was cosigned (a fork or a bad proof). */
        INCONSISTENT(422);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Parses and handles a request body; a body that does not parse is refused with 400. */
    public Outcome addCheckpoint(byte[] body) {
        AddCheckpoint req;
        try {
            req = AddCheckpoint.parse(body);
        } catch (FormatException e) {
            return new Outcome.Refused(Reason.MALFORMED, e.getMessage());
        }
        return addCheckpoint(req);
    }

    /**
     * Checks one request and cosigns its checkpoint, recording it first.
     *
     * @throws org.truce.tlog.TlogException if the state cannot be read or written; nothing was cosigned
     */
    public Outcome addCheckpoint(AddCheckpoint req) {
        SignedNote note = req.checkpoint();
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(note.text());
        } catch (MalformedCheckpointException e) {
            return new Outcome.Refused(Reason.MALFORMED, "malformed checkpoint: " + e.getMessage());
        }
        Log log = logs.get(cp.origin());
        if (log == null) {
            return new Outcome.Refused(Reason.UNKNOWN_LOG, "unknown log " + cp.origin());
        }
        SignedNote.Verified verified;
        try {
            verified = note.verify(log.keys());
        } catch (VerificationException e) {
            return new Outcome.Refused(Reason.FORBIDDEN, "invalid signature: " + e.getMessage());
        }
        if (req.oldSize() > cp.size()) {
            return new Outcome.Refused(Reason.MALFORMED, "old size " + req.oldSize()
                    + " is larger than the checkpoint size " + cp.size());
        }
        synchronized (locks.get(cp.origin())) {
            Optional<SignedNote> latest = store.latest(cp.origin());
            Checkpoint known = latest.map(Witness::checkpointOf).orElse(null);
            long knownSize = known == null ? 0 : known.size();
            if (req.oldSize() != knownSize) {
                return new Outcome.Conflict(knownSize);
            }
            Optional<String> inconsistent = inconsistency(req, cp, known);
            if (inconsistent.isPresent()) {
                return new Outcome.Refused(Reason.INCONSISTENT, inconsistent.get());
            }
            NoteSignature cosig = cosign(note);
            if (!store.replace(cp.origin(), knownSize, record(note, verified, cosig))) {
                // Only another store user can get here, as requests for one origin are serialised.
                long now = store.latest(cp.origin()).map(n -> checkpointOf(n).size()).orElse(0L);
                return new Outcome.Conflict(now);
            }
            return new Outcome.Cosigned(List.of(cosig));
        }
    }

    /**
     * The latest checkpoint cosigned for the log whose origin hashes to {@code originHash} (lowercase
     * hex SHA-256), with the log signatures the witness verified and its cosignature.
     */
    public Optional<SignedNote> latest(String originHash) {
        String origin = originByHash.get(originHash);
        return origin == null ? Optional.empty() : store.latest(origin);
    }

    /** The lowercase hex SHA-256 of an origin, as the monitoring API names a log. */
    public static String originHash(String origin) {
        return DirectoryWitnessStore.originHash(origin);
    }

    private static Optional<String> inconsistency(AddCheckpoint req, Checkpoint cp, @Nullable Checkpoint known) {
        if (cp.size() == 0 && !cp.root().equals(Rfc9162.EMPTY_ROOT)) {
            return Optional.of("a checkpoint of size 0 must have the root of the empty tree");
        }
        if (req.oldSize() == 0) {
            return req.proof().isEmpty() ? Optional.empty()
                    : Optional.of("the consistency proof from size 0 must be empty");
        }
        if (known == null) {
            throw new IllegalStateException("a non-zero old size matched no recorded checkpoint");
        }
        Hash oldRoot = known.root();
        if (req.oldSize() == cp.size()) {
            if (!cp.root().equals(oldRoot)) {
                return Optional.of("the checkpoint of size " + cp.size() + " has another root than the one cosigned");
            }
            return req.proof().isEmpty() ? Optional.empty()
                    : Optional.of("the consistency proof between equal sizes must be empty");
        }
        try {
            ProofVerifier.verifyConsistency(req.oldSize(), cp.size(), req.proof(), oldRoot, cp.root());
            return Optional.empty();
        } catch (VerificationException e) {
            return Optional.of("the consistency proof does not verify: " + e.getMessage());
        }
    }

    private NoteSignature cosign(SignedNote note) {
        byte[] sig = cosigner.sign(note.textBytes());
        if (CosignatureV1.timestamp(new NoteSignature(cosigner.name(), cosigner.keyId(), sig)) == 0) {
            // The spec forbids omitting the timestamp; a clock at the epoch is a configuration error.
            throw new IllegalStateException("the witness clock reads the epoch; a cosignature needs a real time");
        }
        return new NoteSignature(cosigner.name(), cosigner.keyId(), sig);
    }

    /** The note to record and serve: the text, the log signatures that verified, and the cosignature. */
    private static SignedNote record(SignedNote note, SignedNote.Verified verified, NoteSignature cosig) {
        List<NoteSignature> keep = new ArrayList<>();
        for (NoteSignature s : note.signatures()) {
            boolean trusted = verified.verifiedBy().stream()
                    .anyMatch(v -> v.name().equals(s.name()) && v.keyId() == s.keyId());
            if (trusted && !keep.contains(s)) {
                keep.add(s);
            }
        }
        keep.add(cosig);
        StringBuilder sb = new StringBuilder(note.text()).append('\n');
        keep.forEach(s -> sb.append(s.line()));
        try {
            return SignedNote.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new IllegalStateException("a note rebuilt from a parsed note does not parse", e);
        }
    }

    private static Checkpoint checkpointOf(SignedNote note) {
        try {
            return Checkpoint.parse(note.text());
        } catch (MalformedCheckpointException e) {
            throw new org.truce.tlog.TlogException("a stored checkpoint does not parse: " + e.getMessage(), e);
        }
    }
}
