package org.truce.core.geo;

import net.sf.geographiclib.GeodesicData;
import org.jspecify.annotations.Nullable;
import net.sf.geographiclib.GeodesicMask;

/**
 * A footprint prepared for deciding quickly, and with certainty, whether it meets another: a filter in
 * front of the exact computation of {@link Intersection#gap}, in the manner of the filtered predicates
 * of computational geometry. Its core's vertices are held as Earth-centred Cartesian points on the
 * ellipsoid, each geodesic edge as the straight chord between its ends, with a proven bound on how far
 * the edge strays from its chord; distances between chords then give certified lower and upper bounds
 * on the geodesic distance between the cores:
 *
 * <ul>
 *   <li>A geodesic of length {@code L} between points a chord {@code c} apart lies within the ellipsoid
 *       of revolution with those points as foci and major axis {@code L} (every point of it is within
 *       {@code L} of both ends together), so within {@code √(L² − c²) / 2} of the chord; and since it
 *       runs from one end to the other, every point of the chord has a point of the geodesic that far
 *       from it at most.
 *   <li>The geodesic distance between two points is at least their chord, and at most
 *       {@code 2ρ·asin(c / 2ρ)} where ρ = b²/a is the least radius of curvature of the WGS84 ellipsoid:
 *       a geodesic bends no more than a circle of radius ρ, so by Schur's comparison theorem its chord
 *       is at least that of such an arc of the same length.
 * </ul>
 *
 * <p>When the bounds do not settle a pair of edges, the longer is split at its geodesic midpoint
 * (each halving divides the bound by about four) down to {@link #FINEST}; only what is still undecided
 * after that goes to the exact computation. Whether a point lies inside a polygon is decided on the
 * chords in the central projection from the Earth's centre, where chords are straight lines, and
 * trusted only when the point is clear of every chord by three times its bound. Immutable.
 */
public final class Prepared {
    /** What the filter concluded about two footprints. */
    public enum Verdict { MEET, APART, UNSURE }

    private static final double A = 6_378_137.0;
    private static final double F = 1 / 298.257223563;
    private static final double E2 = F * (2 - F);
    /** The least radius of curvature of the WGS84 ellipsoid (meridional, at the equator), in metres. */
    static final double RHO = A * (1 - F) * (1 - F);
    /** Pieces are not split below this length, in metres; a pair still undecided then is computed exactly. */
    static final double FINEST = 50;
    /** Room for rounding in every bound, in metres. */
    private static final double SLACK = 1e-6;

    private final Footprint footprint;
    private final double grow;
    private final boolean region;
    /** Vertices of the core, as Cartesian coordinates in metres. */
    private final double[] xyz;
    /** A sphere holding every point of the core: its centre and radius. */
    private final double cx;
    private final double cy;
    private final double cz;
    private final double radius;
    /** For a polygon: the plane of the central projection (unit normal n, axes u and v) and the projected ring. */
    private final double[] plane;
    private final double[] px;
    private final double[] py;
    /** The core's pieces: its edges, each with its geodesic length and how far it strays from its chord, or its single point. */
    private final Piece[] pieces;

