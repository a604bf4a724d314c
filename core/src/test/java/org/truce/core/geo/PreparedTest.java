package org.truce.core.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicLine;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The filter in front of the exact computation: it may leave a pair undecided, but what it decides
 * must be what the exact computation decides, for shapes anywhere on the Earth (near the poles and
 * across the antimeridian included) from metres to hundreds of kilometres, and at gaps on both sides
 * of the tolerance by a millimetre.
 */
class PreparedTest {
    private static final Geodesic G = Geodesic.WGS84;

    private static LonLat at(double lon, double lat) {
        return new LonLat(Math.IEEEremainder(lon, 360) == -180 ? 180 : Math.IEEEremainder(lon, 360), lat);
    }

    private static LonLat direct(LonLat from, double azi, double s) {
        GeodesicData d = G.Direct(from.lat(), from.lon(), azi, s);
        return at(d.lon2, d.lat2);
    }

    /** A random shape of a random size near {@code c}. */
    private static Footprint shape(SplittableRandom rng, LonLat c, double size) {
        double kind = rng.nextDouble();
        if (kind < 0.33) {
            return new Footprint.Circle(c, size * (0.05 + rng.nextDouble()));
        }
        if (kind < 0.66) {
            List<LonLat> line = new ArrayList<>(List.of(c));
            int legs = 1 + rng.nextInt(3);
            double azi = rng.nextDouble() * 360;
            for (int i = 0; i < legs; i++) {
                azi += rng.nextDouble() * 120 - 60;
                line.add(direct(line.get(line.size() - 1), azi, size * (0.2 + rng.nextDouble())));
            }
            return new Footprint.Corridor(line, size * 0.01 * (0.1 + rng.nextDouble()));
        }
        // A star-shaped ring around c: simple by construction.
        int n = 3 + rng.nextInt(10);
        List<LonLat> ring = new ArrayList<>();
        double start = rng.nextDouble() * 360;
        for (int i = 0; i < n; i++) {
            ring.add(direct(c, start + 360.0 * i / n, size * (0.3 + 0.7 * rng.nextDouble())));
        }
        return new Footprint.Polygon(ring);
    }

    private static LonLat anywhere(SplittableRandom rng) {
        double pick = rng.nextDouble();
        if (pick < 0.15) {
            return at(-180 + rng.nextDouble() * 360, (rng.nextBoolean() ? 1 : -1) * (88 + rng.nextDouble() * 1.99));
        }
        if (pick < 0.3) {
            return at(179.5 + rng.nextDouble(), -60 + rng.nextDouble() * 120);
        }
        return at(-180 + rng.nextDouble() * 360, -85 + rng.nextDouble() * 170);
    }

    private static Footprint withGrow(Footprint f, double grow) {
        if (f instanceof Footprint.Circle c) {
            return new Footprint.Circle(c.center(), grow);
        }
        return new Footprint.Corridor(((Footprint.Corridor) f).line(), grow);
    }

    private static double grow(Footprint f) {
        return f instanceof Footprint.Circle c ? c.radius() : f instanceof Footprint.Corridor c ? c.halfWidth() : 0;
    }

    /** A footprint set a gap, in metres, from another. */
    private record Apart(Footprint b, double gap) {}

    /**
     * {@code b} (a circle or a corridor) with its radius or half-width sized from the exact distance
     * between the cores, so that it lies one of the {@code gaps}, drawn at random, from {@code a}; null
     * for a polygon (nothing drawn), or when the cores are too close for that gap.
     */
    private static @Nullable Apart setApart(SplittableRandom rng, double[] gaps, Footprint a, Footprint b) {
        if (b instanceof Footprint.Polygon) {
            return null;
        }
        double gap = gaps[rng.nextInt(gaps.length)];
        double core = Intersection.distance(a, withGrow(b, 1e-9)) + grow(a);
        double r = core - grow(a) - gap;
        return core < 1 || r <= 0.001 ? null : new Apart(withGrow(b, r), gap);
    }

