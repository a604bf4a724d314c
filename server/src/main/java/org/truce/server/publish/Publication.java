package org.truce.server.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.truce.store.Store;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileStorage;

/**
 * Mirrors the log from the store to static storage in the C2SP layout, so that reads of tiles and
 * checkpoints scale behind a CDN and the log verifies from there ({@code truce log verify URL}). For
 * each new checkpoint it copies every hash tile and entry bundle that tree needs and the previous one
 * did not, then the checkpoint, last, so that a reader never finds a checkpoint whose tiles are
 * missing. Every tile path names immutable content (a partial tile has its own {@code .p/W} path), so
 * only the checkpoint is ever overwritten. Any number of instances may publish to the same storage:
 * they write the same bytes to the same paths, and a checkpoint is only replaced by a larger one they
 * have verified. Thread-safe; runs on its own scheduler thread.
 */
public final class Publication implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Publication.class);

    private final Store store;
    private final TileStorage target;
    private final Verifier logKey;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "truce-publication");
        t.setDaemon(true);
        return t;
    });
    private long published = -1;

    public Publication(Store store, TileStorage target, Verifier logKey) {
        this.store = store;
        this.target = target;
        this.logKey = logKey;
    }

    /** Publishes every {@code period} from now on. */
    public Publication start(Duration period) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                publishOnce();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("publishing to {} failed; it runs again in {}", target.describe(), period);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Publishes the store's current checkpoint and the tiles it needs; returns its size. */
    public synchronized long publishOnce() {
        byte[] note = store.read(tx -> tx.read("checkpoint")).orElseThrow(() -> new TlogException("the log has no checkpoint"));
        long size = open(note).size();
        if (published < 0) {
            published = target.read("checkpoint").map(b -> open(b).size()).orElse(0L);
        }
        if (size < published) {
            // Another publisher is ahead, or the storage holds another log; never go back.
            return published;
        }
        if (size == published && target.read("checkpoint").map(b -> java.util.Arrays.equals(b, note)).orElse(false)) {
            return size;
        }
        List<String> paths = paths(published, size);
        for (int from = 0; from < paths.size(); from += 256) {
            List<String> chunk = paths.subList(from, Math.min(paths.size(), from + 256));
            List<byte[]> data = store.read(tx -> {
                List<byte[]> out = new ArrayList<>(chunk.size());
                for (String p : chunk) {
                    out.add(tx.read(p).orElseThrow(() -> new TlogException("the store has no " + p)));
                }
                return out;
            });
            for (int i = 0; i < chunk.size(); i++) {
                target.write(chunk.get(i), data.get(i));
            }
        }
        target.write("checkpoint", note);
        published = size;
        return size;
    }

    /** The tile and entry-bundle paths a tree of {@code size} needs that one of {@code old} did not. */
    static List<String> paths(long old, long size) {
        List<String> out = new ArrayList<>();
        if (size == 0) {
            return out;
        }
        for (long n = old / TilePath.WIDTH; n * TilePath.WIDTH < size; n++) {
            out.add(TilePath.entriesForIndex(n * TilePath.WIDTH, size).path());
        }
        for (int level = 0; level <= TilePath.MAX_LEVEL; level++) {
            long nodes = TilePath.HEIGHT * level >= Long.SIZE ? 0 : size >>> (TilePath.HEIGHT * level);
            if (nodes == 0) {
                break;
            }
            long oldNodes = TilePath.HEIGHT * level >= Long.SIZE ? 0 : old >>> (TilePath.HEIGHT * level);
            for (long n = oldNodes / TilePath.WIDTH; n * TilePath.WIDTH < nodes; n++) {
                out.add(TilePath.hashesAt(level, n, size).path());
            }
        }
        return out;
    }

    private Checkpoint open(byte[] note) {
        try {
            return Checkpoint.open(note, logKey).checkpoint();
        } catch (FormatException | VerificationException e) {
            throw new TlogException("a checkpoint does not verify: " + e.getMessage(), e);
        }
    }

    /** What was last published, for tests and health: the size, or empty before the first. */
    public synchronized Optional<Long> published() {
        return published < 0 ? Optional.empty() : Optional.of(published);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
