package org.truce.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.entry.Visibility;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.Intersection;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Doc;

/**
 * The grid index never hides a volume from a check: for random footprints of every type and size,
 * around Aleppo, across the antimeridian and near the pole, the volumes the indexed check finds are
 * exactly those a check of every active volume finds.
 */
class GridIndexTest {
    private static ObjectNode footprint(SplittableRandom rng, double lon, double lat) {
        ObjectNode f = obj();
        switch (rng.nextInt(3)) {
            case 0 -> {
                f.put("type", "circle").put("radius", 100 + rng.nextDouble() * 50_000);
                f.putArray("center").add(lon).add(lat);
            }
            case 1 -> {
                f.put("type", "corridor").put("halfWidth", 50 + rng.nextDouble() * 5_000);
                ArrayNode line = f.putArray("coordinates");
                double len = 0.05 + rng.nextDouble() * 0.9;
                double az = rng.nextDouble() * 2 * Math.PI;
                line.addArray().add(lon).add(lat);
                line.addArray().add(wrap(lon + len * Math.cos(az))).add(lat + len * Math.sin(az) / 2);
            }
            default -> {
                f.put("type", "polygon");
                double r = 0.02 + rng.nextDouble() * 0.5;
                ArrayNode ring = f.putArray("coordinates");
                for (int i = 0; i <= 5; i++) {
                    double a = 2 * Math.PI * (i % 5) / 5;
                    ring.addArray().add(wrap(lon + r * Math.cos(a))).add(lat + r * Math.sin(a));
                }
            }
        }
        return f;
    }

    private static double wrap(double lon) {
        return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
    }

    private static double[] place(SplittableRandom rng) {
        return switch (rng.nextInt(10)) {
            case 0 -> new double[] {wrap(179.5 + rng.nextDouble()), -10 + rng.nextDouble()};
            case 1 -> new double[] {-180 + rng.nextDouble() * 360, 82 + rng.nextDouble() * 5};
            default -> new double[] {36 + rng.nextDouble() * 6, 34 + rng.nextDouble() * 5};
        };
    }

    @Test
    void indexedCheck_findsExactlyWhatACheckOfEveryVolumeFinds() throws Exception {
        TestLog log = TestLog.started();
        SplittableRandom rng = new SplittableRandom(2016);
        Instant from = Instant.parse("2016-09-20T10:00:00Z");
        Instant to = Instant.parse("2016-09-20T12:00:00Z");
        ObjectNode alt = obj().put("lower", 0).put("upper", 3000).put("reference", "W84");
        for (int i = 0; i < 300; i++) {
            double[] p = place(rng);
            ObjectNode v = obj().put("id", "v" + i).put("state", "accepted");
            v.set("footprint", footprint(rng, p[0], p[1]));
            v.set("altitude", alt);
            v.putObject("time").put("from", from.toString()).put("to", to.toString());
            ArrayNode key = v.putArray("key");
            Footprint f = NotificationRules.footprint(v.get("footprint"), "/footprint");
            for (VolumeRules.Entity x : VolumeRules.meets(log.state(), "v" + i, f, alt, from, to)) {
                key.addObject().put("type", x.type()).put("id", x.id()).put("version", x.version());
            }
            log.submit(i % 2 == 0 ? log.us : log.ru, "volume", v, Visibility.PUBLIC);
        }
        List<Doc> all = log.state().findAll(VolumeRules.VOLUMES, "active", 1000);
        assertThat(all).hasSize(300);
        int withAny = 0;
        for (int q = 0; q < 300; q++) {
            double[] p = place(rng);
            Footprint f = NotificationRules.footprint(footprint(rng, p[0], p[1]), "/footprint");
            TreeSet<String> indexed = new TreeSet<>();
            VolumeRules.meets(log.state(), "query", f, alt, from, to).forEach(x -> indexed.add(x.id()));
            TreeSet<String> everyOne = new TreeSet<>();
            for (Doc d : all) {
                if (Intersection.meets(f, NotificationRules.footprint(d.body().get("footprint"), "/f"))) {
                    everyOne.add(d.id());
                }
            }
            assertThat(indexed).as("query %d at %s", q, java.util.Arrays.toString(p)).isEqualTo(everyOne);
            withAny += everyOne.isEmpty() ? 0 : 1;
        }
        assertThat(withAny).as("the queries meet something often enough to test the index").isGreaterThan(30);
        List<String> keysOfOne = new ArrayList<>(log.doc(VolumeRules.VOLUMES, "v2").keys());
        assertThat(keysOfOne).anyMatch(k -> k.startsWith("cell:"));
    }
}
