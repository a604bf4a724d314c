package org.truce.core.geo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import net.sf.geographiclib.Gnomonic;
import net.sf.geographiclib.GnomonicData;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.operation.valid.IsSimpleOp;

/**
 * Footprints from their JSON form, checked at the first parse: positions are {@code [longitude,
 * latitude]} in range, a polygon's ring is closed with 3 to {@value #MAX_VERTICES} distinct vertices
 * and does not cross itself, a corridor's line has no zero-length segment, radii and half-widths are
 * bounded, and no footprint reaches further than {@value #MAX_EXTENT} m from its first position.
 * Every refusal names the field and what is wrong. Stateless.
 *
 * <pre>
 * {"type": "polygon", "coordinates": [[36.1, 36.2], [36.3, 36.2], [36.3, 36.4], [36.1, 36.2]]}
 * {"type": "circle", "center": [37.16, 36.2], "radius": 5000}
 * {"type": "corridor", "coordinates": [[36.95, 36.15], [37.1, 36.2]], "halfWidth": 250}
 * </pre>
 */
public final class Footprints {
    public static final int MAX_VERTICES = 10_000;
    /** How far a footprint may reach from its first position, in metres. */
    public static final double MAX_EXTENT = 2_000_000;
    public static final double MAX_RADIUS = 500_000;
    public static final double MAX_HALF_WIDTH = 50_000;
    private static final Gnomonic GNOMONIC = new Gnomonic(Geodesy.WGS84);

    private Footprints() {}

    /** Parses and checks a footprint; {@code field} names it in refusals, such as {@code /footprint}. */
    public static Footprint parse(JsonNode n, String field) throws FootprintException {
        if (!n.isObject()) {
            throw new FootprintException(field + ": a footprint is an object with a type");
        }
        String type = n.path("type").asText("");
        switch (type) {
            case "polygon" -> {
                List<LonLat> ring = positions(n.get("coordinates"), field + "/coordinates", 4, MAX_VERTICES + 1);
                if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
                    throw new FootprintException(field + "/coordinates: a polygon's ring ends where it starts");
                }
                ring = ring.subList(0, ring.size() - 1);
                noRepeats(ring, field + "/coordinates", true);
                if (ring.size() < 3) {
                    throw new FootprintException(field + "/coordinates: a polygon has at least 3 distinct vertices");
                }
                extent(ring, field + "/coordinates", 0);
                simple(ring, field + "/coordinates");
                return new Footprint.Polygon(ring);
            }
            case "circle" -> {
                LonLat c = position(n.get("center"), field + "/center");
                double r = length(n.get("radius"), field + "/radius", MAX_RADIUS);
                return new Footprint.Circle(c, r);
            }
            case "corridor" -> {
                List<LonLat> line = positions(n.get("coordinates"), field + "/coordinates", 2, MAX_VERTICES);
                noRepeats(line, field + "/coordinates", false);
                double w = length(n.get("halfWidth"), field + "/halfWidth", MAX_HALF_WIDTH);
                extent(line, field + "/coordinates", w);
                return new Footprint.Corridor(line, w);
            }
            default -> throw new FootprintException(field + "/type: '" + clip(type) + "' is not polygon, circle or corridor");
        }
    }

    /**
     * A footprint as stored after {@link #parse} accepted it, read without checking it again: the checks
     * (self-intersection above all) cost far more than the reading, and stored shapes passed them.
     */
    public static Footprint stored(JsonNode n) {
        switch (n.get("type").textValue()) {
            case "polygon" -> {
                List<LonLat> ring = trusted(n.get("coordinates"));
                return new Footprint.Polygon(ring.subList(0, ring.size() - 1));
            }
            case "circle" -> {
                return new Footprint.Circle(new LonLat(n.get("center").get(0).doubleValue(), n.get("center").get(1).doubleValue()),
                        n.get("radius").doubleValue());
            }
            default -> {
                return new Footprint.Corridor(trusted(n.get("coordinates")), n.get("halfWidth").doubleValue());
            }
        }
    }

    private static List<LonLat> trusted(JsonNode a) {
        List<LonLat> out = new ArrayList<>(a.size());
        for (JsonNode p : a) {
            out.add(new LonLat(p.get(0).doubleValue(), p.get(1).doubleValue()));
        }
        return out;
    }

    private static List<LonLat> positions(JsonNode a, String field, int min, int max) throws FootprintException {
        if (a == null || !a.isArray() || a.size() < min || a.size() > max) {
            throw new FootprintException(field + ": give " + min + " to " + max + " positions [longitude, latitude]");
        }
        List<LonLat> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(position(a.get(i), field + "/" + i));
        }
        return out;
    }

    private static LonLat position(JsonNode p, String field) throws FootprintException {
        if (p == null || !p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
            throw new FootprintException(field + ": a position is [longitude, latitude]");
        }
        try {
            return new LonLat(p.get(0).doubleValue(), p.get(1).doubleValue());
        } catch (IllegalArgumentException e) {
            throw new FootprintException(field + ": " + e.getMessage());
        }
    }

    private static double length(JsonNode n, String field, double max) throws FootprintException {
        if (n == null || !n.isNumber() || !(n.doubleValue() > 0) || n.doubleValue() > max) {
            throw new FootprintException(field + ": metres, more than 0 and at most " + (long) max);
        }
        return n.doubleValue();
    }

    private static void noRepeats(List<LonLat> points, String field, boolean closed) throws FootprintException {
        for (int i = 0; i + 1 < points.size() + (closed ? 1 : 0); i++) {
            LonLat a = points.get(i);
            LonLat b = points.get((i + 1) % points.size());
            if (Geodesy.distance(a, b) < Intersection.TOLERANCE) {
                throw new FootprintException(field + "/" + (i + 1) + ": repeats the position before it");
            }
        }
    }

    private static void extent(List<LonLat> points, String field, double grow) throws FootprintException {
        for (int i = 0; i < points.size(); i++) {
            if (Geodesy.distance(points.get(0), points.get(i)) + grow > MAX_EXTENT) {
                throw new FootprintException(field + "/" + i + ": a footprint reaches at most " + (long) (MAX_EXTENT / 1000)
                        + " km from its first position");
            }
        }
    }

    /**
     * Refuses a ring that crosses itself, tested with JTS on the gnomonic projection about the ring's
     * centre, in which geodesics are nearly straight over a footprint's extent.
     */
    private static void simple(List<LonLat> ring, String field) throws FootprintException {
        double lat = ring.stream().mapToDouble(LonLat::lat).average().orElse(0);
        double lon = Geodesy.meanLon(ring.stream().mapToDouble(LonLat::lon).toArray());
        Coordinate[] cs = new Coordinate[ring.size() + 1];
        for (int i = 0; i < ring.size(); i++) {
            GnomonicData g = GNOMONIC.Forward(lat, lon, ring.get(i).lat(), ring.get(i).lon());
            cs[i] = new Coordinate(g.x, g.y);
        }
        cs[ring.size()] = cs[0];
        LinearRing r = new GeometryFactory().createLinearRing(cs);
        IsSimpleOp op = new IsSimpleOp(r);
        if (!op.isSimple()) {
            throw new FootprintException(field + ": the ring crosses itself");
        }
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
