package org.truce.core.state;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a store keeps in memory beside its state for the read models derived from it (the index of
 * what a flight volume can meet, for one), shared by all its transactions: each model by name, and a
 * count of the writes the store has committed, which tells a model built at one count whether it still
 * holds. Thread-safe.
 */
public final class Memory {
    private final ConcurrentHashMap<String, AtomicReference<Object>> models = new ConcurrentHashMap<>();
    private final AtomicLong commits = new AtomicLong();

    /** The number of writes committed so far. */
    public long commits() {
        return commits.get();
    }

    /** Counts a write transaction once it has ended, committed or not (a rolled-back write counts too). */
    public void committed() {
        commits.incrementAndGet();
    }

    /**
     * Forgets every model, for when the state may have changed in ways the count did not see (another
     * process wrote to the same database).
     */
    public void forget() {
        models.clear();
        commits.incrementAndGet();
    }

    /** The slot of a model, empty until one is kept there. */
    @SuppressWarnings("unchecked")
    public <T> AtomicReference<T> model(String name) {
        return (AtomicReference<T>) (AtomicReference<?>) models.computeIfAbsent(name, n -> new AtomicReference<>());
    }
}
