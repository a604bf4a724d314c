package org.truce.core.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether two footprints meet, decided on the ellipsoid. Each footprint is a core (a point, a line of
 * geodesic segments, or a polygon's region) grown by a distance (the radius, the half-width, or 0);
 * the gap between two footprints is the geodesic distance between their cores less both distances,
 * 0 when the cores overlap. Two footprints meet when the gap is within {@link #TOLERANCE}: shapes that
 * touch to within 1 cm meet, and the half centimetre beyond that absorbs the arithmetic's error, so a
 * conflict is never missed for want of precision. Stateless.
 */
public final class Intersection {
    /** Gaps up to this many metres count as meeting: 1 cm, plus half a centimetre towards a conflict. */
    public static final double TOLERANCE = 0.015;

    private Intersection() {}

    /** Whether the two footprints meet. */
    public static boolean meets(Footprint a, Footprint b) {
        return meets(Prepared.of(a), Prepared.of(b));
    }

    /**
     * Whether the two prepared footprints meet: settled by the certified bounds of {@link Prepared} when
     * they can, computed exactly otherwise.
     */
    public static boolean meets(Prepared a, Prepared b) {
        return switch (a.compare(b)) {
            case MEET -> true;
            case APART -> false;
            case UNSURE -> gap(a.footprint(), b.footprint()) <= TOLERANCE;
        };
    }

    /**
     * The geodesic distance between the two footprints, in metres; 0 when they overlap. When they are
     * far apart the answer is a lower bound of it, enough to tell that they do not meet.
     */
    public static double gap(Footprint a, Footprint b) {
        Core ca = core(a);
        Core cb = core(b);
        // Each core lies within its reach of its first point: when even the closest those bounds allow is
        // clear of tolerance, the shapes are apart by at least that much and no edge need be looked at.
        double apart = Geodesy.distance(ca.points().get(0), cb.points().get(0)) - reach(ca) - reach(cb) - grow(a) - grow(b);
        if (apart > TOLERANCE) {
            return apart;
        }
        return Math.max(0, coreDistance(ca, cb) - grow(a) - grow(b));
    }

    /** The geodesic distance between the two footprints, in metres, computed in full however far apart they are. */
    static double distance(Footprint a, Footprint b) {
        return Math.max(0, coreDistance(core(a), core(b)) - grow(a) - grow(b));
    }

    /** The largest distance from a core's first point to any of its points, along its geodesic edges. */
    private static double reach(Core c) {
        double r = 0;
        for (LonLat[] s : segments(c)) {
            double half = Geodesy.distance(s[0], s[1]) / 2;
            r = Math.max(r, Math.max(Geodesy.distance(c.points().get(0), s[0]), Geodesy.distance(c.points().get(0), s[1])) + half);
        }
        return r;
    }

    /** A footprint's core: its points, whether they close into a region, and whether they form a line. */
    private record Core(List<LonLat> points, boolean region) {}

    private static Core core(Footprint f) {
        if (f instanceof Footprint.Polygon p) {
            return new Core(p.ring(), true);
        }
        if (f instanceof Footprint.Circle c) {
            return new Core(List.of(c.center()), false);
        }
        return new Core(((Footprint.Corridor) f).line(), false);
    }

    private static double grow(Footprint f) {
        if (f instanceof Footprint.Circle c) {
            return c.radius();
        }
        return f instanceof Footprint.Corridor c ? c.halfWidth() : 0;
    }

    /** The segments of a core: a polygon's closing edge included, a point as one degenerate segment. */
    private static List<LonLat[]> segments(Core c) {
        List<LonLat> p = c.points();
        List<LonLat[]> out = new ArrayList<>();
        if (p.size() == 1) {
            out.add(new LonLat[] {p.get(0), p.get(0)});
            return out;
        }
        for (int i = 0; i + 1 < p.size(); i++) {
            out.add(new LonLat[] {p.get(i), p.get(i + 1)});
        }
        if (c.region()) {
            out.add(new LonLat[] {p.get(p.size() - 1), p.get(0)});
        }
        return out;
    }

    private static double coreDistance(Core x, Core y) {
        if (y.region() && x.points().stream().anyMatch(p -> Geodesy.inside(p, y.points()))) {
            return 0;
        }
        if (x.region() && y.points().stream().anyMatch(p -> Geodesy.inside(p, x.points()))) {
            return 0;
        }
        List<LonLat[]> xs = segments(x);
        List<LonLat[]> ys = segments(y);
        double best = Double.POSITIVE_INFINITY;
        for (LonLat[] s : xs) {
            for (LonLat[] t : ys) {
                if (s[0] != s[1] && t[0] != t[1] && Geodesy.segmentsCross(s[0], s[1], t[0], t[1])) {
                    return 0;
                }
                // Two segments that do not cross are closest at an end of one of them.
                best = Math.min(best, Math.min(Geodesy.distanceToSegment(s[0], t[0], t[1]),
                        Geodesy.distanceToSegment(s[1], t[0], t[1])));
                best = Math.min(best, Math.min(Geodesy.distanceToSegment(t[0], s[0], s[1]),
                        Geodesy.distanceToSegment(t[1], s[0], s[1])));
            }
        }
        return best;
    }
}
