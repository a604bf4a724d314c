package org.truce.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.truce.core.access.Reader;
import org.truce.core.entry.PartyId;
import org.truce.core.notification.Notifications;
import org.truce.core.notification.Proximity;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;

/**
 * The notification routes: notified sites and movements, all or those a party must acknowledge, and
 * one with every named party's acknowledgement and the incidents recorded near it while it stood,
 * filtered for the reader by {@link Notifications}. Thread-safe.
 */
final class NotificationApi {
    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    NotificationApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    /** {@code GET /api/v1/notifications/sites} or {@code …/movements}. */
    void list(Context ctx, String type) {
        String party = ctx.queryParam("party");
        if (party != null && !PartyId.isValid(party)) {
            throw new BadRequest(400, "bad-party", "not a party id", "party: '" + Params.truncate(party) + "' is not a party id");
        }
        Boolean pending = Params.bool(ctx, "unacknowledged");
        if (pending != null && pending && party == null) {
            throw new BadRequest(400, "bad-unacknowledged", "unacknowledged needs a party",
                    "unacknowledged=true lists what one party has not acknowledged; give party too");
        }
        Reader reader = readers.apply(ctx);
        List<ObjectNode> items = store.read(tx -> new Notifications(tx, clock).list(reader, type, party,
                pending != null && pending));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray(type + "s").addAll(items);
        ApiServer.json(ctx, 200, o);
    }

    /** {@code GET /api/v1/notifications/sites/{site}} or {@code …/movements/{movement}}. */
    void one(Context ctx, String type) {
        String id = Params.slug(ctx, type);
        double near = Params.near(ctx);
        Reader reader = readers.apply(ctx);
        ObjectNode v = store.read(tx -> new Notifications(tx, clock).get(reader, type, id).map(n -> {
            n.set("incidentsNear", new Proximity(tx).nearNotification(reader, type, n, near, clock.instant()));
            return n;
        })).orElseThrow(() -> new BadRequest(404, "not-found", "no such " + type, type + ": no " + type + " " + id
                + " notified that you may read"));
        v.put("near", near);
        ApiServer.json(ctx, 200, v);
    }
}
