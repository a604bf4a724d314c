package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Incidents as an RFC 7946 GeoJSON FeatureCollection: one Feature per incident, its id the incident's,
 * a Point or a Polygon in [longitude, latitude] with rings wound by the right-hand rule (exterior
 * counter-clockwise, holes clockwise, RFC 7946 §3.1.6) whatever the input's winding, a bounding box
 * per feature and for the collection (§5), and flat properties for GIS tools. Stateless.
 */
public final class GeoJson {
    /** Decimal places kept: 7 is about 1 cm, finer than any incident's location is known. */
    static final int DECIMALS = 7;

    private GeoJson() {}

    /** The collection of the incident views given, in their order. */
    public static ObjectNode featureCollection(List<? extends JsonNode> incidents) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode fc = f.objectNode().put("type", "FeatureCollection");
        ArrayNode features = f.arrayNode();
        Box all = new Box();
        for (JsonNode v : incidents) {
            ObjectNode feature = feature(v);
            all.add(feature.get("bbox"));
            features.add(feature);
        }
        if (!all.empty()) {
            fc.set("bbox", all.json());
        }
        fc.set("features", features);
        return fc;
    }

    /** One incident as a Feature. */
    static ObjectNode feature(JsonNode v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode feature = f.objectNode().put("type", "Feature").put("id", v.get("id").textValue());
        JsonNode loc = v.get("location");
        ObjectNode geometry = f.objectNode();
        Box box = new Box();
        if (loc.has("point")) {
            geometry.put("type", "Point");
            ArrayNode p = position(loc.get("point"));
            box.add(p);
            geometry.set("coordinates", p);
        } else {
            geometry.put("type", "Polygon");
            ArrayNode rings = geometry.putArray("coordinates");
            JsonNode polygon = loc.get("polygon");
            for (int i = 0; i < polygon.size(); i++) {
                ArrayNode ring = f.arrayNode();
                polygon.get(i).forEach(p -> ring.add(position(p)));
                boolean ccw = signedArea(ring) > 0;
                rings.add(ccw == (i == 0) ? ring : reversed(ring));
                if (i == 0) {
                    ring.forEach(box::add);
                }
            }
        }
        feature.set("bbox", box.json());
        feature.set("geometry", geometry);
        feature.set("properties", properties(v));
        return feature;
    }

    private static ObjectNode properties(JsonNode v) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        JsonNode time = v.get("time");
        JsonNode loc = v.get("location");
        p.put("id", v.get("id").textValue());
        p.put("version", v.path("version").asInt(1));
        p.put("title", v.get("title").textValue());
        p.put("from", time.get("from").textValue());
        p.put("to", time.get("to").textValue());
        p.put("timePrecision", time.get("precision").get("scheme").textValue() + ":" + time.get("precision").get("code").intValue());
        p.put("geoPrecision", loc.get("precision").get("scheme").textValue() + ":" + loc.get("precision").get("code").intValue());
        for (String k : List.of("country", "admin1", "admin2", "admin3", "place")) {
            if (loc.has(k)) {
                p.put(k, loc.get(k).textValue());
            }
        }
        p.put("eventType", v.get("type").get("event").textValue());
        p.put("subEventType", v.get("type").get("subEvent").textValue());
        for (String c : List.of("killed", "injured")) {
            JsonNode r = v.path("casualties").path(c);
            for (String e : List.of("low", "best", "high")) {
                if (r.has(e)) {
                    p.put(c + (e.equals("best") ? "" : e.substring(0, 1).toUpperCase() + e.substring(1)), r.get(e).longValue());
                }
            }
        }
        p.put("claims", v.path("claims").size());
        p.put("contested", v.path("contested").asBoolean());
        JsonNode as = v.path("assessments");
        if (!as.isEmpty()) {
            p.put("certainty", as.get(as.size() - 1).get("certainty").textValue());
        }
        p.put("notified", v.path("sites").size() + v.path("movements").size() > 0);
        for (String k : List.of("by", "at", "entry")) {
            if (v.has(k)) {
                p.put(k, v.get(k).asText());
            }
        }
        return p;
    }

    private static ArrayNode position(JsonNode p) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.add(round(p.get(0).doubleValue())).add(round(p.get(1).doubleValue()));
        return a;
    }

    static BigDecimal round(double d) {
        return BigDecimal.valueOf(d).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    /**
     * Twice the ring's signed area by the shoelace formula on longitude and latitude, positive when
     * counter-clockwise. Longitudes are unwrapped across the antimeridian first, so a ring that crosses
     * it keeps its winding.
     */
    static double signedArea(JsonNode ring) {
        double sum = 0;
        double prevLon = ring.get(0).get(0).doubleValue();
        double lon0 = prevLon;
        double lat0 = ring.get(0).get(1).doubleValue();
        double x0 = lon0;
        for (int i = 1; i < ring.size(); i++) {
            double lon = ring.get(i).get(0).doubleValue();
            double lat = ring.get(i).get(1).doubleValue();
            while (lon - prevLon > 180) {
                lon -= 360;
            }
            while (lon - prevLon < -180) {
                lon += 360;
            }
            sum += x0 * lat - lon * lat0;
            x0 = lon;
            lat0 = lat;
            prevLon = lon;
        }
        return sum;
    }

    private static ArrayNode reversed(ArrayNode ring) {
        ArrayNode r = JsonNodeFactory.instance.arrayNode();
        for (int i = ring.size() - 1; i >= 0; i--) {
            r.add(ring.get(i));
        }
        return r;
    }

    /**
     * A bounding box, west, south, east, north. Longitudes are kept as the narrowest arc that holds
     * them: when that arc crosses the antimeridian, west is greater than east (RFC 7946 §5.2).
     */
    private static final class Box {
        private final java.util.List<Double> lons = new java.util.ArrayList<>();
        private double south = Double.POSITIVE_INFINITY;
        private double north = Double.NEGATIVE_INFINITY;

        void add(JsonNode p) {
            if (p.size() == 4) {
                lons.add(p.get(0).doubleValue());
                lons.add(p.get(2).doubleValue());
                south = Math.min(south, p.get(1).doubleValue());
                north = Math.max(north, p.get(3).doubleValue());
                return;
            }
            lons.add(p.get(0).doubleValue());
            south = Math.min(south, p.get(1).doubleValue());
            north = Math.max(north, p.get(1).doubleValue());
        }

        boolean empty() {
            return lons.isEmpty();
        }

        ArrayNode json() {
            double[] sorted = lons.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double west = sorted[0];
            double east = sorted[sorted.length - 1];
            double widestGap = 360 - (east - west);
            for (int i = 1; i < sorted.length; i++) {
                double gap = sorted[i] - sorted[i - 1];
                if (gap > widestGap) {
                    widestGap = gap;
                    west = sorted[i];
                    east = sorted[i - 1];
                }
            }
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            a.add(round(west)).add(round(south)).add(round(east)).add(round(north));
            return a;
        }
    }
}