    /**
     * Pairs set a chosen gap apart by sizing the second shape's radius or half-width from the exact
     * distance between the cores: the filter never contradicts the gap, and the whole decision
     * (filter, then exact when unsure) is right on both sides of the tolerance.
     */
    @Test
    void decidesAsTheGapSays_onBothSidesOfTheTolerance() {
        SplittableRandom rng = new SplittableRandom(20160917);
        double[] gaps = {-500, -1, 0.005, 0.01, 0.014, 0.016, 0.025, 0.1, 1, 250};
        int decided = 0;
        int pairs = 0;
        while (pairs < 3_000) {
            double size = Math.pow(10, 1 + rng.nextDouble() * 4.5);
            LonLat c = anywhere(rng);
            Footprint a = shape(rng, c, size);
            Footprint b = shape(rng, direct(c, rng.nextDouble() * 360, size * rng.nextDouble() * 3), size);
            Apart apart = setApart(rng, gaps, a, b);
            if (apart == null) {
                continue;
            }
            Footprint b2 = apart.b();
            double gap = apart.gap();
            pairs++;
            Prepared.Verdict v = Prepared.of(a).compare(Prepared.of(b2));
            boolean meet = gap <= Intersection.TOLERANCE;
            if (v != Prepared.Verdict.UNSURE) {
                decided++;
                assertThat(v == Prepared.Verdict.MEET).as("%s against %s, %s m apart", a, b2, gap).isEqualTo(meet);
            }
            assertThat(Intersection.meets(a, b2)).as("%s against %s, %s m apart", a, b2, gap).isEqualTo(meet);
        }
        assertThat(decided).as("pairs the filter settled").isGreaterThan(pairs / 2);
    }

