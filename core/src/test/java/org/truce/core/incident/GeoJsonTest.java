package org.truce.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.core.json.Json;

/** GeoJSON export: every document checked against the rules of RFC 7946 by {@link #violations}. */
class GeoJsonTest {
    private static ObjectNode view(ObjectNode body) {
        return body.put("version", 1).put("by", "un").put("at", "2016-09-20T08:00:00Z").put("entry", "e");
    }

    private static ObjectNode area(double[][]... rings) {
        ObjectNode b = IncidentRulesTest.incident("area", "2016-09-19T00:00:00Z", "2016-09-20T00:00:00Z", 0, 0, "Aleppo");
        ObjectNode loc = (ObjectNode) b.get("location");
        loc.remove("point");
        ArrayNode polygon = loc.putArray("polygon");
        for (double[][] ring : rings) {
            ArrayNode r = polygon.addArray();
            for (double[] p : ring) {
                r.addArray().add(p[0]).add(p[1]);
            }
        }
        return view(b);
    }

    private static final double[][] CLOCKWISE = {{37.1, 36.2}, {37.1, 36.3}, {37.2, 36.3}, {37.2, 36.2}, {37.1, 36.2}};
    private static final double[][] HOLE_CCW = {{37.12, 36.22}, {37.18, 36.22}, {37.18, 36.28}, {37.12, 36.28}, {37.12, 36.22}};

    /** Every way a document breaks RFC 7946 that an export could: empty when it conforms. */
    static List<String> violations(JsonNode doc) {
        List<String> out = new ArrayList<>();
        if (doc.has("crs")) {
            out.add("a crs member (§4 removed it)");
        }
        if (!"FeatureCollection".equals(doc.path("type").asText())) {
            out.add("not a FeatureCollection");
        }
        for (JsonNode f : doc.path("features")) {
            if (!"Feature".equals(f.path("type").asText()) || !f.has("properties")) {
                out.add(f.path("id") + ": not a Feature with properties");
            }
            JsonNode g = f.get("geometry");
            List<JsonNode> positions = new ArrayList<>();
            switch (g.path("type").asText()) {
                case "Point" -> positions.add(g.get("coordinates"));
                case "Polygon" -> {
                    JsonNode rings = g.get("coordinates");
                    for (int i = 0; i < rings.size(); i++) {
                        JsonNode ring = rings.get(i);
                        if (ring.size() < 4 || !ring.get(0).equals(ring.get(ring.size() - 1))) {
                            out.add(f.get("id") + ": ring " + i + " is not closed with 4 or more positions (§3.1.6)");
                        }
                        boolean ccw = GeoJson.signedArea(ring) > 0;
                        if (ccw != (i == 0)) {
                            out.add(f.get("id") + ": ring " + i + " breaks the right-hand rule (§3.1.6)");
                        }
                        ring.forEach(positions::add);
                    }
                }
                default -> out.add(f.get("id") + ": geometry type " + g.path("type"));
            }
            JsonNode box = f.get("bbox");
            if (box == null || box.size() != 4) {
                out.add(f.get("id") + ": no bbox of 4 numbers");
                continue;
            }
            for (JsonNode p : positions) {
                double lon = p.get(0).doubleValue();
                double lat = p.get(1).doubleValue();
                if (p.size() != 2 || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
                    out.add(f.get("id") + ": position " + p + " is not [longitude, latitude] in range (§3.1.1, §4)");
                }
                boolean lonIn = box.get(0).doubleValue() <= box.get(2).doubleValue()
                        ? lon >= box.get(0).doubleValue() && lon <= box.get(2).doubleValue()
                        : lon >= box.get(0).doubleValue() || lon <= box.get(2).doubleValue();
                if (!lonIn || lat < box.get(1).doubleValue() || lat > box.get(3).doubleValue()) {
                    out.add(f.get("id") + ": position " + p + " outside its bbox " + box + " (§5)");
                }
            }
        }
        return out;
    }

