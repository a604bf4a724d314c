package org.truce.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.FootprintException;
import org.truce.core.geo.Footprints;
import org.truce.core.geo.Intersection;
import org.truce.core.geo.Prepared;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;

/**
 * Footprints on untrusted JSON: {@link Footprints#parse} may refuse only with a
 * {@link FootprintException} naming the field; a footprint it accepts must prepare, and must meet
 * itself, whatever its shape.
 */
class FootprintFuzzTest {
    @FuzzTest
    void footprint(FuzzedDataProvider data) throws Exception {
        JsonNode n;
        try {
            n = Json.parse(data.consumeRemainingAsBytes());
        } catch (InvalidJsonException e) {
            return;
        }
        Footprint f;
        try {
            f = Footprints.parse(n, "/footprint");
        } catch (FootprintException refused) {
            if (!refused.getMessage().startsWith("/footprint")) {
                throw new AssertionError("a refusal that does not name the field: " + refused.getMessage());
            }
            return;
        }
        Prepared p = Prepared.of(f);
        p.box(0);
        if (!Intersection.meets(p, p)) {
            throw new AssertionError("a footprint that does not meet itself: " + f);
        }
    }
}
