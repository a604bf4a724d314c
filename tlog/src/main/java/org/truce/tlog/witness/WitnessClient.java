package org.truce.tlog.witness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.truce.tlog.FormatException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.checkpoint.MalformedCheckpointException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;

/**
 * The log's side of C2SP tlog-witness: sends a new checkpoint to every configured witness at once,
 * each with the consistency proof from the size that witness last cosigned, and collects the
 * cosignatures that verify under the witness's key. A witness that answers 409 is asked again from
 * the size it gives; one that fails or does not answer within the timeout is left out.
 *
 * <p>Thread-safe. It remembers, per witness, the size it last cosigned, starting from 0: the first
 * request after a restart may meet a 409, which costs one round trip.
 */
public final class WitnessClient {
    /** The largest response body read from a witness. */
    static final int MAX_RESPONSE = 64 * 1024;
    /** How many times one witness is asked for one checkpoint: the first request and two after 409s. */
    static final int MAX_ATTEMPTS = 3;

    private final HttpClient http;
    private final List<Target> witnesses;
    private final Duration timeout;
    private final ConcurrentMap<Target, Long> lastSize = new ConcurrentHashMap<>();

    /**
     * A witness to ask: its cosigning key (type 0x04) and its submission prefix, to which
     * {@code /add-checkpoint} is appended.
     */
    public record Target(Verifier key, URI submissionPrefix) {
        public Target {
            String s = submissionPrefix.getScheme();
            if (!"http".equals(s) && !"https".equals(s)) {
                throw new IllegalArgumentException("witness URL " + submissionPrefix + " is not http(s)");
            }
        }

        URI addCheckpoint() {
            String base = submissionPrefix.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/add-checkpoint");
        }

        /** The witness's key name, which names it in results. */
        public String name() {
            return key.name();
        }
    }

    /**
     * Computes consistency proofs of the log, from a smaller tree to the checkpoint's; called only with
     * {@code 0 < oldSize < newSize}. Implementations MUST be thread-safe and MAY throw an unchecked
     * exception, which fails that witness only.
     */
    @FunctionalInterface
    public interface ConsistencyProofs {
        List<Hash> between(long oldSize, long newSize);
    }

    /** What one witness answered. */
    public sealed interface Result {
        /** Its cosignature lines that verified under its key. */
        record Cosigned(List<NoteSignature> cosignatures) implements Result {
            public Cosigned {
                cosignatures = List.copyOf(cosignatures);
            }
        }

        /** Why it gave no cosignature. */
        record Failed(String reason) implements Result {}
    }

