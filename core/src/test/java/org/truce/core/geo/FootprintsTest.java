package org.truce.core.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.truce.core.json.Json;

/** Footprints from JSON: the good forms parse, and every malformed shape is refused naming the field. */
class FootprintsTest {
    private static JsonNode json(String s) throws Exception {
        return Json.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_eachType() throws Exception {
        Footprint p = Footprints.parse(json("{\"type\":\"polygon\",\"coordinates\":[[36.1,36.2],[36.3,36.2],[36.3,36.4],[36.1,36.2]]}"), "/f");
        assertThat(p).isInstanceOf(Footprint.Polygon.class);
        assertThat(((Footprint.Polygon) p).ring()).hasSize(3);
        Footprint c = Footprints.parse(json("{\"type\":\"circle\",\"center\":[179.9,-89.5],\"radius\":5000}"), "/f");
        assertThat(c).isEqualTo(new Footprint.Circle(new LonLat(179.9, -89.5), 5000));
        Footprint k = Footprints.parse(json("{\"type\":\"corridor\",\"coordinates\":[[179.9,10],[-179.9,10.1]],\"halfWidth\":250}"), "/f");
        assertThat(((Footprint.Corridor) k).line()).hasSize(2);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[1,1],[1,0],[0,1],[0,0]]}|/f/coordinates: the ring crosses itself",
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[1,0],[1,1],[0,1]]}|ends where it starts",
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[1,0],[0,0],[0,0]]}|/f/coordinates/3: repeats the position before it",
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[1,0],[1,95],[0,0]]}|/f/coordinates/2: [1.0, 95.0] is not",
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[40,0],[40,1],[0,0]]}|/f/coordinates/1: a footprint reaches at most 2000 km",
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[1,0]]}|/f/coordinates: give 4 to 10001 positions",
        "{\"type\":\"polygon\",\"coordinates\":[[0,0],[1,\"a\"],[1,1],[0,0]]}|/f/coordinates/1: a position is [longitude, latitude]",
        "{\"type\":\"circle\",\"center\":[0,0],\"radius\":0}|/f/radius: metres, more than 0",
        "{\"type\":\"circle\",\"center\":[0,0],\"radius\":600000}|/f/radius: metres, more than 0 and at most 500000",
        "{\"type\":\"circle\",\"radius\":10}|/f/center: a position is",
        "{\"type\":\"corridor\",\"coordinates\":[[0,0]],\"halfWidth\":10}|/f/coordinates: give 2 to 10000 positions",
        "{\"type\":\"corridor\",\"coordinates\":[[0,0],[0,0]],\"halfWidth\":10}|/f/coordinates/1: repeats",
        "{\"type\":\"corridor\",\"coordinates\":[[0,0],[0,1]],\"halfWidth\":60000}|/f/halfWidth",
        "{\"type\":\"square\"}|/f/type: 'square' is not polygon, circle or corridor",
        "[1,2]|/f: a footprint is an object",
    })
    void parse_malformed_refusedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> Footprints.parse(json(json), "/f")).isInstanceOf(FootprintException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parse_tenThousandVertices_accepted_oneMore_refused() throws Exception {
        StringBuilder ring = new StringBuilder();
        int n = 10_000;
        for (int i = 0; i <= n; i++) {
            double a = 2 * Math.PI * (i % n) / n;
            ring.append(i == 0 ? "" : ",").append('[').append(36 + Math.cos(a)).append(',').append(36 + Math.sin(a)).append(']');
        }
        Footprint p = Footprints.parse(json("{\"type\":\"polygon\",\"coordinates\":[" + ring + "]}"), "/f");
        assertThat(((Footprint.Polygon) p).ring()).hasSize(n);
        String more = ring.toString().replaceFirst("\\]", "],[36.5,36.5]");
        assertThatThrownBy(() -> Footprints.parse(json("{\"type\":\"polygon\",\"coordinates\":[" + more + "]}"), "/f"))
                .hasMessageContaining("give 4 to 10001 positions");
    }
}