    /** Shapes overlapping deeply or far apart, as most pairs a check sees are, are settled without the exact computation. */
    @Test
    void settlesPairsThatAreNotOnTheEdge() {
        SplittableRandom rng = new SplittableRandom(4);
        int unsure = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double size = Math.pow(10, 2 + rng.nextDouble() * 3);
            LonLat c = anywhere(rng);
            Prepared a = Prepared.of(shape(rng, c, size));
            Prepared b = Prepared.of(shape(rng, direct(c, rng.nextDouble() * 360, size * rng.nextDouble() * 4), size));
            Prepared.Verdict v = a.compare(b);
            if (v == Prepared.Verdict.UNSURE) {
                unsure++;
            } else {
                assertThat(v == Prepared.Verdict.MEET).isEqualTo(Intersection.gap(a.footprint(), b.footprint()) <= Intersection.TOLERANCE);
            }
        }
        assertThat(unsure).as("pairs left to the exact computation, of %d", n).isLessThan(n / 100);
    }

    /** A corridor of many segments wandering from {@code c}, or a star-shaped ring of many vertices around it. */
    private static Footprint large(SplittableRandom rng, LonLat c, double size, int vertices, boolean ring) {
        if (!ring) {
            List<LonLat> line = new ArrayList<>(List.of(c));
            double azi = rng.nextDouble() * 360;
            for (int i = 1; i < vertices; i++) {
                azi += rng.nextDouble() * 60 - 30;
                line.add(direct(line.get(i - 1), azi, size / vertices * (0.5 + rng.nextDouble())));
            }
            return new Footprint.Corridor(line, size * 0.002 * (0.1 + rng.nextDouble()));
        }
        List<LonLat> points = new ArrayList<>();
        double start = rng.nextDouble() * 360;
        for (int i = 0; i < vertices; i++) {
            points.add(direct(c, start + 360.0 * i / vertices, size * (0.3 + 0.7 * rng.nextDouble())));
        }
        return new Footprint.Polygon(points);
    }

    /** The summary an index keeps of a footprint, on its own. */
    private static double[] summary(Prepared p) {
        double[] s = new double[Prepared.SUMMARY];
        p.summary(s, 0);
        return s;
    }

    /**
     * Footprints of tens to a hundred edges, whose trees of edges have several levels, set a chosen gap
     * from a small shape or another long corridor: the filter, walking either tree, never contradicts
     * the exact computation, nor does a decision from the other's summary.
     */
    @Test
    void largeFootprints_decideAsTheGapSays_walkingTheirTrees() {
        SplittableRandom rng = new SplittableRandom(1999);
        double[] gaps = {-100, -1, 0.005, 0.01, 0.014, 0.016, 0.025, 1, 100};
        int pairs = 0;
        int clear = 0;
        int decided = 0;
        while (pairs < 160) {
            double size = Math.pow(10, 3 + rng.nextDouble() * 2);
            LonLat c = anywhere(rng);
            boolean bothLong = pairs % 4 == 0;
            Footprint a = large(rng, c, size, bothLong ? 12 + rng.nextInt(20) : 20 + rng.nextInt(80), rng.nextBoolean());
            LonLat near = direct(c, rng.nextDouble() * 360, size * rng.nextDouble() * 1.2);
            Footprint b = bothLong ? large(rng, near, size, 10 + rng.nextInt(15), false) : shape(rng, near, size / 5);
            Apart apart = setApart(rng, gaps, a, b);
            if (apart == null) {
                continue;
            }
            Footprint b2 = apart.b();
            double gap = apart.gap();
            pairs++;
            boolean meet = gap <= Intersection.TOLERANCE;
            Prepared pa = Prepared.of(a);
            Prepared pb = Prepared.of(b2);
            List<Prepared.Verdict> full = List.of(pa.compare(pb), pb.compare(pa));
            for (Prepared.Verdict v : List.of(full.get(0), full.get(1), pa.compare(summary(pb), 0), pb.compare(summary(pa), 0))) {
                if (v != Prepared.Verdict.UNSURE) {
                    assertThat(v == Prepared.Verdict.MEET).as("%s against %s, %s m apart", a, b2, gap).isEqualTo(meet);
                }
            }
            if (Math.abs(gap) >= 1) {
                clear += 2;
                decided += (int) full.stream().filter(v -> v != Prepared.Verdict.UNSURE).count();
            }
            assertThat(Intersection.meets(pa, pb)).as("%s against %s, %s m apart", a, b2, gap).isEqualTo(meet);
        }
        assertThat(decided).as("pairs a metre or more from the tolerance that the filter settled, of %d", clear)
                .isGreaterThan(clear * 95 / 100);
    }

    /**
     * Points inside and outside polygons of hundreds to thousands of vertices, and near their edges:
     * containment, opening only the nodes of the tree that straddle the point, agrees with the exact
     * test.
     */
    @Test
    void largePolygons_holdWhatTheExactTestSaysTheyHold() {
        SplittableRandom rng = new SplittableRandom(2000);
        int decided = 0;
        int n = 0;
        for (int k = 0; k < 12; k++) {
            double size = Math.pow(10, 3 + rng.nextDouble() * 2);
            LonLat c = anywhere(rng);
            Footprint.Polygon ring = (Footprint.Polygon) large(rng, c, size, 200 + rng.nextInt(1_800), true);
            Prepared polygon = Prepared.of(ring);
            for (int i = 0; i < 25; i++) {
                LonLat p = direct(c, rng.nextDouble() * 360, size * rng.nextDouble() * 1.1);
                Footprint dot = new Footprint.Circle(p, 0.001 + rng.nextDouble() * (i % 2 == 0 ? 1 : size / 50));
                boolean meet = Intersection.gap(ring, dot) <= Intersection.TOLERANCE;
                Prepared pd = Prepared.of(dot);
                for (Prepared.Verdict v : List.of(polygon.compare(pd), pd.compare(polygon), polygon.compare(summary(pd), 0))) {
                    n++;
                    if (v != Prepared.Verdict.UNSURE) {
                        decided++;
                        assertThat(v == Prepared.Verdict.MEET).as("%s in a ring of %d around %s", dot, ring.ring().size(), c).isEqualTo(meet);
                    }
                }
            }
        }
        assertThat(decided).as("verdicts settled, of %d", n).isGreaterThan(n * 9 / 10);
    }

    /**
     * What an index decides from a footprint's summary never contradicts the exact computation, and a
     * single piece (a circle or a corridor of one segment) is nearly always decided from it alone.
     */
    @Test
    void summaries_decideAsTheExactComputation() {
        SplittableRandom rng = new SplittableRandom(17);
        int singles = 0;
        int singlesDecided = 0;
        for (int i = 0; i < 5_000; i++) {
            double size = Math.pow(10, 2 + rng.nextDouble() * 3);
            LonLat c = anywhere(rng);
            Prepared a = Prepared.of(shape(rng, c, size));
            Prepared b = Prepared.of(shape(rng, direct(c, rng.nextDouble() * 360, size * rng.nextDouble() * 3), size));
            Prepared.Verdict v = a.compare(summary(b), 0);
            boolean single = b.footprint() instanceof Footprint.Circle
                    || b.footprint() instanceof Footprint.Corridor k && k.line().size() == 2;
            singles += single ? 1 : 0;
            if (v != Prepared.Verdict.UNSURE) {
                singlesDecided += single ? 1 : 0;
                assertThat(v == Prepared.Verdict.MEET).as("%s against the summary of %s", a.footprint(), b.footprint())
                        .isEqualTo(Intersection.gap(a.footprint(), b.footprint()) <= Intersection.TOLERANCE);
            }
        }
        assertThat(singlesDecided).as("single pieces decided from their summary, of %d", singles).isGreaterThan(singles * 98 / 100);
    }

    /** Every point of a footprint, its outline sampled along its geodesic edges and its circles, lies in its box. */
    @Test
    void boxHoldsTheWholeFootprint() {
        SplittableRandom rng = new SplittableRandom(11);
        int boxes = 0;
        for (int i = 0; i < 2_000; i++) {
            double size = Math.pow(10, 1 + rng.nextDouble() * 5);
            Footprint f = shape(rng, anywhere(rng), size);
            double[] box = Prepared.of(f).box(0);
            if (box == null) {
                continue;
            }
            boxes++;
            for (LonLat p : outline(f)) {
                assertThat(p.lon()).as("%s in %s", p, f).isBetween(box[0], box[2]);
                assertThat(p.lat()).as("%s in %s", p, f).isBetween(box[1], box[3]);
            }
        }
        assertThat(boxes).isGreaterThan(1_000);
    }

    private static List<LonLat> outline(Footprint f) {
        List<LonLat> core;
        double grow = grow(f);
        boolean closed = f instanceof Footprint.Polygon;
        core = f instanceof Footprint.Polygon p ? p.ring() : f instanceof Footprint.Circle c ? List.of(c.center())
                : ((Footprint.Corridor) f).line();
        List<LonLat> along = new ArrayList<>(core);
        int edges = core.size() == 1 ? 0 : closed ? core.size() : core.size() - 1;
        for (int e = 0; e < edges; e++) {
            LonLat a = core.get(e);
            LonLat b = core.get((e + 1) % core.size());
            GeodesicData inv = G.Inverse(a.lat(), a.lon(), b.lat(), b.lon());
            GeodesicLine line = G.Line(a.lat(), a.lon(), inv.azi1);
            for (int k = 1; k < 50; k++) {
                GeodesicData p = line.Position(inv.s12 * k / 50);
                along.add(at(p.lon2, p.lat2));
            }
        }
        if (grow == 0) {
            return along;
        }
        List<LonLat> out = new ArrayList<>();
        for (LonLat p : along) {
            for (int k = 0; k < 36; k++) {
                out.add(direct(p, k * 10, grow));
            }
        }
        return out;
    }
}
