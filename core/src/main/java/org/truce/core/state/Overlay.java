package org.truce.core.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A state view with pending changes on top of a base view: what rules see while a batch is being
 * sequenced, so each entry is checked against the ones before it in the same batch. Not thread-safe.
 */
public final class Overlay implements StateView {
    private final StateView base;
    /** Pending documents by collection/id; a null value is a deletion. */
    private final Map<String, @Nullable Doc> pending = new LinkedHashMap<>();
    private final List<Change> changes = new ArrayList<>();

    public Overlay(StateView base) {
        this.base = base;
    }

    public void apply(List<Change> batch) {
        for (Change c : batch) {
            changes.add(c);
            if (c instanceof Change.Put p) {
                pending.put(p.doc().collection() + "/" + p.doc().id(), p.doc());
            } else if (c instanceof Change.Delete d) {
                pending.put(d.collection() + "/" + d.id(), null);
            }
        }
    }

    /** Every change applied so far, in order. */
    public List<Change> changes() {
        return List.copyOf(changes);
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
        TreeMap<String, Doc> merged = new TreeMap<>();
        for (Doc d : base.find(collection, key, afterId, limit + pending.size())) {
            merged.put(d.id(), d);
        }
        for (Map.Entry<String, @Nullable Doc> e : pending.entrySet()) {
            if (!e.getKey().startsWith(collection + "/")) {
                continue;
            }
            String id = e.getKey().substring(collection.length() + 1);
            Doc d = e.getValue();
            if (d == null || !d.keys().contains(key)) {
                merged.remove(id);
            } else if (afterId == null || id.compareTo(afterId) > 0) {
                merged.put(id, d);
            }
        }
        List<Doc> out = new ArrayList<>(merged.values());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit) {
        java.util.Comparator<Doc> order = java.util.Comparator.comparingLong(Doc::index).thenComparing(Doc::id);
        Map<String, Doc> merged = new java.util.HashMap<>();
        for (Doc d : base.findInLogOrder(collection, key, afterIndex, afterId, limit + pending.size())) {
            merged.put(d.id(), d);
        }
        for (Map.Entry<String, @Nullable Doc> e : pending.entrySet()) {
            if (!e.getKey().startsWith(collection + "/")) {
                continue;
            }
            String id = e.getKey().substring(collection.length() + 1);
            Doc d = e.getValue();
            if (d == null || !d.keys().contains(key)
                    || d.index() < afterIndex || d.index() == afterIndex && id.compareTo(afterId) <= 0) {
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