    private Prepared(Footprint f) {
        this.footprint = f;
        java.util.List<LonLat> points;
        if (f instanceof Footprint.Polygon p) {
            points = p.ring();
            grow = 0;
            region = true;
        } else if (f instanceof Footprint.Circle c) {
            points = java.util.List.of(c.center());
            grow = c.radius();
            region = false;
        } else {
            Footprint.Corridor c = (Footprint.Corridor) f;
            points = c.line();
            grow = c.halfWidth();
            region = false;
        }
        int n = points.size();
        xyz = new double[3 * n];
        for (int i = 0; i < n; i++) {
            cartesian(points.get(i).lat(), points.get(i).lon(), xyz, 3 * i);
        }
        int edges = n == 1 ? 0 : region ? n : n - 1;
        double worst = 0;
        if (edges == 0) {
            double[] p = slice(xyz, 0);
            pieces = new Piece[] {new Piece(points.get(0).lat(), points.get(0).lon(), points.get(0).lat(), points.get(0).lon(), p, p,
                    0, 0)};
        } else {
            pieces = new Piece[edges];
            for (int e = 0; e < edges; e++) {
                LonLat a = points.get(e);
                LonLat b = points.get((e + 1) % n);
                double length = Geodesy.WGS84.Inverse(a.lat(), a.lon(), b.lat(), b.lon(), GeodesicMask.DISTANCE).s12;
                double[] p = slice(xyz, e);
                double[] q = slice(xyz, (e + 1) % n);
                double stray = stray(length, chord(p, 0, q, 0));
                worst = Math.max(worst, stray);
                pieces[e] = new Piece(a.lat(), a.lon(), b.lat(), b.lon(), p, q, length, stray);
            }
        }
        double sx = 0;
        double sy = 0;
        double sz = 0;
        for (int i = 0; i < n; i++) {
            sx += xyz[3 * i];
            sy += xyz[3 * i + 1];
            sz += xyz[3 * i + 2];
        }
        cx = sx / n;
        cy = sy / n;
        cz = sz / n;
        double r = 0;
        for (int i = 0; i < n; i++) {
            r = Math.max(r, Math.sqrt(sq(xyz[3 * i] - cx) + sq(xyz[3 * i + 1] - cy) + sq(xyz[3 * i + 2] - cz)));
        }
        radius = r + worst + SLACK;
        if (region) {
            plane = plane(cx, cy, cz);
            px = new double[n];
            py = new double[n];
            for (int i = 0; i < n; i++) {
                double[] q = project(plane, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
                px[i] = q[0];
                py[i] = q[1];
            }
        } else {
            plane = null;
            px = null;
            py = null;
        }
    }

    /** Prepares a footprint; the work is proportional to its vertices. */
    public static Prepared of(Footprint f) {
        return new Prepared(f);
    }

    public Footprint footprint() {
        return footprint;
    }

    /**
     * A box in degrees, {@code [west, south, east, north]}, holding every point within {@code extra}
     * metres of the footprint; null when such a box would reach a pole or cross the antimeridian. Derived
     * from the sphere that holds the core: a point of the surface within distance r of the sphere's
     * centre C lies within the angle 2·asin(r / 2(b − r)) of C's direction, which bounds its geocentric
     * latitude and its longitude; geodetic latitude follows from geocentric on the ellipsoid.
     */
    public double @org.jspecify.annotations.Nullable [] box(double extra) {
        double r = radius + grow + extra;
        double b = A * (1 - F);
        if (r >= b / 2) {
            return null;
        }
        double theta = 2 * Math.asin(r / (2 * (b - r))) + 1e-12;
        double psi = Math.atan2(cz, Math.hypot(cx, cy));
        double lo = psi - theta;
        double hi = psi + theta;
        if (hi >= Math.PI / 2 - 1e-9 || lo <= -Math.PI / 2 + 1e-9) {
            return null;
        }
        double widest = Math.max(Math.abs(lo), Math.abs(hi));
        double sinSpread = Math.sin(theta) / Math.cos(widest);
        if (sinSpread >= 1) {
            return null;
        }
        double spread = Math.toDegrees(Math.asin(sinSpread)) + 1e-9;
        double lambda = Math.toDegrees(Math.atan2(cy, cx));
        double west = lambda - spread;
        double east = lambda + spread;
        if (west < -180 || east > 180) {
            return null;
        }
        return new double[] {west, geodetic(lo) - 1e-9, east, geodetic(hi) + 1e-9};
    }

    /** A sphere holding every point of the footprint: its centre's Cartesian coordinates and its radius, in metres. */
    public double[] sphere() {
        return new double[] {cx, cy, cz, radius + grow};
    }

    /** Whether the spheres holding the two footprints, grown by their distances, come within tolerance. */
    public boolean near(Prepared o) {
        double centres = Math.sqrt(sq(cx - o.cx) + sq(cy - o.cy) + sq(cz - o.cz));
        return centres - radius - o.radius <= grow + o.grow + Intersection.TOLERANCE + SLACK;
    }

    private static double geodetic(double geocentric) {
        return Math.toDegrees(Math.atan(Math.tan(geocentric) / (1 - E2)));
    }

    /** Whether the two footprints meet (gap within {@link Intersection#TOLERANCE}), as far as the bounds can tell. */
    public Verdict compare(Prepared o) {
        double threshold = grow + o.grow + Intersection.TOLERANCE;
        if (!near(o)) {
            return Verdict.APART;
        }
        boolean unsure = false;
        // Pairs of pieces: edges, or the single vertex of a circle's core. A piece clear of the other
        // core's sphere cannot bring the cores within reach.
        for (Piece a : pieces) {
            if (a.clearOf(o.cx, o.cy, o.cz, o.radius, threshold)) {
                continue;
            }
            for (Piece b : o.pieces) {
                if (o.pieces.length > 1 && b.clearOf(a.mx, a.my, a.mz, a.extent, threshold)) {
                    continue;
                }
                Verdict v = decide(a, b, threshold, 0);
                if (v == Verdict.MEET) {
                    return Verdict.MEET;
                }
                unsure |= v == Verdict.UNSURE;
            }
        }
        // The cores may overlap with no edges near: one region holds the other's first vertex.
        Verdict in = contains(o, 0);
        if (in == Verdict.MEET) {
            return Verdict.MEET;
        }
        Verdict back = o.contains(this, 0);
        if (back == Verdict.MEET) {
            return Verdict.MEET;
        }
        return unsure || in == Verdict.UNSURE || back == Verdict.UNSURE ? Verdict.UNSURE : Verdict.APART;
    }

    /** A piece of a core: a geodesic segment (or a single point) with its ends' coordinates and length. */
    private static final class Piece {
        final double lat1;
        final double lon1;
        final double lat2;
        final double lon2;
        final double[] p;
        final double[] q;
        final double length;
        final double stray;
        /** The chord's midpoint, and how far from it the piece reaches. */
        final double mx;
        final double my;
        final double mz;
        final double extent;
        /** The unit normal of the plane through the Earth's centre and the chord; zero for a point. */
        final double nx;
        final double ny;
        final double nz;
        /** How many splits from an edge of the footprint. */
        final int depth;
        /** The two halves, once computed, for pieces near the edge's top: footprints in the index are checked often. */
        private volatile Piece @Nullable [] halves;

        Piece(double lat1, double lon1, double lat2, double lon2, double[] p, double[] q, double length, double stray) {
            this(lat1, lon1, lat2, lon2, p, q, length, stray, 0);
        }

        Piece(double lat1, double lon1, double lat2, double lon2, double[] p, double[] q, double length, double stray,
                int depth) {
            this.depth = depth;
            this.lat1 = lat1;
            this.lon1 = lon1;
            this.lat2 = lat2;
            this.lon2 = lon2;
            this.p = p;
            this.q = q;
            this.length = length;
            this.stray = stray;
            mx = (p[0] + q[0]) / 2;
            my = (p[1] + q[1]) / 2;
            mz = (p[2] + q[2]) / 2;
            extent = chord(p, 0, q, 0) / 2 + stray + SLACK;
            double x = p[1] * q[2] - p[2] * q[1];
            double y = p[2] * q[0] - p[0] * q[2];
            double z = p[0] * q[1] - p[1] * q[0];
            double l = Math.sqrt(x * x + y * y + z * z);
            nx = l == 0 ? 0 : x / l;
            ny = l == 0 ? 0 : y / l;
            nz = l == 0 ? 0 : z / l;
        }

        Piece[] halves() {
            Piece[] h = halves;
            if (h == null) {
                h = split(this);
                if (depth < KEPT_DEPTH) {
                    halves = h;
                }
            }
            return h;
        }

        /** Whether every point of the piece is further than the threshold from the sphere given. */
        boolean clearOf(double x, double y, double z, double r, double threshold) {
            return Math.sqrt(sq(mx - x) + sq(my - y) + sq(mz - z)) - extent - r > threshold + SLACK;
        }
    }

    private static final int MAX_DEPTH = 16;

    private static Verdict decide(Piece a, Piece b, double threshold, int depth) {
        double c = segmentDistance(a.p, a.q, b.p, b.q);
        double s = a.stray + b.stray;
        if (upper(c + s) <= threshold || crosses(a, b)) {
            return Verdict.MEET;
        }
        if (c - s - SLACK > threshold) {
            return Verdict.APART;
        }
        if (depth >= MAX_DEPTH || Math.max(a.length, b.length) < FINEST) {
            return Verdict.UNSURE;
        }
        boolean splitA = a.stray > b.stray || (a.stray == b.stray && a.length >= b.length);
        Piece whole = splitA ? a : b;
        Piece[] halves = whole.halves();
        Verdict result = Verdict.APART;
        for (Piece h : halves) {
            Verdict v = splitA ? decide(h, b, threshold, depth + 1) : decide(a, h, threshold, depth + 1);
            if (v == Verdict.MEET) {
                return Verdict.MEET;
            }
            if (v == Verdict.UNSURE) {
                result = Verdict.UNSURE;
            }
        }
        return result;
    }

    /**
     * Whether the two geodesic pieces surely cross. Each lies within its bound of the plane through
     * the Earth's centre and its chord; when each piece's ends lie beyond that distance on opposite
     * sides of the other's plane, the two pieces run across the four-sided patch where the two slabs
     * meet from side to opposite side, one between each pair, and so must meet. (Both pieces lie
     * within a few thousand kilometres of each other here, so the slabs' other meeting, at the
     * antipodes, is not the one between the ends.)
     */
    private static boolean crosses(Piece a, Piece b) {
        if (a.nx == 0 && a.ny == 0 && a.nz == 0 || b.nx == 0 && b.ny == 0 && b.nz == 0) {
            return false;
        }
        double p1 = b.nx * a.p[0] + b.ny * a.p[1] + b.nz * a.p[2];
        double q1 = b.nx * a.q[0] + b.ny * a.q[1] + b.nz * a.q[2];
        double p2 = a.nx * b.p[0] + a.ny * b.p[1] + a.nz * b.p[2];
        double q2 = a.nx * b.q[0] + a.ny * b.q[1] + a.nz * b.q[2];
        double sa = b.stray + SLACK;
        double sb = a.stray + SLACK;
        return (p1 > sa && q1 < -sa || p1 < -sa && q1 > sa) && (p2 > sb && q2 < -sb || p2 < -sb && q2 > sb)
                && a.p[0] * b.p[0] + a.p[1] * b.p[1] + a.p[2] * b.p[2] > 0;
    }

    /** The two halves of a geodesic piece, split at its midpoint computed on the ellipsoid. */
    /** Splits are kept on a prepared footprint's pieces to this depth: at most 31 pieces an edge. */
    private static final int KEPT_DEPTH = 4;

    private static Piece[] split(Piece w) {
        GeodesicData inv = Geodesy.WGS84.Inverse(w.lat1, w.lon1, w.lat2, w.lon2, GeodesicMask.AZIMUTH);
        GeodesicData mid = Geodesy.WGS84.Direct(w.lat1, w.lon1, inv.azi1, w.length / 2);
        double[] m = new double[3];
        cartesian(mid.lat2, mid.lon2, m, 0);
        double half = w.length / 2;
        return new Piece[] {
            new Piece(w.lat1, w.lon1, mid.lat2, mid.lon2, w.p, m, half, stray(half, chord(w.p, 0, m, 0)), w.depth + 1),
            new Piece(mid.lat2, mid.lon2, w.lat2, w.lon2, m, w.q, half, stray(half, chord(m, 0, w.q, 0)), w.depth + 1),
        };
    }

    /**
     * Whether this footprint's region holds vertex {@code k} of the other's core: MEET when it surely
     * does, APART when it surely does not (or this is no region), UNSURE when the vertex is too near an
     * edge for the chords to tell.
     */
    private Verdict contains(Prepared o, int k) {
        if (!region) {
            return Verdict.APART;
        }
        double x = o.xyz[3 * k];
        double y = o.xyz[3 * k + 1];
        double z = o.xyz[3 * k + 2];
        // Far beyond the sphere that holds the ring, the vertex is outside it.
        if (Math.sqrt(sq(x - cx) + sq(y - cy) + sq(z - cz)) > radius + SLACK) {
            return Verdict.APART;
        }
        double[] v = {x, y, z};
        int n = px.length;
        for (Piece edge : pieces) {
            if (edge.clearOf(x, y, z, 0, 3 * edge.stray + 1e-3)) {
                continue;
            }
            if (segmentDistance(v, v, edge.p, edge.q) <= 3 * edge.stray + 1e-3) {
                return Verdict.UNSURE;
            }
        }
        double[] q = project(plane, x, y, z);
        boolean inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            if ((py[i] > q[1]) != (py[j] > q[1])
                    && q[0] < (px[j] - px[i]) * (q[1] - py[i]) / (py[j] - py[i]) + px[i]) {
                inside = !inside;
            }
        }
        return inside ? Verdict.MEET : Verdict.APART;
    }

