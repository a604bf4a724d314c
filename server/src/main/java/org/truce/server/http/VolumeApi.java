package org.truce.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.geo.Footprint;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Doc;
import org.truce.core.volume.VolumeRules;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;

/**
 * The volume routes: a deconfliction check of a volume before it is signed, answering the key it must
 * carry (the type, id, version and owner of every entity it meets, never their bodies: the key rule
 * requires a party to be shown what it meets); one volume; and the conflicts recorded for a party.
 * Thread-safe.
 */
final class VolumeApi {
    private final Store store;
    private final Function<Context, Reader> readers;

    VolumeApi(Store store, Function<Context, Reader> readers) {
        this.store = store;
        this.readers = readers;
    }

    /** {@code POST /api/v1/deconflict}: what a volume body would meet now, and the key to sign with it. */
    void check(Context ctx) throws EntryException {
        byte[] raw = ctx.bodyAsBytes();
        JsonNode body;
        try {
            body = Json.parse(raw);
        } catch (InvalidJsonException e) {
            throw new BadRequest(400, "malformed-json", "not JSON", e.getMessage());
        }
        Kinds.standard().validate(VolumeRules.VOLUME, body);
        Footprint f = NotificationRules.footprint(body.get("footprint"), "/footprint");
        Instant from = Instant.parse(body.get("time").get("from").textValue());
        Instant to = Instant.parse(body.get("time").get("to").textValue());
        if (!to.isAfter(from)) {
            throw new EntryException(Rejection.INCONSISTENT_BODY, "/time/to: the window ends after it starts");
        }
        String id = body.get("id").textValue();
        ObjectNode out = store.read(tx -> {
            List<VolumeRules.Entity> met = VolumeRules.meets(tx, id, f, body.get("altitude"), from, to);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode meets = o.putArray("meets");
            ArrayNode key = o.putArray("key");
            for (VolumeRules.Entity x : met) {
                String collection = VolumeRules.collection(x.type());
                String owner = tx.get(collection, x.id()).map(Doc::owner).orElse("");
                meets.addObject().put("type", x.type()).put("id", x.id()).put("version", x.version()).put("owner", owner);
                key.addObject().put("type", x.type()).put("id", x.id()).put("version", x.version());
            }
            return o;
        });
        ApiServer.json(ctx, 200, out);
    }

    /** {@code GET /api/v1/volumes/{volume}}: one volume with what it met when written. */
    void volume(Context ctx) {
        String id = Params.slug(ctx, "volume");
        Reader reader = readers.apply(ctx);
        ObjectNode v = store.read(tx -> tx.get(VolumeRules.VOLUMES, id).filter(reader::mayRead).map(Doc::body))
                .orElseThrow(() -> new BadRequest(404, "not-found", "no such volume", "volume: no volume " + id
                        + " that you may read"));
        ApiServer.json(ctx, 200, v);
    }

    /** {@code GET /api/v1/parties/{party}/conflicts}: the conflicts recorded for a party, in log order. */
    void conflicts(Context ctx) {
        String party = ctx.pathParam("party");
        if (!PartyId.isValid(party)) {
            throw new BadRequest(400, "bad-party", "not a party id", "'" + Params.truncate(party) + "' is not a party id");
        }
        Reader reader = readers.apply(ctx);
        List<ObjectNode> items = store.read(tx -> tx.findAll(VolumeRules.CONFLICTS, "party:" + party, 100_000).stream()
                .filter(reader::mayRead).map(Doc::body).sorted(java.util.Comparator.comparingLong(b -> b.get("index").asLong()))
                .toList());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray("conflicts").addAll(items);
        ApiServer.json(ctx, 200, o);
    }
}
