package org.truce.core.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.truce.core.access.Reader;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.Intersection;
import org.truce.core.geo.LonLat;
import org.truce.core.incident.IncidentFilter;
import org.truce.core.incident.Incidents;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Incidents near notified objects: an incident within a chosen distance of a notified site or
 * movement while it stood (a site from its notification, or its {@code from}, until its withdrawal; a
 * movement from its first leg's start to its last leg's end) is flagged on both, with the gap between
 * them on the ellipsoid. Everything returned has passed the reader's visibility filter.
 */
public final class Proximity {
    /** The distance used when none is chosen, in metres. */
    public static final double DEFAULT_DISTANCE = 1_000;
    public static final double MAX_DISTANCE = 50_000;
    /** The most incidents examined around one notification. */
    static final int MAX_INCIDENTS = 10_000;

    private final StateView state;

    public Proximity(StateView state) {
        this.state = state;
    }

    /** The notified sites and movements within {@code distance} metres of the incident while they stood. */
    public ArrayNode nearIncident(Reader reader, JsonNode incident, double distance) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Footprint where = location(incident.get("location"));
        Instant from = Instant.parse(incident.get("time").get("from").textValue());
        Instant to = Instant.parse(incident.get("time").get("to").textValue());
        for (String[] t : new String[][] {{"site", NotificationRules.SITES}, {"movement", NotificationRules.MOVEMENTS}}) {
            for (Doc d : state.findAll(t[1], "all", Notifications.MAX_LISTED)) {
                if (!reader.mayRead(d) || !overlaps(validity(t[0], d.body()), from, to)) {
                    continue;
                }
                double gap = Intersection.gap(where, footprint(t[0], d.body()));
                if (gap <= distance) {
                    out.addObject().put("type", t[0]).put("id", d.id()).put("name", d.body().get("name").textValue())
                            .put("gap", Math.round(gap * 100) / 100.0);
                }
            }
        }
        return out;
    }

    /** The incidents within {@code distance} metres of a notified site or movement while it stood. */
    public ArrayNode nearNotification(Reader reader, String type, JsonNode notification, double distance, Instant now) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Instant[] valid = validity(type, notification);
        Instant until = valid[1].isAfter(now) ? now : valid[1];
        if (!until.isAfter(valid[0])) {
            return out;
        }
        Footprint f = footprint(type, notification);
        IncidentFilter filter = new IncidentFilter(valid[0], until, null, null, null, null, null, null, null, false);
        List<ObjectNode> candidates = new Incidents(state).findAll(reader, filter, MAX_INCIDENTS);
        for (ObjectNode i : candidates) {
            double gap = Intersection.gap(location(i.get("location")), f);
            if (gap <= distance) {
                out.addObject().put("id", i.get("id").textValue()).put("title", i.get("title").textValue())
                        .put("from", i.get("time").get("from").textValue()).put("gap", Math.round(gap * 100) / 100.0);
            }
        }
        return out;
    }

    private static boolean overlaps(Instant[] valid, Instant from, Instant to) {
        return !valid[0].isAfter(to) && !valid[1].isBefore(from);
    }

    /** When a notification stood: [start, end], the end far in the future while it stands. */
    static Instant[] validity(String type, JsonNode n) {
        if (type.equals("movement")) {
            JsonNode legs = n.get("legs");
            return new Instant[] {Instant.parse(legs.get(0).get("from").textValue()),
                Instant.parse(legs.get(legs.size() - 1).get("to").textValue())};
        }
        return NotificationRules.standing(n);
    }

    private static Footprint footprint(String type, JsonNode n) {
        return org.truce.core.geo.Footprints.stored(n.get(type.equals("site") ? "footprint" : "route"));
    }

    /** An incident's location as a footprint: a point, or its polygon's outer ring. */
    static Footprint location(JsonNode loc) {
        if (loc.has("point")) {
            return new Footprint.Circle(new LonLat(loc.get("point").get(0).doubleValue(), loc.get("point").get(1).doubleValue()), 0);
        }
        JsonNode ring = loc.get("polygon").get(0);
        List<LonLat> points = new ArrayList<>();
        for (int i = 0; i + 1 < ring.size(); i++) {
            points.add(new LonLat(ring.get(i).get(0).doubleValue(), ring.get(i).get(1).doubleValue()));
        }
        return new Footprint.Polygon(points);
    }
}