    // ---- arithmetic ----

    static double upper(double chord) {
        double c = chord + SLACK;
        return c >= 2 * RHO ? Double.POSITIVE_INFINITY : 2 * RHO * Math.asin(c / (2 * RHO)) + SLACK;
    }

    /** The bound on how far a geodesic of this length strays from its chord. */
    static double stray(double length, double chord) {
        double over = Math.max(0, length - chord) + SLACK;
        return Math.sqrt(over * (length + chord + SLACK)) / 2 + SLACK;
    }

    static void cartesian(double latDeg, double lonDeg, double[] out, int at) {
        double phi = Math.toRadians(latDeg);
        double lambda = Math.toRadians(lonDeg);
        double sin = Math.sin(phi);
        double cos = Math.cos(phi);
        double nu = A / Math.sqrt(1 - E2 * sin * sin);
        out[at] = nu * cos * Math.cos(lambda);
        out[at + 1] = nu * cos * Math.sin(lambda);
        out[at + 2] = nu * (1 - E2) * sin;
    }

    private static double[] slice(double[] a, int i) {
        return new double[] {a[3 * i], a[3 * i + 1], a[3 * i + 2]};
    }

    private static double chord(double[] a, int i, double[] b, int j) {
        return Math.sqrt(sq(a[i] - b[j]) + sq(a[i + 1] - b[j + 1]) + sq(a[i + 2] - b[j + 2]));
    }

