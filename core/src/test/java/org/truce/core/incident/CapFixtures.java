package org.truce.core.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Incident view documents for the export tests. */
final class CapFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CapFixtures() {
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A full first version with a point, casualties, two opposed claims and two assessments. */
    static ObjectNode convoy() {
        return parse("""
                {
                  "id": "urum-al-kubra-convoy",
                  "version": 1,
                  "title": "Aid convoy struck at Urum al-Kubra",
                  "time": {"from": "2016-09-19T17:00:00Z", "to": "2016-09-19T20:00:00Z",
                           "precision": {"scheme": "acled", "code": 1}},
                  "location": {"point": [36.9586, 36.1524], "precision": {"scheme": "acled", "code": 1},
                               "country": "Syria", "iso": 760, "admin1": "Aleppo", "admin2": "Jebel Saman",
                               "place": "Urum al-Kubra"},
                  "type": {"event": "Explosions/Remote violence", "subEvent": "Air/drone strike"},
                  "casualties": {"killed": {"low": 10, "best": 14, "high": 20}, "injured": {"best": 5}},
                  "actors": ["sarc"], "sites": ["urum-warehouse"], "movements": ["convoy-0919"],
                  "areas": [], "agreements": ["cessation-2016"],
                  "summary": "A humanitarian convoy was hit while unloading.",
                  "by": "un", "at": "2016-09-19T21:00:00Z", "index": 42, "entry": "q83vEjRWeJA=",
                  "claims": [
                    {"stance": "alleges", "perpetrator": {"party": "ru"}, "statement": "Struck from the air.",
                     "by": "us", "at": "2016-09-20T08:00:00Z"},
                    {"stance": "denies", "statement": "No aircraft of ours was there.",
                     "by": "ru", "at": "2016-09-20T09:00:00Z"}
                  ],
                  "observations": [],
                  "assessments": [
                    {"certainty": "possible", "finding": "Early reports.", "by": "monitor", "at": "2016-09-20T10:00:00Z"},
                    {"certainty": "likely", "finding": "Craters fit an air strike.", "by": "monitor",
                     "at": "2016-12-21T10:00:00Z"}
                  ],
                  "contested": true
                }
                """);
    }

    /** A minimal incident whose location is the given polygon rings (GeoJSON-ordered JSON text). */
    static ObjectNode withPolygon(String id, String rings) {
        return parse("""
                {"id": "%s", "version": 1, "title": "Shelling of a district",
                 "time": {"from": "2024-01-01T00:00:00Z", "to": "2024-01-01T06:00:00Z",
                          "precision": {"scheme": "acled", "code": 2}},
                 "location": {"polygon": %s, "precision": {"scheme": "ucdp", "code": 4}},
                 "type": {"event": "Explosions/Remote violence", "subEvent": "Shelling/artillery/missile attack"},
                 "actors": [], "sites": [], "movements": [], "areas": [], "agreements": [],
                 "by": "monitor", "at": "2024-01-01T08:00:00Z", "index": 7, "entry": "AAAA",
                 "claims": [], "observations": [], "assessments": [], "contested": false}
                """.formatted(id, rings));
    }
}
