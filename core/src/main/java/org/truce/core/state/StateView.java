package org.truce.core.state;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads of the derived state, unfiltered: callers that answer users MUST pass results through the
 * visibility filter. Implementations need not be thread-safe; each transaction has its own view.
 */
public interface StateView {
    Optional<Doc> get(String collection, String id);

    /**
     * Documents of a collection that carry an index key, in id order, after {@code afterId} (exclusive)
     * when given, at most {@code limit}.
     */
    List<Doc> find(String collection, String key, @Nullable String afterId, int limit);

    /**
     * Documents of a collection that carry an index key, in log order: by the index of the entry that
     * last wrote each, then by id; those after ({@code afterIndex}, {@code afterId}) exclusive, at most
     * {@code limit}. Start with {@code (-1, "")}.
     */
    List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit);

    /**
     * Every document of a collection, in log order as {@link #findInLogOrder}, after ({@code afterIndex},
     * {@code afterId}) exclusive, at most {@code limit}. Start with {@code (-1, "")}. A page MUST cost
     * what it returns, however many documents come before the cursor: readers that follow a collection
     * ask for what was written since they last looked after every commit. A deleted document is not
     * listed, so such a reader sees deletions some other way or follows a collection never deleted from.
     *
     * <p>This is not {@code findInLogOrder} under a key every document carries: an engine plans a
     * query by key without knowing how many documents the key holds, and the plan that suits a key
     * few documents carry (read them all by key, then sort) reads the whole collection for such a key.
     */
    List<Doc> inLogOrder(String collection, long afterIndex, String afterId, int limit);

    /**
     * How the store's in-memory read models see this view, or null when it has none (a view built in
     * memory for a test or a replay); models then build what they need from the view itself.
     */
    default @Nullable Derived derived() {
        return null;
    }

    /**
     * Every document of a collection that carries an index key, in id order, paging through
     * {@link #find}.
     *
     * @throws IllegalStateException if there are more than {@code max}; callers bound what they load
     */
    default List<Doc> findAll(String collection, String key, int max) {
        List<Doc> out = new java.util.ArrayList<>();
        String cursor = null;
        while (true) {
            List<Doc> page = find(collection, key, cursor, 500);
            out.addAll(page);
            if (out.size() > max) {
                throw new IllegalStateException("more than " + max + " " + collection + " documents under " + key);
            }
            if (page.size() < 500) {
                return out;
            }
            cursor = page.get(page.size() - 1).id();
        }
    }
}