    private static double sq(double x) {
        return x * x;
    }

    /** A projection plane through the centre's direction: the unit normal, then two unit axes. */
    private static double[] plane(double x, double y, double z) {
        double l = Math.sqrt(x * x + y * y + z * z);
        double nx = x / l;
        double ny = y / l;
        double nz = z / l;
        // An axis not parallel to n, crossed with it.
        double ax = Math.abs(nz) < 0.9 ? 0 : 1;
        double az = Math.abs(nz) < 0.9 ? 1 : 0;
        double ux = ny * az - nz * 0;
        double uy = nz * ax - nx * az;
        double uz = nx * 0 - ny * ax;
        double ul = Math.sqrt(ux * ux + uy * uy + uz * uz);
        ux /= ul;
        uy /= ul;
        uz /= ul;
        double vx = ny * uz - nz * uy;
        double vy = nz * ux - nx * uz;
        double vz = nx * uy - ny * ux;
        return new double[] {nx, ny, nz, ux, uy, uz, vx, vy, vz};
    }

    /** The central projection of a point onto the plane at unit distance along n, as (u, v). */
    private static double[] project(double[] pl, double x, double y, double z) {
        double t = x * pl[0] + y * pl[1] + z * pl[2];
        return new double[] {(x * pl[3] + y * pl[4] + z * pl[5]) / t, (x * pl[6] + y * pl[7] + z * pl[8]) / t};
    }

