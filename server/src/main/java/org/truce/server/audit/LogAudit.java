package org.truce.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.PartyId;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.party.Keys;
import org.truce.core.party.PartyRules;
import org.truce.store.ReadTx;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileReader;

/**
 * The full offline audit of a stored log: everything {@link Auditor} checks from the tiles (the
 * checkpoint with the log key, every entry bundle and hash tile, the root), and beyond it every entry's
 * author signature, verified with the key the log itself registered for it.
 *
 * <p>Keys come from the log alone: the genesis entry's entry key, the keys of {@code party} entries and
 * the keys {@code party.key} entries add and revoke, read from their stored bodies, which MUST hash to
 * the digests their entries signed. A key signs from the entry after the one that registers it up to
 * and including the one that revokes it (a key may sign its own revocation, as the sequencer allows).
 * Each entry of the store's entry table MUST be the entry the bundles hold at its index. Seqs and the
 * kinds' other rules are left to {@code truce rebuild}.
 *
 * <p>One read transaction gives a consistent snapshot. The calling thread reads, hashes and parses the
 * entries in chunks of one entry bundle; Ed25519 signatures are verified on a pool of threads, with at
 * most a few chunks in flight, so memory stays bounded whatever the log's size. The answer is the
 * failure at the lowest entry index (a tile's failure before an entry's at the same index), whatever
 * the number of threads. Thread-safe: each {@link #run} has its own threads and state.
 */
public final class LogAudit {
    /** Chunks queued or being verified, per verifying thread. */
    private static final int CHUNKS_PER_THREAD = 4;

    /**
     * What the audit found.
     *
     * @param entries entries that passed every check: all of them when the audit passed, else those
     *     before the failure
     * @param signatures author signatures verified
     * @param checkpoint the verified checkpoint, or null when it did not verify
     * @param failure the first failure, or null when the log passed
     */
    public record Result(long entries, long signatures, @Nullable Checkpoint checkpoint, @Nullable Failure failure) {
        public boolean passed() {
            return failure == null;
        }
    }

    /**
     * The first thing found wrong.
     *
     * @param index the entry at fault, or -1 when it is the checkpoint or the log as a whole
     * @param problem what is wrong, for a user
     */
    public record Failure(long index, String problem) {
        @Override
        public String toString() {
            return (index >= 0 ? "entry " + index + ": " : "") + problem;
        }

        /** Orders failures: lower indexes first, a failure of the whole log last. */
        long rank() {
            return index < 0 ? Long.MAX_VALUE : index;
        }
    }

    private final Verifier logKey;
    private final int threads;

    private LogAudit(Verifier logKey, int threads) {
        this.logKey = logKey;
        this.threads = threads;
    }

    /**
     * An audit with the log's checkpoint key, verifying signatures on {@code threads} threads beside the
     * calling one.
     */
    public static LogAudit of(Verifier logKey, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        return new LogAudit(logKey, threads);
    }

