package org.truce.core.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A state view with pending changes on top of a base view: what rules see while a batch is being
 * sequenced, so each entry is checked against the ones before it in the same batch. Not thread-safe.
 */
public final class Overlay implements StateView {
    private final StateView base;
    /** Pending documents by collection/id; a null value is a deletion. */
    private final Map<String, @Nullable Doc> pending = new LinkedHashMap<>();
    /** The same by collection, then id. */
    private final Map<String, Map<String, @Nullable Doc>> byCollection = new java.util.HashMap<>();
    private final List<Change> changes = new ArrayList<>();

    public Overlay(StateView base) {
        this.base = base;
    }

    public void apply(List<Change> batch) {
        for (Change c : batch) {
            changes.add(c);
            if (c instanceof Change.Put p) {
                pending.put(p.doc().collection() + "/" + p.doc().id(), p.doc());
                byCollection.computeIfAbsent(p.doc().collection(), k -> new LinkedHashMap<>()).put(p.doc().id(), p.doc());
            } else if (c instanceof Change.Delete d) {
                pending.put(d.collection() + "/" + d.id(), null);
                byCollection.computeIfAbsent(d.collection(), k -> new LinkedHashMap<>()).put(d.id(), null);
            }
        }
    }

    /** Every change applied so far, in order. */
    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /**
     * What the changes so far come to: one change per document, its last (a put of its final version,
     * or its deletion). Writing these leaves a store in the same state as writing every change in
     * order, with one write per document however often the batch changed it (a key's
     * {@code lastSeq}, say, once per entry signed with it). Documents come collection by collection,
     * each collection's in the order they were first changed.
     */
    public List<Change> net() {
        List<Change> out = new ArrayList<>(pending.size());
        byCollection.forEach((collection, docs) -> docs.forEach((id, d) ->
                out.add(d != null ? new Change.Put(d) : new Change.Delete(collection, id))));
        return out;
    }

    /** The base's, with this overlay's pending documents laid over the base's own. */
    @Override
    public @Nullable Derived derived() {
        Derived d = base.derived();
        if (d == null) {
            return null;
        }
        return new Derived(d.memory(), d.commits(), d.committed(), collection -> {
            Map<String, @Nullable Doc> mine = byCollection.getOrDefault(collection, Map.of());
            Map<String, @Nullable Doc> below = d.pending().apply(collection);
            if (below.isEmpty()) {
                return java.util.Collections.unmodifiableMap(mine);
            }
            Map<String, @Nullable Doc> all = new LinkedHashMap<>(below);
            all.putAll(mine);
            return all;
        });
    }

    @Override
    public Optional<Doc> get(String collection, String id) {
        String k = collection + "/" + id;
        if (pending.containsKey(k)) {
            return Optional.ofNullable(pending.get(k));
        }
        return base.get(collection, id);
    }

    @Override
    public List<Doc> find(String collection, String key, @Nullable String afterId, int limit) {
        return merge(base.find(collection, key, afterId, limit + pending.size()), collection,
                d -> d.keys().contains(key) && (afterId == null || d.id().compareTo(afterId) > 0),
                java.util.Comparator.comparing(Doc::id), limit);
    }

    @Override
    public List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit) {
        return merge(base.findInLogOrder(collection, key, afterIndex, afterId, limit + pending.size()), collection,
                d -> d.keys().contains(key) && afterInLogOrder(d, afterIndex, afterId), IN_LOG_ORDER, limit);
    }

    @Override
    public List<Doc> inLogOrder(String collection, long afterIndex, String afterId, int limit) {
        return merge(base.inLogOrder(collection, afterIndex, afterId, limit + pending.size()), collection,
                d -> afterInLogOrder(d, afterIndex, afterId), IN_LOG_ORDER, limit);
    }

    private static final java.util.Comparator<Doc> IN_LOG_ORDER = java.util.Comparator.comparingLong(Doc::index)
            .thenComparing(Doc::id);

    private static boolean afterInLogOrder(Doc d, long afterIndex, String afterId) {
        return d.index() > afterIndex || d.index() == afterIndex && d.id().compareTo(afterId) > 0;
    }

    /**
     * A page of the base's documents with the pending changes laid over it: a pending document
     * replaces the base's, and one deleted or not {@code listed} (without the key, before the cursor)
     * drops out.
     */
    private List<Doc> merge(List<Doc> fromBase, String collection, java.util.function.Predicate<Doc> listed,
            java.util.Comparator<Doc> order, int limit) {
        Map<String, Doc> merged = new java.util.HashMap<>();
        for (Doc d : fromBase) {
            merged.put(d.id(), d);
        }
        for (Map.Entry<String, @Nullable Doc> e : pending.entrySet()) {
            if (!e.getKey().startsWith(collection + "/")) {
                continue;
            }
            String id = e.getKey().substring(collection.length() + 1);
            Doc d = e.getValue();
            if (d == null || !listed.test(d)) {
                merged.remove(id);
            } else {
                merged.put(id, d);
            }
        }
        List<Doc> out = new ArrayList<>(merged.values());
        out.sort(order);
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