    /** The distance between segments p1–q1 and p2–q2 in space (a segment may be a point). */
    static double segmentDistance(double[] p1, double[] q1, double[] p2, double[] q2) {
        double d1x = q1[0] - p1[0];
        double d1y = q1[1] - p1[1];
        double d1z = q1[2] - p1[2];
        double d2x = q2[0] - p2[0];
        double d2y = q2[1] - p2[1];
        double d2z = q2[2] - p2[2];
        double rx = p1[0] - p2[0];
        double ry = p1[1] - p2[1];
        double rz = p1[2] - p2[2];
        double a = d1x * d1x + d1y * d1y + d1z * d1z;
        double e = d2x * d2x + d2y * d2y + d2z * d2z;
        double f = d2x * rx + d2y * ry + d2z * rz;
        double s;
        double t;
        if (a == 0 && e == 0) {
            s = 0;
            t = 0;
        } else if (a == 0) {
            s = 0;
            t = clamp(f / e);
        } else {
            double c = d1x * rx + d1y * ry + d1z * rz;
            if (e == 0) {
                t = 0;
                s = clamp(-c / a);
            } else {
                double b = d1x * d2x + d1y * d2y + d1z * d2z;
                double denom = a * e - b * b;
                s = denom > 0 ? clamp((b * f - c * e) / denom) : 0;
                t = (b * s + f) / e;
                if (t < 0) {
                    t = 0;
                    s = clamp(-c / a);
                } else if (t > 1) {
                    t = 1;
                    s = clamp((b - c) / a);
                }
            }
        }
        double x = rx + d1x * s - d2x * t;
        double y = ry + d1y * s - d2y * t;
        double z = rz + d1z * s - d2z * t;
        return Math.sqrt(x * x + y * y + z * z);
    }

    private static double clamp(double x) {
        return x < 0 ? 0 : x > 1 ? 1 : x;
    }
}