    /** As {@link #of(Verifier, int)}, with one verifying thread per core. */
    public static LogAudit of(Verifier logKey) {
        return of(logKey, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Audits the log in {@code store}, reporting progress in entries hashed.
     *
     * @throws TlogException if the store cannot be read at all
     */
    public Result run(Store store, Auditor.Progress progress) {
        return store.read(tx -> new Run(tx).audit(progress));
    }

    /** One audit over one read transaction. */
    private final class Run {
        private final ReadTx tx;
        private final Map<String, Key> keys = new HashMap<>();
        private final Set<String> parties = new HashSet<>();
        private final AtomicReference<@Nullable Failure> first = new AtomicReference<>();
        private final LongAdder verified = new LongAdder();
        private final Semaphore inFlight = new Semaphore(threads * CHUNKS_PER_THREAD);
        private final ExecutorService pool = Executors.newFixedThreadPool(threads, new Named());
        private long next;

        Run(ReadTx tx) {
            this.tx = tx;
        }

        Result audit(Auditor.Progress progress) {
            AuditReport report;
            try {
                report = new Auditor(new Tap(), logKey).audit(null, progress);
                pool.shutdown();
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    // Waits for the chunks in flight; each takes milliseconds.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TlogException("the audit was interrupted");
            } finally {
                pool.shutdownNow();
            }
            Checkpoint cp = report instanceof AuditReport.Verified v ? v.checkpoint().checkpoint() : null;
            if (report instanceof AuditReport.Failed f) {
                fail(new Failure(f.entry(), f.resource() + ": " + f.problem()), true);
            } else if (cp != null && tx.size() != cp.size()) {
                fail(new Failure(cp.size(), "the store holds " + tx.size() + " entries, but its checkpoint covers "
                        + cp.size()), false);
            }
            long sigs = verified.sum();
            if (first.get() == null && cp != null && sigs != cp.size()) {
                // Every entry carries one signature; a count short of the size means one was skipped.
                fail(new Failure(-1, "verified " + sigs + " signatures for " + cp.size() + " entries"), false);
            }
            Failure failure = first.get();
            if (failure == null) {
                return new Result(next, sigs, cp, null);
            }
            long passed = Math.max(0, failure.index());
            return new Result(passed, Math.min(sigs, passed), cp, failure);
        }

        /**
         * Records a failure if it comes before the one known. A tile's failure (from {@link Auditor})
         * wins over an entry's at the same index: the entry's bytes are not the log's.
         */
        private void fail(Failure f, boolean tile) {
            first.accumulateAndGet(f, (a, b) -> a == null || b.rank() < a.rank() || (tile && b.rank() == a.rank()) ? b : a);
        }

        private long firstFailure() {
            Failure f = first.get();
            return f == null ? Long.MAX_VALUE : f.rank();
        }

        /** The store's tiles as the tile audit reads them; each entry bundle, in order, is audited here too. */
        private final class Tap implements TileReader {
            @Override
            public Optional<byte[]> read(String path) {
                Optional<byte[]> data = tx.read(path);
                if (data.isPresent() && path.startsWith("tile/entries/")) {
                    bundle(path, data.get());
                }
                return data;
            }

            @Override
            public String describe() {
                return tx.describe();
            }
        }

        /**
         * Audits the entries of a bundle when it is the next one in order (the tile audit also reads
         * older partial bundles, which it compares itself). A malformed bundle is left to the tile audit.
         */
        private void bundle(String path, byte[] raw) {
            List<byte[]> leaves;
            try {
                TilePath p = TilePath.parse(path);
                if (p.index() * TilePath.WIDTH != next) {
                    return;
                }
                leaves = EntryBundle.parse(raw, p.width());
            } catch (FormatException e) {
                return;
            }
            long start = next;
            next += leaves.size();
            if (start > firstFailure()) {
                return;
            }
            List<StoredEntry> stored = tx.entries(start, leaves.size());
            Chunk chunk = new Chunk(leaves.size());
            for (int i = 0; i < leaves.size(); i++) {
                long index = start + i;
                if (index > firstFailure()) {
                    break;
                }
                String problem = entry(index, leaves.get(i), i < stored.size() ? stored.get(i) : null, chunk);
                if (problem != null) {
                    fail(new Failure(index, problem), false);
                    break;
                }
            }
            if (chunk.size > 0) {
                submit(chunk);
            }
        }

        /** Checks one entry, adding its signature to {@code chunk}; returns what is wrong, or null. */
        private @Nullable String entry(long index, byte[] leaf, @Nullable StoredEntry stored, Chunk chunk) {
            if (stored == null || stored.index() != index) {
                return "the store's entry table has no entry " + index;
            }
            if (!Arrays.equals(stored.leaf(), leaf)) {
                return "the store's entry differs from the one in the log's entry bundle";
            }
            if (!Rfc9162.leafHash(leaf).equals(stored.leafHash())) {
                return "the store records leaf hash " + stored.leafHash() + ", not the leaf's";
            }
            EntryHeader h;
            try {
                h = EntryHeader.fromJson(Json.parse(leaf).path("entry"));
            } catch (InvalidJsonException | EntryException e) {
                return "the entry does not parse: " + e.getMessage();
            }
            if (!h.kind().equals(stored.kind()) || !h.author().equals(stored.author())) {
                return "the store files it as " + stored.kind() + " by " + stored.author() + ", not " + h.kind()
                        + " by " + h.author();
            }
            boolean genesis = h.kind().equals(PartyRules.GENESIS);
            if ((index == 0) != genesis) {
                return genesis ? "a genesis entry after the first" : "the first entry is " + h.kind() + ", not genesis";
            }
            if (genesis) {
                return genesis(h);
            }
            Key key = keys.get(h.key());
            if (key == null) {
                return "signed with key " + h.key() + ", which the log has not registered before it";
            }
            if (key.revoked >= 0 && key.revoked < index) {
                return "signed with key " + h.key() + ", revoked at entry " + key.revoked;
            }
            if (h.kind().equals(PartyRules.PARTY) || h.kind().equals(PartyRules.PARTY_KEY)) {
                // It changes the keys that sign what follows: its own signature is checked first, here.
                if (!key.verifier.verify(h.signingBytes(), h.signature())) {
                    return badSignature(h);
                }
                verified.increment();
                JsonNode body;
                try {
                    body = body(index, h);
                } catch (Refused r) {
                    return r.getMessage();
                }
                return h.kind().equals(PartyRules.PARTY) ? party(h, body) : partyKey(index, h, body);
            }
            chunk.add(index, key.verifier, h);
            return null;
        }

        private @Nullable String genesis(EntryHeader h) {
            JsonNode body;
            try {
                body = body(0, h);
            } catch (Refused r) {
                return r.getMessage();
            }
            Keys.PartyKey k;
            try {
                k = Keys.parse(body.path("entryKey").asText(), PartyId.OPERATOR);
            } catch (EntryException e) {
                return "the genesis entry's entry key: " + e.getMessage();
            }
            if (!k.ref().equals(h.key())) {
                return "the genesis entry is signed with " + h.key() + ", not the entry key it declares, " + k.ref();
            }
            if (!k.verifier().verify(h.signingBytes(), h.signature())) {
                return badSignature(h);
            }
            verified.increment();
            String declared = body.path("checkpointKey").asText();
            if (!declared.equals(logKey.vkey())) {
                return "the genesis entry declares checkpoint key " + declared + ", not the log key " + logKey.vkey();
            }
            keys.put(k.ref(), new Key(k));
            parties.add(PartyId.OPERATOR);
            return null;
        }

        private @Nullable String party(EntryHeader h, JsonNode body) {
            if (!h.author().equals(PartyId.OPERATOR)) {
                return "a party entry by " + h.author() + ": only the operator registers parties and their keys";
            }
            String id = body.path("id").asText();
            if (!PartyId.isValid(id) || id.equals(PartyId.OPERATOR)) {
                return "a party entry registering '" + id + "', which is not a party id";
            }
            List<Keys.PartyKey> added = new ArrayList<>();
            for (JsonNode v : body.path("keys")) {
                try {
                    added.add(Keys.parse(v.asText(), id));
                } catch (EntryException e) {
                    return "the party entry's key: " + e.getMessage();
                }
            }
            for (Keys.PartyKey k : added) {
                Key existing = keys.get(k.ref());
                if (existing == null) {
                    keys.put(k.ref(), new Key(k));
                } else if (!existing.key.verifier().vkey().equals(k.verifier().vkey())) {
                    return "key " + k.ref() + " is registered again with another public key";
                }
            }
            parties.add(id);
            return null;
        }

        private @Nullable String partyKey(long index, EntryHeader h, JsonNode body) {
            String party = body.path("party").asText();
            if (!h.author().equals(party) && !h.author().equals(PartyId.OPERATOR)) {
                return h.author() + " may not change the keys of " + party;
            }
            if (!parties.contains(party)) {
                return "a key of " + party + ", which the log has not registered as a party";
            }
            Keys.PartyKey k;
            try {
                k = Keys.parse(body.path("vkey").asText(), party);
            } catch (EntryException e) {
                return "the party.key entry's key: " + e.getMessage();
            }
            Key existing = keys.get(k.ref());
            switch (body.path("action").asText()) {
                case "add" -> {
                    if (existing != null) {
                        return "adds key " + k.ref() + ", which the log registered before";
                    }
                    keys.put(k.ref(), new Key(k));
                }
                case "revoke" -> {
                    if (existing == null || !existing.key.verifier().vkey().equals(k.verifier().vkey())) {
                        return "revokes key " + k.verifier().vkey() + ", which the log has not registered";
                    }
                    if (existing.revoked >= 0) {
                        return "revokes key " + k.ref() + " again; it was revoked at entry " + existing.revoked;
                    }
                    existing.revoked = index;
                }
                default -> {
                    return "a party.key entry whose action is neither add nor revoke";
                }
            }
            return null;
        }

        /**
         * The stored body of a key-registering entry, which MUST be filed under the entry's author and
         * visibility and hash, with its salt, to the digest the entry signed.
         */
        private JsonNode body(long index, EntryHeader h) throws Refused {
            StoredBody b = tx.body(index).orElseThrow(() -> new Refused("the store has no body for it"));
            if (!b.author().equals(h.author()) || !b.visibility().equals(h.visibility())) {
                throw new Refused("the store files its body under another author or visibility than the entry's");
            }
            byte[] canonical = b.canonicalBody();
            MessageDigest md = Rfc9162.newDigest();
            md.update(b.salt());
            md.update(canonical);
            Hash digest = Hash.of(md.digest());
            if (!digest.equals(h.body())) {
                throw new Refused("the stored body hashes to " + digest + ", not the digest the entry signed, " + h.body());
            }
            try {
                return Json.parse(canonical);
            } catch (InvalidJsonException e) {
                throw new Refused("the stored body does not parse: " + e.getMessage());
            }
        }

        private void submit(Chunk chunk) {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TlogException("the audit was interrupted");
            }
            try {
                pool.execute(() -> {
                    try {
                        verify(chunk);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
        }

        /** Verifies a chunk's signatures in order, up to its first failure or a failure found before it. */
        private void verify(Chunk c) {
            for (int i = 0; i < c.size; i++) {
                if (c.index[i] > firstFailure()) {
                    return;
                }
                boolean ok;
                try {
                    ok = c.verifier[i].verify(c.message[i], c.signature[i]);
                } catch (RuntimeException e) {
                    fail(new Failure(c.index[i], "the signature could not be verified: " + e), false);
                    return;
                }
                if (!ok) {
                    fail(new Failure(c.index[i], "the signature does not verify with key " + c.key[i]), false);
                    return;
                }
                verified.increment();
            }
        }
    }

    private static String badSignature(EntryHeader h) {
        return "the signature does not verify with key " + h.key();
    }

    /** A key the log registered, and the entry that revoked it, or -1. Used by the reading thread only. */
    private static final class Key {
        final Keys.PartyKey key;
        final Verifier verifier;
        long revoked = -1;

        Key(Keys.PartyKey key) {
            this.key = key;
            this.verifier = key.verifier();
        }
    }

    /** Signatures to verify, in index order. Filled by the reading thread, then read by one verifying thread. */
    private static final class Chunk {
        final long[] index;
        final Verifier[] verifier;
        final byte[][] message;
        final byte[][] signature;
        final String[] key;
        int size;

        Chunk(int capacity) {
            index = new long[capacity];
            verifier = new Verifier[capacity];
            message = new byte[capacity][];
            signature = new byte[capacity][];
            key = new String[capacity];
        }

        void add(long i, Verifier v, EntryHeader h) {
            index[size] = i;
            verifier[size] = v;
            message[size] = h.signingBytes();
            signature[size] = h.signature();
            key[size] = h.key();
            size++;
        }
    }

    /** A stored body that cannot be used, with why. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Daemon threads named after the audit, so that an abandoned audit never holds the JVM open. */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "truce-audit-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
