package org.truce.server.node;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.truce.store.Store;
import org.truce.tlog.FormatException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifier;
import org.truce.tlog.tiles.TileNodeReader;
import org.truce.tlog.witness.Policy;
import org.truce.tlog.witness.WitnessClient;

/**
 * The log's side of witnessing: after each new checkpoint, asks every witness of a policy that has a
 * submission URL to cosign it (in parallel, within a timeout, resending from a witness's size when it
 * answers 409, through {@link WitnessClient}) with consistency proofs read from the stored tiles, and
 * publishes the checkpoint with the cosignatures collected in place of the bare one, unless a newer
 * checkpoint has been signed meanwhile (then the newer one is witnessed next). Runs on its own thread,
 * never the sequencer's. Thread-safe.
 */
public final class Witnessing implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Witnessing.class);

    private final Store store;
    private final Verifier logKey;
    private final WitnessClient client;
    private final ScheduledExecutorService timer;
    private final Map<String, String> lastAnswers = new ConcurrentHashMap<>();
    private volatile @Nullable String witnessed;

    Witnessing(Store store, Verifier logKey, Policy policy, Duration timeout) {
        this.store = store;
        this.logKey = logKey;
        if (policy.log(logKey.name()).isEmpty()) {
            throw new IllegalArgumentException("the policy does not name this log, " + logKey.name());
        }
        if (policy.targets().isEmpty()) {
            throw new IllegalArgumentException("the policy names no witness with a submission URL");
        }
        this.client = new WitnessClient(policy.targets(), timeout);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "truce-witnessing");
            t.setDaemon(true);
            return t;
        });
    }

    /** Looks for a new checkpoint every {@code every}. */
    Witnessing start(Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                once();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("witnessing failed; trying again");
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Witnesses the stored checkpoint if it has not been: returns whether a cosigned checkpoint was
     * published.
     */
    public synchronized boolean once() {
        Optional<byte[]> stored = store.read(tx -> tx.read("checkpoint"));
        if (stored.isEmpty()) {
            return false;
        }
        SignedNote note;
        Checkpoint cp;
        try {
            Checkpoint.Signed signed = Checkpoint.open(stored.get(), logKey);
            note = signed.note();
            cp = signed.checkpoint();
        } catch (FormatException | VerificationException e) {
            throw new IllegalStateException("the stored checkpoint does not verify: " + e.getMessage(), e);
        }
        if (note.text().equals(witnessed)) {
            return false;
        }
        WitnessClient.Collected got = client.cosign(note, (oldSize, newSize) -> store.read(
                tx -> Proofs.consistency(new TileNodeReader(tx, newSize, 16), oldSize, newSize)));
        got.byWitness().forEach((name, r) -> lastAnswers.put(name, r.toString()));
        if (got.cosignatures().isEmpty()) {
            LOG.atWarn().addKeyValue("size", cp.size()).log("no witness cosigned checkpoint {}: {}", cp.size(), got.byWitness());
            return false;
        }
        boolean published = store.write(tx -> {
            byte[] now = tx.read("checkpoint").orElseThrow();
            try {
                if (!SignedNote.parse(now).text().equals(note.text())) {
                    return false;
                }
            } catch (FormatException e) {
                throw new IllegalStateException(e);
            }
            tx.putCheckpoint(got.note().encode());
            return true;
        });
        if (published) {
            witnessed = note.text();
            LOG.atInfo().addKeyValue("size", cp.size()).addKeyValue("cosignatures", got.cosignatures().size())
                    .log("checkpoint {} published with {} cosignatures", cp.size(), got.cosignatures().size());
        }
        return published;
    }

    /** What each witness answered last, by name. */
    public Map<String, String> lastAnswers() {
        return Map.copyOf(lastAnswers);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
