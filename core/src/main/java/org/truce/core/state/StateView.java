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
}
