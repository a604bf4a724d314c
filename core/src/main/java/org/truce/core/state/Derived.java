package org.truce.core.state;

import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A state view as the store's in-memory read models see it: the store's {@link Memory}, the count of
 * commits the view includes, the committed view itself when the view is that committed state with at
 * most pending changes laid over it (null when it has written changes of its own the models cannot
 * tell apart), and those pending documents by collection, id → document (null for a deletion).
 *
 * <p>A model may be kept in memory only when built from {@code committed}; what it adds from the
 * pending documents lives only as long as the view, so nothing of a write that rolls back outlives it.
 */
public record Derived(Memory memory, long commits, @Nullable StateView committed,
        Function<String, Map<String, @Nullable Doc>> pending) {
    private static final Function<String, Map<String, @Nullable Doc>> NONE = c -> Map.of();

    /** The committed state, as a store's transaction that has written nothing sees it. */
    public static Derived committed(Memory memory, long commits, StateView view) {
        return new Derived(memory, commits, view, NONE);
    }

    /** A view that has written changes of its own, which the models must read through the view. */
    public static Derived written(Memory memory, long commits) {
        return new Derived(memory, commits, null, NONE);
    }
}
