package org.truce.tlog.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.append.Appender;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TileBuilder;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileReader;

/**
 * Audits a whole published log: verifies its checkpoint with the log key, re-hashes every entry from
 * the entry bundles, rebuilds every hash tile and the root from them, and compares each with what is
 * published, stopping at the first difference. Given a previously trusted checkpoint, it also checks
 * that the log still contains that tree. Where the source can be listed, partial tiles of earlier
 * sizes are checked to be prefixes of what replaced them. Not thread-safe; one audit at a time.
 */
public final class Auditor {
    /** Receives progress in entries. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    private final TileReader log;
    private final Verifier logKey;
    private final Verifiers witnesses;

    public Auditor(TileReader log, Verifier logKey, Verifiers witnesses) {
        this.log = log;
        this.logKey = logKey;
        this.witnesses = witnesses;
    }

    public Auditor(TileReader log, Verifier logKey) {
        this(log, logKey, Verifiers.of(logKey));
    }

    /** A failure found while rebuilding, carried out of the tile sink. */
    private static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient AuditReport.Failed failure;

        Mismatch(AuditReport.Failed failure) {
            super(failure.toString(), null, false, false);
            this.failure = failure;
        }
    }

    /**
     * Runs the audit.
     *
     * @param trusted a checkpoint note trusted earlier, or null
     * @throws TlogException if the log cannot be read at all
     */
    public AuditReport audit(byte @Nullable [] trusted, Progress progress) {
        try {
            return run(trusted, progress);
        } catch (Mismatch m) {
            return m.failure;
        }
    }

    private AuditReport run(byte @Nullable [] trustedNote, Progress progress) {
        Optional<byte[]> note = log.read(Appender.CHECKPOINT);
        if (note.isEmpty()) {
            return new AuditReport.Failed(Appender.CHECKPOINT, -1, "missing from " + log.describe());
        }
        Checkpoint.Signed signed;
        try {
            signed = Checkpoint.open(note.get(), logKey, witnesses);
        } catch (FormatException | VerificationException e) {
            return new AuditReport.Failed(Appender.CHECKPOINT, -1, e.getMessage());
        }
        Checkpoint cp = signed.checkpoint();
        Checkpoint trusted = null;
        if (trustedNote != null) {
            try {
                trusted = Checkpoint.open(trustedNote, logKey).checkpoint();
            } catch (FormatException | VerificationException e) {
                return new AuditReport.Failed("trusted checkpoint", -1, e.getMessage());
            }
            if (trusted.size() > cp.size()) {
                return new AuditReport.Failed(Appender.CHECKPOINT, -1, "the log has size " + cp.size()
                        + ", smaller than the trusted checkpoint's " + trusted.size() + ": it was rolled back");
            }
        }
        long size = cp.size();
        Map<String, List<Integer>> stale = staleTiles(size);
        int[] staleChecked = {0};
        TileBuilder builder = TileBuilder.empty(false);
        TileBuilder.Sink compare = (path, computed) -> {
            byte[] stored = read(path);
            compareHashes(path, stored, computed);
            staleChecked[0] += checkStale(stale, path, computed, Hash.SIZE);
        };
        Hash trustedRootSeen = null;
        TilePath lastBundlePath = null;
        byte[] lastBundle = null;
        for (long start = 0; start < size; start += TilePath.WIDTH) {
            TilePath bundlePath = TilePath.entriesForIndex(start, size);
            byte[] raw = read(bundlePath);
            List<byte[]> entries;
            try {
                entries = EntryBundle.parse(raw, bundlePath.width());
            } catch (FormatException e) {
                throw new Mismatch(new AuditReport.Failed(bundlePath.path(), start, e.getMessage()));
            }
            for (byte[] entry : entries) {
                builder.add(entry, compare);
                if (trusted != null && builder.size() == trusted.size()) {
                    trustedRootSeen = builder.root();
                }
            }
            // Stale bundles are compared only once this bundle's entries have matched their level-0
            // tile, so that an altered current bundle is blamed rather than its older partials: a full
            // bundle's tile was compared on its last entry, the final partial's on the flush below.
            if (bundlePath.isFull()) {
                staleChecked[0] += checkStale(stale, bundlePath, raw, -1);
            } else {
                lastBundlePath = bundlePath;
                lastBundle = raw;
            }
            progress.update(builder.size(), size);
        }
        builder.flushPartials(compare);
        if (lastBundlePath != null) {
            staleChecked[0] += checkStale(stale, lastBundlePath, lastBundle, -1);
        }
        if (!builder.root().equals(cp.root())) {
            return new AuditReport.Failed(Appender.CHECKPOINT, -1, "the entries lead to root " + builder.root()
                    + ", not the checkpoint's " + cp.root());
        }
        if (trusted != null) {
            Hash seen = trusted.size() == 0 ? Rfc9162.EMPTY_ROOT : trustedRootSeen;
            if (seen == null || !seen.equals(trusted.root())) {
                return new AuditReport.Failed(Appender.CHECKPOINT, -1, "the log's first " + trusted.size()
                        + " entries lead to root " + seen + ", not the trusted checkpoint's " + trusted.root()
                        + ": the log forked");
            }
        }
        return new AuditReport.Verified(signed, staleChecked[0], trusted);
    }

    private byte[] read(TilePath path) {
        return log.read(path.path()).orElseThrow(() -> new Mismatch(new AuditReport.Failed(
                path.path(), firstEntry(path), "missing from " + log.describe())));
    }

    private static void compareHashes(TilePath path, byte[] stored, byte[] computed) {
        if (stored.length != computed.length) {
            throw new Mismatch(new AuditReport.Failed(path.path(), firstEntry(path), "is " + stored.length
                    + " bytes, not " + computed.length));
        }
        for (int i = 0; i < computed.length; i += Hash.SIZE) {
            if (!Arrays.equals(stored, i, i + Hash.SIZE, computed, i, i + Hash.SIZE)) {
                int slot = i / Hash.SIZE;
                long first = (path.index() * TilePath.WIDTH + slot) << (TilePath.HEIGHT * path.level());
                String what = path.level() == 0
                        ? "hash " + slot + " differs from the hash of entry " + first + " in "
                                + TilePath.entries(path.index(), path.width()).path() + ": one of them was altered"
                        : "hash " + slot + " differs from the root of "
                                + TilePath.hashes(path.level() - 1, path.index() * TilePath.WIDTH + slot, TilePath.WIDTH).path()
                                + ": one of them was altered";
                throw new Mismatch(new AuditReport.Failed(path.path(), first, what));
            }
        }
    }

    /** Published partial tiles that no tile of the checkpoint is, by tile: level/index → widths. */
    private Map<String, List<Integer>> staleTiles(long size) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (String p : log.list().orElse(List.of())) {
            TilePath t;
            try {
                t = TilePath.parse(p);
            } catch (FormatException e) {
                continue;
            }
            if (!t.isFull()) {
                out.computeIfAbsent(t.level() + "/" + t.index(), k -> new ArrayList<>()).add(t.width());
            }
        }
        return out;
    }

    /**
     * Checks that every stale partial of {@code path}'s tile narrower than it is a prefix of it.
     *
     * @param itemSize bytes per item for hash tiles, or -1 for entry bundles
     */
    private int checkStale(Map<String, List<Integer>> stale, TilePath path, byte[] current, int itemSize) {
        List<Integer> widths = stale.get(path.level() + "/" + path.index());
        if (widths == null) {
            return 0;
        }
        int checked = 0;
        for (int w : widths) {
            if (w >= path.width()) {
                continue;
            }
            TilePath old = new TilePath(path.level(), path.index(), w);
            byte[] stored = read(old);
            int len = itemSize > 0 ? w * itemSize : bundlePrefixLength(current, w);
            if (stored.length != len || !Arrays.equals(stored, 0, len, current, 0, len)) {
                throw new Mismatch(new AuditReport.Failed(old.path(), firstEntry(old),
                        "differs from the first " + w + " items of " + path.path()));
            }
            checked++;
        }
        return checked;
    }

    private static int bundlePrefixLength(byte[] bundle, int count) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            off += 2 + (((bundle[off] & 0xFF) << 8) | (bundle[off + 1] & 0xFF));
        }
        return off;
    }

    private static long firstEntry(TilePath path) {
        int level = path.isEntries() ? 0 : path.level();
        return (path.index() * TilePath.WIDTH) << (TilePath.HEIGHT * level);
    }
}
