package org.truce.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import org.truce.core.access.Reader;
import org.truce.core.actor.Actors;
import org.truce.core.entry.EntryHeader;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;

/**
 * The actor routes: the registry's ids, found by any name an actor has had, and one actor with its
 * names and status history as of a moment, filtered for the reader by {@link Actors}. Thread-safe.
 */
final class ActorApi {
    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    ActorApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    /** {@code GET /api/v1/actors}: a page of actor ids, all or those that have had {@code ?name=}. */
    void list(Context ctx) {
        String name = Params.name(ctx);
        String after = Params.after(ctx);
        int limit = Params.limit(ctx.queryParam("limit"));
        Reader reader = readers.apply(ctx);
        Params.Page page = store.read(tx -> {
            Actors actors = new Actors(tx);
            return Params.page(name == null ? actors.ids(reader) : actors.named(reader, name), after, limit);
        });
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode ids = o.putArray("actors");
        page.items().forEach(ids::add);
        if (page.next() != null) {
            o.put("next", page.next());
        }
        ApiServer.json(ctx, 200, o);
    }

    /** {@code GET /api/v1/actors/{actor}}: {@link Actors#get}, with the moment it was taken at. */
    void actor(Context ctx) {
        String id = Params.slug(ctx, "actor");
        Instant at = Params.at(ctx, clock);
        Reader reader = readers.apply(ctx);
        ObjectNode a = store.read(tx -> new Actors(tx).get(reader, id, at)).orElseThrow(() -> new BadRequest(404,
                "not-found", "no such actor", "actor: no actor " + id + " registered by " + EntryHeader.formatTime(at)
                        + " that you may read"));
        a.put("asOf", EntryHeader.formatTime(at));
        ApiServer.json(ctx, 200, a);
    }
}