    @Test
    void featureCollection_clockwiseExteriorAndHole_rewoundByTheRightHandRule() {
        double[][] clockwiseHole = HOLE_CCW.clone();
        java.util.Collections.reverse(java.util.Arrays.asList(clockwiseHole));
        ObjectNode fc = GeoJson.featureCollection(List.of(area(CLOCKWISE, HOLE_CCW)));
        assertThat(violations(fc)).isEmpty();
        JsonNode rings = fc.get("features").get(0).get("geometry").get("coordinates");
        assertThat(GeoJson.signedArea(rings.get(0))).isPositive();
        assertThat(GeoJson.signedArea(rings.get(1))).isNegative();
        assertThat(rings.get(0).get(1).toString()).as("reversed: the second vertex is the input's fourth").isEqualTo("[37.2,36.2]");
        assertThat(violations(GeoJson.featureCollection(List.of(area(CLOCKWISE, clockwiseHole))))).isEmpty();
    }

    @Test
    void featureCollection_points_lonLatOrder_bboxAndProperties() {
        ObjectNode convoy = view(IncidentRulesTest.convoy());
        convoy.putArray("claims").addObject().put("stance", "alleges");
        convoy.put("contested", true);
        ObjectNode fc = GeoJson.featureCollection(List.of(convoy));
        assertThat(violations(fc)).isEmpty();
        JsonNode f = fc.get("features").get(0);
        assertThat(f.get("id").asText()).isEqualTo("urum-al-kubra");
        assertThat(f.get("geometry").get("coordinates").toString()).isEqualTo("[36.9586,36.1524]");
        assertThat(fc.get("bbox").toString()).isEqualTo("[36.9586,36.1524,36.9586,36.1524]");
        assertThat(f.get("properties").get("killed").asInt()).isEqualTo(14);
        assertThat(f.get("properties").get("killedLow").asInt()).isEqualTo(10);
        assertThat(f.get("properties").get("contested").asBoolean()).isTrue();
        assertThat(f.get("properties").get("notified").asBoolean()).isTrue();
    }

    @Test
    void featureCollection_acrossTheAntimeridian_bboxWestGreaterThanEast() {
        double[][] fiji = {{179.5, -17.0}, {-179.5, -17.0}, {-179.5, -16.0}, {179.5, -16.0}, {179.5, -17.0}};
        ObjectNode fc = GeoJson.featureCollection(List.of(area(fiji)));
        assertThat(violations(fc)).isEmpty();
        assertThat(fc.get("features").get(0).get("bbox").toString()).isEqualTo("[179.5,-17,-179.5,-16]");
    }

    @Test
    void violations_catchesWhatRfc7946Forbids_soTheCheckCannotPassVacuously() throws Exception {
        JsonNode latLon = Json.parse(("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\"x\","
                + "\"properties\":{},\"bbox\":[36,37,36,37],\"geometry\":{\"type\":\"Point\",\"coordinates\":[36.15,136.95]}}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(violations(latLon)).anyMatch(v -> v.contains("§3.1.1"));
        ObjectNode clockwise = GeoJson.featureCollection(List.of(area(CLOCKWISE)));
        ArrayNode ring = (ArrayNode) clockwise.get("features").get(0).get("geometry").get("coordinates").get(0);
        List<JsonNode> reversed = new ArrayList<>();
        ring.forEach(reversed::add);
        java.util.Collections.reverse(reversed);
        ring.removeAll();
        reversed.forEach(ring::add);
        assertThat(violations(clockwise)).anyMatch(v -> v.contains("right-hand rule"));
        ring.remove(ring.size() - 1);
        assertThat(violations(clockwise)).anyMatch(v -> v.contains("not closed"));
        clockwise.put("crs", "EPSG:4326");
        assertThat(violations(clockwise)).anyMatch(v -> v.contains("crs"));
    }
}