    /**
     * The outcome of one round: the checkpoint with every collected cosignature appended, and each
     * witness's result by key name.
     */
    public record Collected(SignedNote note, Map<String, Result> byWitness) {
        public Collected {
            byWitness = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byWitness));
        }

        /** The cosignature lines collected, in the order of the configured witnesses. */
        public List<NoteSignature> cosignatures() {
            List<NoteSignature> out = new ArrayList<>();
            byWitness.values().forEach(r -> {
                if (r instanceof Result.Cosigned c) {
                    out.addAll(c.cosignatures());
                }
            });
            return out;
        }
    }

    public WitnessClient(List<Target> witnesses, Duration timeout) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build(),
                witnesses, timeout);
    }

    /** @param timeout the longest a round waits for all witnesses, retries included */
    public WitnessClient(HttpClient http, List<Target> witnesses, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.http = http;
        this.witnesses = List.copyOf(witnesses);
        this.timeout = timeout;
        if (this.witnesses.stream().map(Target::name).distinct().count() != this.witnesses.size()) {
            throw new IllegalArgumentException("two witnesses share a key name");
        }
    }

    public List<Target> witnesses() {
        return witnesses;
    }

    /**
     * Asks every witness to cosign {@code checkpoint} (signed by the log) and waits at most the
     * timeout. Never throws for a witness's failure; those are in {@link Collected#byWitness()}.
     */
    public Collected cosign(SignedNote checkpoint, ConsistencyProofs proofs) {
        long size;
        try {
            size = Checkpoint.parse(checkpoint.text()).size();
        } catch (MalformedCheckpointException e) {
            throw new IllegalArgumentException("not a checkpoint: " + e.getMessage(), e);
        }
        Map<Target, CompletableFuture<Result>> pending = new LinkedHashMap<>();
        for (Target t : witnesses) {
            pending.put(t, ask(t, checkpoint, size, proofs, lastSize.getOrDefault(t, 0L), 1)
                    .exceptionally(e -> new Result.Failed(describe(e)))
                    .completeOnTimeout(new Result.Failed("no answer within " + timeout.toMillis() + " ms"),
                            timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        Map<String, Result> results = new LinkedHashMap<>();
        SignedNote note = checkpoint;
        for (Map.Entry<Target, CompletableFuture<Result>> e : pending.entrySet()) {
            Result r = e.getValue().join();
            results.put(e.getKey().name(), r);
            if (r instanceof Result.Cosigned c) {
                for (NoteSignature s : c.cosignatures()) {
                    note = note.withSignature(s);
                }
            }
        }
        return new Collected(note, results);
    }

    /** Appends cosignature lines to a checkpoint note, skipping any it already carries. */
    public static SignedNote withCosignatures(SignedNote checkpoint, List<NoteSignature> cosignatures) {
        SignedNote n = checkpoint;
        for (NoteSignature s : cosignatures) {
            n = n.withSignature(s);
        }
        return n;
    }

    private CompletableFuture<Result> ask(Target t, SignedNote note, long size, ConsistencyProofs proofs,
            long oldSize, int attempt) {
        if (oldSize > size) {
            return CompletableFuture.completedFuture(new Result.Failed("the witness has cosigned size " + oldSize
                    + ", larger than this checkpoint's " + size));
        }
        List<Hash> proof;
        try {
            proof = oldSize == 0 || oldSize == size ? List.of() : proofs.between(oldSize, size);
        } catch (RuntimeException e) {
            return done(new Result.Failed("no consistency proof from size " + oldSize + ": " + describe(e)));
        }
        byte[] body = new AddCheckpoint(oldSize, proof, note).encode();
        HttpRequest req = HttpRequest.newBuilder(t.addCheckpoint())
                .timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream()).thenCompose(resp -> {
            byte[] answer;
            try (InputStream in = resp.body()) {
                answer = in.readNBytes(MAX_RESPONSE + 1);
            } catch (IOException e) {
                return done(new Result.Failed("reading the answer: " + e.getMessage()));
            }
            if (answer.length > MAX_RESPONSE) {
                return done(new Result.Failed("the answer is larger than " + MAX_RESPONSE + " bytes"));
            }
            int status = resp.statusCode();
            if (status == 409) {
                long theirs;
                try {
                    theirs = parseSize(answer);
                } catch (FormatException e) {
                    return done(new Result.Failed("409 with a bad body: " + e.getMessage()));
                }
                lastSize.put(t, theirs);
                if (attempt >= MAX_ATTEMPTS) {
                    return done(new Result.Failed("still 409 after " + attempt + " attempts, at size " + theirs));
                }
                return ask(t, note, size, proofs, theirs, attempt + 1);
            }
            if (status != 200) {
                return done(new Result.Failed("status " + status + ": " + firstLine(answer)));
            }
            Result r = cosignatures(t, note, answer);
            if (r instanceof Result.Cosigned) {
                lastSize.merge(t, size, Math::max);
            }
            return done(r);
        });
    }

    /** The lines of the answer that are valid cosignatures by the witness's key. */
    static Result cosignatures(Target t, SignedNote note, byte[] answer) {
        SignedNote parsed;
        try {
            byte[] text = (note.text() + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = java.util.Arrays.copyOf(text, text.length + answer.length);
            System.arraycopy(answer, 0, all, text.length, answer.length);
            parsed = SignedNote.parse(all);
        } catch (FormatException e) {
            return new Result.Failed("the answer is not signature lines: " + e.getMessage());
        }
        if (!parsed.text().equals(note.text())) {
            return new Result.Failed("the answer is not signature lines");
        }
        byte[] msg = note.textBytes();
        List<NoteSignature> good = new ArrayList<>();
        for (NoteSignature s : parsed.signatures()) {
            if (s.name().equals(t.key().name()) && s.keyId() == t.key().keyId()) {
                if (!t.key().verify(msg, s.signature())) {
                    return new Result.Failed("its cosignature does not verify");
                }
                good.add(s);
            }
        }
        return good.isEmpty() ? new Result.Failed("no cosignature by " + t.key().vkey()) : new Result.Cosigned(good);
    }

    private static long parseSize(byte[] body) throws FormatException {
        String s = new String(body, StandardCharsets.US_ASCII);
        if (!s.endsWith("\n") || s.length() > 21) {
            throw new FormatException("not a size and a newline");
        }
        s = s.substring(0, s.length() - 1);
        if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0') || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FormatException("'" + s + "' is not a decimal size");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new FormatException("size " + s + " is too large");
        }
    }

    private static CompletableFuture<Result> done(Result r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String firstLine(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).strip();
    }

    private static String describe(Throwable e) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
