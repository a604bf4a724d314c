package org.truce.core.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicLine;
import net.sf.geographiclib.GeodesicMask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Whether footprints meet, against geometry built with GeographicLib directly: every case places two
 * shapes a known geodesic distance apart, 5 mm or 1 cm (they must meet) and 2.5 cm (they must not).
 */
class IntersectionTest {
    private static final Geodesic G = Geodesic.WGS84;

    private static LonLat at(double lon, double lat) {
        return new LonLat(lon, lat);
    }

    private static LonLat direct(LonLat from, double azi, double s) {
        GeodesicData d = G.Direct(from.lat(), from.lon(), azi, s);
        return at(Math.IEEEremainder(d.lon2, 360), d.lat2);
    }

    private static double distance(LonLat a, LonLat b) {
        return G.Inverse(a.lat(), a.lon(), b.lat(), b.lon(), GeodesicMask.DISTANCE).s12;
    }

    private static Footprint.Circle circle(LonLat c, double r) {
        return new Footprint.Circle(c, r);
    }

    // ---- circles ----

    @ParameterizedTest(name = "centres at [{0}, {1}] and [{2}, {3}]")
    @CsvSource({
        "36.2, 36.2, 36.9, 36.15",           // Aleppo's countryside
        "179.99999, 10, -179.99999, 10",     // across the antimeridian
        "0, 89.99, 180, 89.99",              // across the North Pole
        "-45, -89.95, 135, -89.95",          // across the South Pole
        "40.1, 35.3, 40.1000001, 35.3",      // 1 cm apart
    })
    void circles_gapOf5mmOr1cm_meet_andOf2_5cm_doNot(double lon1, double lat1, double lon2, double lat2) {
        LonLat a = at(lon1, lat1);
        LonLat b = at(lon2, lat2);
        double d = distance(a, b);
        double r1 = d * 0.4;
        for (double gap : new double[] {0.005, 0.01}) {
            assertThat(Intersection.meets(circle(a, r1), circle(b, d - r1 - gap))).as("gap %s m", gap).isTrue();
        }
        assertThat(Intersection.meets(circle(a, r1), circle(b, d - r1 - 0.025))).isFalse();
        assertThat(Intersection.gap(circle(a, r1), circle(b, d - r1 - 0.025))).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-6));
    }

    // ---- a long edge bulges ----

    /**
     * A quadrilateral whose northern edge is a 300 km geodesic between two points at 45° N: the edge
     * bulges about 1.8 km north of the parallel. A circle just north of the bulge, 5 mm away, meets it;
     * at 2.5 cm it does not; and a point between the parallel and the bulge is inside, where a test on
     * longitude and latitude as planar coordinates would put it outside.
     */
    @Test
    void polygon_300kmEdgeBulges_circlesAgainstTheTrueGeodesic() {
        LonLat west = at(36.0, 45.0);
        LonLat east = at(39.8, 45.0);
        Footprint.Polygon quad = new Footprint.Polygon(List.of(west, at(36.0, 44.0), at(39.8, 44.0), east));
        GeodesicData inv = G.Inverse(west.lat(), west.lon(), east.lat(), east.lon());
        assertThat(inv.s12).isBetween(295_000.0, 305_000.0);
        GeodesicLine line = G.Line(west.lat(), west.lon(), inv.azi1);
        GeodesicData mid = line.Position(inv.s12 / 2);
        assertThat(mid.lat2 - 45.0).as("the bulge, in degrees").isGreaterThan(0.01);
        LonLat m = at(mid.lon2, mid.lat2);
        double north = mid.azi2 - 90;
        double r = 1000;
        assertThat(Intersection.meets(quad, circle(direct(m, north, r + 0.005), r))).isTrue();
        assertThat(Intersection.meets(quad, circle(direct(m, north, r + 0.025), r))).isFalse();
        LonLat between = at(mid.lon2, 45.0 + (mid.lat2 - 45.0) / 2);
        assertThat(Intersection.meets(quad, circle(between, 0.001))).as("inside the bulge").isTrue();
    }

    @Test
    void polygon_vertexTouchedByACircleFromOutside() {
        LonLat v = at(37.16, 36.2);
        Footprint.Polygon tri = new Footprint.Polygon(List.of(v, at(37.10, 36.15), at(37.22, 36.15)));
        assertThat(Intersection.meets(tri, circle(direct(v, 0, 50.005), 50))).isTrue();
        assertThat(Intersection.meets(tri, circle(direct(v, 0, 50.025), 50))).isFalse();
    }

    @Test
    void polygons_crossingWithoutAVertexInsideTheOther_meet() {
        Footprint.Polygon wide = new Footprint.Polygon(List.of(at(36.0, 36.0), at(36.4, 36.0), at(36.4, 36.1), at(36.0, 36.1)));
        Footprint.Polygon tall = new Footprint.Polygon(List.of(at(36.15, 35.8), at(36.25, 35.8), at(36.25, 36.3), at(36.15, 36.3)));
        assertThat(Intersection.meets(wide, tall)).isTrue();
        assertThat(Intersection.gap(wide, tall)).isZero();
        Footprint.Polygon apart = new Footprint.Polygon(List.of(at(36.5, 36.0), at(36.6, 36.0), at(36.6, 36.1)));
        assertThat(Intersection.meets(wide, apart)).isFalse();
    }

    // ---- corridors ----

    /** A corridor that turns back on itself by 170°: the apex is rounded by the half-width, exactly. */
    @Test
    void corridor_sharpTurn_apexAndInnerSide() {
        LonLat a = at(36.5, 36.0);
        LonLat b = direct(a, 90, 50_000);
        double back = G.Inverse(b.lat(), b.lon(), a.lat(), a.lon()).azi1;
        LonLat c = direct(b, back + 10, 50_000);
        double w = 500;
        Footprint.Corridor corridor = new Footprint.Corridor(List.of(a, b, c), w);
        double forward = G.Inverse(a.lat(), a.lon(), b.lat(), b.lon()).azi2;
        double r = 200;
        assertThat(Intersection.meets(corridor, circle(direct(b, forward, w + r + 0.005), r))).as("beyond the apex").isTrue();
        assertThat(Intersection.meets(corridor, circle(direct(b, forward, w + r + 0.025), r))).isFalse();
        LonLat inner = direct(b, back + 5, 2_000);
        assertThat(Intersection.meets(corridor, circle(inner, 1))).as("between the two legs, 2 km from the apex").isTrue();
        LonLat farInner = direct(b, back + 5, 20_000);
        assertThat(Intersection.meets(corridor, circle(farInner, 1))).as("between the legs, 1.7 km from each").isFalse();
    }

    @Test
    void corridor_circleBesideALegAtAKnownDistance() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            LonLat a = at(-180 + rng.nextDouble() * 360, -80 + rng.nextDouble() * 160);
            double azi = rng.nextDouble() * 360;
            double len = 5_000 + rng.nextDouble() * 95_000;
            LonLat b = direct(a, azi, len);
            GeodesicData inv = G.Inverse(a.lat(), a.lon(), b.lat(), b.lon());
            GeodesicData p = G.Line(a.lat(), a.lon(), inv.azi1).Position(len * (0.2 + 0.6 * rng.nextDouble()));
            LonLat foot = at(p.lon2, p.lat2);
            double side = p.azi2 + (rng.nextBoolean() ? 90 : -90);
            double w = 50 + rng.nextDouble() * 5_000;
            double r = 10 + rng.nextDouble() * 1_000;
            Footprint.Corridor leg = new Footprint.Corridor(List.of(a, b), w);
            assertThat(Intersection.meets(leg, circle(direct(foot, side, w + r + 0.01), r))).as("case %d", i).isTrue();
            assertThat(Intersection.meets(leg, circle(direct(foot, side, w + r + 0.025), r))).as("case %d", i).isFalse();
        }
    }
}
