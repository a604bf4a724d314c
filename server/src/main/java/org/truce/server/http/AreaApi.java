package org.truce.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.truce.core.access.Reader;
import org.truce.core.area.Areas;
import org.truce.core.entry.EntryHeader;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.LonLat;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;

/**
 * {@code GET /api/v1/areas?point=lon,lat&radius=&at=}: who was declared present in or controlling the
 * place at a moment, each declaration marked disputed when another names a different actor as
 * controlling it then; filtered for the reader by {@link Areas}. Thread-safe.
 */
final class AreaApi {
    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    AreaApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    void at(Context ctx) {
        String p = ctx.queryParam("point");
        LonLat point;
        try {
            String[] parts = p == null || p.length() > 100 ? new String[0] : p.split(",", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("two numbers");
            }
            point = new LonLat(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "bad-point", "not a point", "point: give longitude,latitude in degrees, such as 40.17,35.26");
        }
        double radius = Params.near(ctx, "radius", 0);
        Instant at = Params.at(ctx, clock);
        Reader reader = readers.apply(ctx);
        List<ObjectNode> found = store.read(tx -> new Areas(tx).at(reader, new Footprint.Circle(point, radius), at));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("asOf", EntryHeader.formatTime(at));
        o.putArray("declarations").addAll(found);
        o.put("disputed", found.stream().anyMatch(d -> d.get("disputed").asBoolean()));
        ApiServer.json(ctx, 200, o);
    }
}
