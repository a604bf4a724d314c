package org.truce.core.geo;

import java.util.List;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicMask;
import org.jspecify.annotations.Nullable;

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
 *       from it at most. Any bound {@code L' ≥ L} gives a larger ellipsoid, so a bound as well.
 *   <li>The geodesic distance between two points is at least their chord, and at most
 *       {@code 2ρ·asin(c / 2ρ)} where ρ = b²/a is the least radius of curvature of the WGS84 ellipsoid:
 *       a geodesic bends no more than a circle of radius ρ, so by Schur's comparison theorem its chord
 *       is at least that of such an arc of the same length. An edge's length is bounded this way from
 *       its chord, with no geodesic computation.
 * </ul>
 *
 * <p>The pieces (edges, or a circle's single point) are held in one array, {@value #PIECE} numbers
 * each, and grouped in a tree of spheres over runs of consecutive edges, so that two long corridors or
 * large polygons compare only the edges near each other. When the bounds do not settle a pair of
 * edges, the longer is split at its geodesic midpoint (each halving divides the bound by about four)
 * down to {@link #FINEST}; only what is still undecided after that goes to the exact computation.
 * Whether a point lies inside a polygon is decided on the chords in the central projection from the
 * Earth's centre, where chords are straight lines, and trusted only when the point is clear of every
 * chord by three times its bound. An index can keep a footprint's {@link #summary} beside its other
 * fields and decide most pairs from it without reading the footprint: a single piece as surely as from
 * the footprint itself, short of splitting; anything else from the sphere that holds it and its first
 * vertex. Immutable, apart from halves of edges kept once computed.
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

    /**
     * Numbers a piece takes: its chord's ends p and q, the chord's midpoint, how far from that midpoint
     * the piece reaches, and how far the piece strays from its chord.
     */
    static final int PIECE = 11;
    private static final int P = 0;
    private static final int Q = 3;
    private static final int MID = 6;
    private static final int EXTENT = 9;
    private static final int STRAY = 10;

    /**
     * Numbers {@link #summary} writes: a piece's, then the growth. A core of one piece (a circle, or a
     * corridor of one segment) is that piece; another is its first vertex as p, the centre and radius
     * of a sphere holding it as the midpoint and the reach, and a stray of −1.
     */
    public static final int SUMMARY = PIECE + 1;
    private static final int S_GROW = PIECE;

    /** Pieces in a leaf of the tree, at most. */
    private static final int LEAF = 8;
    /**
     * Numbers a node of the tree takes: the centre and radius of a sphere holding its pieces, their
     * largest stray, for a region the range of the projected v and the largest projected u of their
     * ends, then its first piece, the end of its pieces, and where its right child starts (−1 for a
     * leaf; the left child follows the node).
     */
    private static final int NODE = 11;
    private static final int N_STRAY = 4;
    private static final int N_VMIN = 5;
    private static final int N_VMAX = 6;
    private static final int N_UMAX = 7;
    private static final int N_LO = 8;
    private static final int N_HI = 9;
    private static final int N_RIGHT = 10;

    /**
     * The numbers of a prepared footprint, all in one array so that comparing two reads two objects:
     * the centre and radius of a sphere holding the core, the growth, the number of pieces, whether
     * it is a region, where the tree and the projected ring start (0 for none), the plane of the
     * central projection (unit normal n, axes u and v; zero for no region), then the pieces, the tree
     * in preorder, and the ring's vertices as (u, v).
     */
    private static final int CX = 0;
    private static final int RADIUS = 3;
    private static final int GROW = 4;
    private static final int COUNT = 5;
    private static final int REGION = 6;
    private static final int TREE = 7;
    private static final int RING = 8;
    private static final int PLANE = 9;
    private static final int HEADER = 18;

    /** Outcomes of comparing pieces, ordered so that the larger wins when they are combined. */
    private static final int APART = 0;
    private static final int UNDECIDED = 1;
    private static final int MET = 2;

    private final Footprint footprint;
    private final List<LonLat> points;
    private final double[] d;
    /** Pieces as objects that keep their halves, made when an edge is first split. */
    private volatile Piece @Nullable [] objects;

    private Prepared(Footprint f) {
        this.footprint = f;
        double grow;
        boolean region;
        if (f instanceof Footprint.Polygon p) {
            points = p.ring();
            grow = 0;
            region = true;
        } else if (f instanceof Footprint.Circle c) {
            points = List.of(c.center());
            grow = c.radius();
            region = false;
        } else {
            Footprint.Corridor c = (Footprint.Corridor) f;
            points = c.line();
            grow = c.halfWidth();
            region = false;
        }
        int n = points.size();
        double[] xyz = new double[3 * n];
        for (int i = 0; i < n; i++) {
            cartesian(points.get(i).lat(), points.get(i).lon(), xyz, 3 * i);
        }
        int count = n == 1 ? 1 : region ? n : n - 1;
        double[] pieces = new double[count * PIECE];
        double worst = 0;
        for (int e = 0; e < count; e++) {
            int a = 3 * e;
            int b = 3 * ((e + 1) % n);
            double c = Math.sqrt(sq(xyz[a] - xyz[b]) + sq(xyz[a + 1] - xyz[b + 1]) + sq(xyz[a + 2] - xyz[b + 2]));
            // A point strays nowhere; an edge's length is bounded from its chord.
            double length = n == 1 ? 0 : upper(c);
            double stray = n == 1 ? 0 : stray(length, c);
            worst = Math.max(worst, stray);
            fill(pieces, e * PIECE, xyz[a], xyz[a + 1], xyz[a + 2], xyz[b], xyz[b + 1], xyz[b + 2], stray);
        }
        double sx = 0;
        double sy = 0;
        double sz = 0;
        for (int i = 0; i < n; i++) {
            sx += xyz[3 * i];
            sy += xyz[3 * i + 1];
            sz += xyz[3 * i + 2];
        }
        double cx = sx / n;
        double cy = sy / n;
        double cz = sz / n;
        double r = 0;
        for (int i = 0; i < n; i++) {
            r = Math.max(r, Math.sqrt(sq(xyz[3 * i] - cx) + sq(xyz[3 * i + 1] - cy) + sq(xyz[3 * i + 2] - cz)));
        }
        double[] plane = region ? plane(cx, cy, cz) : new double[9];
        double[] ring = new double[region ? 2 * n : 0];
        for (int i = 0; region && i < n; i++) {
            double t = xyz[3 * i] * plane[0] + xyz[3 * i + 1] * plane[1] + xyz[3 * i + 2] * plane[2];
            ring[2 * i] = (xyz[3 * i] * plane[3] + xyz[3 * i + 1] * plane[4] + xyz[3 * i + 2] * plane[5]) / t;
            ring[2 * i + 1] = (xyz[3 * i] * plane[6] + xyz[3 * i + 1] * plane[7] + xyz[3 * i + 2] * plane[8]) / t;
        }
        double[] tree = new double[(2 * (2 * count / LEAF + 1) + 1) * NODE];
        int treeAt = HEADER + pieces.length;
        int used = build(pieces, ring, 0, count, 0, tree, treeAt);
        d = new double[treeAt + used + ring.length];
        d[CX] = cx;
        d[CX + 1] = cy;
        d[CX + 2] = cz;
        d[RADIUS] = r + worst + SLACK;
        d[GROW] = grow;
        d[COUNT] = count;
        d[REGION] = region ? 1 : 0;
        d[TREE] = treeAt;
        d[RING] = region ? treeAt + used : 0;
        System.arraycopy(plane, 0, d, PLANE, 9);
        System.arraycopy(pieces, 0, d, HEADER, pieces.length);
        System.arraycopy(tree, 0, d, treeAt, used);
        System.arraycopy(ring, 0, d, treeAt + used, ring.length);
    }

    /** Prepares a footprint; the work is proportional to its vertices (and their logarithm, for the tree). */
    public static Prepared of(Footprint f) {
        return new Prepared(f);
    }

    public Footprint footprint() {
        return footprint;
    }

    /**
     * Writes the node over pieces [lo, hi) at {@code at} of {@code t}, and its children after it, with
     * their places in the array as they will be from {@code base} on; returns where the next node goes.
     */
    private static int build(double[] p, double[] ring, int lo, int hi, int at, double[] t, int base) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double minZ = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        double maxZ = Double.NEGATIVE_INFINITY;
        double maxStray = 0;
        for (int e = lo; e < hi; e++) {
            for (int end = e * PIECE + P; end <= e * PIECE + Q; end += Q - P) {
                minX = Math.min(minX, p[end]);
                minY = Math.min(minY, p[end + 1]);
                minZ = Math.min(minZ, p[end + 2]);
                maxX = Math.max(maxX, p[end]);
                maxY = Math.max(maxY, p[end + 1]);
                maxZ = Math.max(maxZ, p[end + 2]);
            }
            maxStray = Math.max(maxStray, p[e * PIECE + STRAY]);
        }
        double x = (minX + maxX) / 2;
        double y = (minY + maxY) / 2;
        double z = (minZ + maxZ) / 2;
        double r = 0;
        for (int e = lo; e < hi; e++) {
            for (int end = e * PIECE + P; end <= e * PIECE + Q; end += Q - P) {
                r = Math.max(r, Math.sqrt(sq(p[end] - x) + sq(p[end + 1] - y) + sq(p[end + 2] - z)));
            }
        }
        // A chord lies within the sphere holding its ends, and its piece within its stray of the chord.
        t[at] = x;
        t[at + 1] = y;
        t[at + 2] = z;
        t[at + 3] = r + maxStray + SLACK;
        t[at + N_STRAY] = maxStray;
        if (ring.length > 0) {
            double vMin = Double.POSITIVE_INFINITY;
            double vMax = Double.NEGATIVE_INFINITY;
            double uMax = Double.NEGATIVE_INFINITY;
            int n = ring.length / 2;
            for (int i = lo; i <= hi; i++) {
                int v = i % n;
                vMin = Math.min(vMin, ring[2 * v + 1]);
                vMax = Math.max(vMax, ring[2 * v + 1]);
                uMax = Math.max(uMax, ring[2 * v]);
            }
            t[at + N_VMIN] = vMin;
            t[at + N_VMAX] = vMax;
            t[at + N_UMAX] = uMax;
        }
        t[at + N_LO] = lo;
        t[at + N_HI] = hi;
        if (hi - lo <= LEAF) {
            t[at + N_RIGHT] = -1;
            return at + NODE;
        }
        int mid = (lo + hi) >>> 1;
        int right = build(p, ring, lo, mid, at + NODE, t, base);
        t[at + N_RIGHT] = base + right;
        return build(p, ring, mid, hi, right, t, base);
    }

    /**
     * A box in degrees, {@code [west, south, east, north]}, holding every point within {@code extra}
     * metres of the footprint; null when such a box would reach a pole or cross the antimeridian. Derived
     * from the sphere that holds the core: a point of the surface within distance r of the sphere's
     * centre C lies within the angle 2·asin(r / 2(b − r)) of C's direction, which bounds its geocentric
     * latitude and its longitude; geodetic latitude follows from geocentric on the ellipsoid.
     */
    public double @Nullable [] box(double extra) {
        double r = d[RADIUS] + d[GROW] + extra;
        double b = A * (1 - F);
        if (r >= b / 2) {
            return null;
        }
        double cx = d[CX];
        double cy = d[CX + 1];
        double cz = d[CX + 2];
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
        return new double[] {d[CX], d[CX + 1], d[CX + 2], d[RADIUS] + d[GROW]};
    }

    /** Whether the spheres holding the two footprints, grown by their distances, come within tolerance. */
    public boolean near(Prepared o) {
        return !apart(d, o.d[CX], o.d[CX + 1], o.d[CX + 2], o.d[RADIUS], d[GROW] + o.d[GROW] + Intersection.TOLERANCE);
    }

    /** Whether the sphere holding this core is further than the threshold from the sphere given. */
    private static boolean apart(double[] d, double x, double y, double z, double r, double threshold) {
        return Math.sqrt(sq(d[CX] - x) + sq(d[CX + 1] - y) + sq(d[CX + 2] - z)) - d[RADIUS] - r > threshold + SLACK;
    }

    /**
     * Writes {@value #SUMMARY} numbers at {@code at}: what {@link #compare(double[], int)} needs to decide
     * most pairs against this footprint without reading it, for an index to keep beside its other
     * fields. A single piece (a circle, or a corridor of one segment) is decided from its summary as
     * surely as from the footprint.
     */
    public void summary(double[] to, int at) {
        if (d[COUNT] == 1) {
            System.arraycopy(d, HEADER, to, at, PIECE);
        } else {
            System.arraycopy(d, HEADER + P, to, at + P, 3);
            System.arraycopy(d, CX, to, at + MID, 3);
            to[at + EXTENT] = d[RADIUS];
            to[at + STRAY] = -1;
        }
        to[at + S_GROW] = d[GROW];
    }

    /**
     * Reads this footprint's numbers, one in each cache line, so that comparing it soon after finds
     * them in the processor's cache: a caller with many footprints to compare touches them all first,
     * and their fetches from memory overlap. Returns a number to keep, so that the reads are not left
     * out.
     */
    public double touch() {
        double sum = 0;
        for (int i = 0; i < d.length; i += 8) {
            sum += d[i];
        }
        return sum + d[d.length - 1];
    }

    private static double geodetic(double geocentric) {
        return Math.toDegrees(Math.atan(Math.tan(geocentric) / (1 - E2)));
    }

    /** Whether the two footprints meet (gap within {@link Intersection#TOLERANCE}), as far as the bounds can tell. */
    public Verdict compare(Prepared o) {
        double[] b = o.d;
        double threshold = d[GROW] + b[GROW] + Intersection.TOLERANCE;
        if (apart(d, b[CX], b[CX + 1], b[CX + 2], b[RADIUS], threshold)) {
            return Verdict.APART;
        }
        // Pairs of pieces near each other, found by walking both trees together.
        int pairs = pairs((int) d[TREE], o, (int) b[TREE], threshold);
        if (pairs == MET) {
            return Verdict.MEET;
        }
        // The cores may overlap with no edges near: one region holds the other's first vertex.
        Verdict in = contains(b[HEADER + P], b[HEADER + P + 1], b[HEADER + P + 2]);
        if (in == Verdict.MEET) {
            return Verdict.MEET;
        }
        Verdict back = o.contains(d[HEADER + P], d[HEADER + P + 1], d[HEADER + P + 2]);
        if (back == Verdict.MEET) {
            return Verdict.MEET;
        }
        return pairs == UNDECIDED || in == Verdict.UNSURE || back == Verdict.UNSURE ? Verdict.UNSURE : Verdict.APART;
    }

    /**
     * What the {@link #summary} of another footprint at {@code at} tells of whether the two meet: as
     * {@link #compare(Prepared)} would for a single piece, short of splitting it; otherwise from the
     * sphere that holds the other core and its first vertex alone. MEET and APART are certain; UNSURE
     * leaves it to {@link #compare(Prepared)} on the footprint itself.
     */
    public Verdict compare(double[] s, int at) {
        double threshold = d[GROW] + s[at + S_GROW] + Intersection.TOLERANCE;
        double ox = s[at + MID];
        double oy = s[at + MID + 1];
        double oz = s[at + MID + 2];
        double or = s[at + EXTENT];
        if (apart(d, ox, oy, oz, or, threshold)) {
            return Verdict.APART;
        }
        if (s[at + STRAY] >= 0) {
            int r = against((int) d[TREE], s, at, null, 0, threshold);
            if (r == MET) {
                return Verdict.MEET;
            }
            Verdict in = contains(s[at + P], s[at + P + 1], s[at + P + 2]);
            return in == Verdict.MEET ? in : r == UNDECIDED || in == Verdict.UNSURE ? Verdict.UNSURE : Verdict.APART;
        }
        int r = around((int) d[TREE], ox, oy, oz, or, threshold);
        if (r == MET) {
            return Verdict.MEET;
        }
        // A region holding a vertex of the other core meets it. When every piece of this core is clear of
        // the sphere holding the other, no point of this core is inside the other's region and the other
        // core lies wholly inside or wholly outside this region: its first vertex tells which.
        Verdict in = contains(s[at + P], s[at + P + 1], s[at + P + 2]);
        return in == Verdict.MEET || r == APART ? in : Verdict.UNSURE;
    }

    /** Whether node {@code t} of {@code d} is further than the threshold from the sphere given. */
    private static boolean nodeApart(double[] d, int t, double x, double y, double z, double r, double threshold) {
        return Math.sqrt(sq(d[t] - x) + sq(d[t + 1] - y) + sq(d[t + 2] - z)) - d[t + 3] - r > threshold + SLACK;
    }

    /**
     * The pairs of pieces under node {@code ta} of this tree and node {@code tb} of the other's. (The
     * roots' spheres are not tested against each other: the footprints' spheres have been.)
     */
    private int pairs(int ta, Prepared o, int tb, double threshold) {
        double[] b = o.d;
        if ((ta != (int) d[TREE] || tb != (int) b[TREE]) && nodeApart(d, ta, b[tb], b[tb + 1], b[tb + 2], b[tb + 3], threshold)) {
            return APART;
        }
        int rightA = (int) d[ta + N_RIGHT];
        int rightB = (int) b[tb + N_RIGHT];
        if (rightA < 0 && rightB < 0) {
            int r = APART;
            boolean many = b[COUNT] > 1;
            for (int e = (int) b[tb + N_LO]; e < b[tb + N_HI]; e++) {
                int j = HEADER + e * PIECE;
                if (many && clearOf(b, j, d[ta], d[ta + 1], d[ta + 2], d[ta + 3], threshold)) {
                    continue;
                }
                r = Math.max(r, leaf(ta, b, j, o, e, threshold));
                if (r == MET) {
                    return MET;
                }
            }
            return r;
        }
        // Open the larger of the two nodes, or the one that is not a leaf.
        if (rightA >= 0 && (rightB < 0 || d[ta + 3] >= b[tb + 3])) {
            int r = pairs(ta + NODE, o, tb, threshold);
            return r == MET ? MET : Math.max(r, pairs(rightA, o, tb, threshold));
        }
        int r = pairs(ta, o, tb + NODE, threshold);
        return r == MET ? MET : Math.max(r, pairs(ta, o, rightB, threshold));
    }

    /**
     * The pieces under node {@code t} against one piece, held at {@code j} of {@code b}. (The root is
     * not tested against the piece: the footprint's sphere has been.)
     */
    private int against(int t, double[] b, int j, @Nullable Prepared o, int e, double threshold) {
        if (t != (int) d[TREE] && nodeApart(d, t, b[j + MID], b[j + MID + 1], b[j + MID + 2], b[j + EXTENT], threshold)) {
            return APART;
        }
        int right = (int) d[t + N_RIGHT];
        if (right < 0) {
            return leaf(t, b, j, o, e, threshold);
        }
        int r = against(t + NODE, b, j, o, e, threshold);
        return r == MET ? MET : Math.max(r, against(right, b, j, o, e, threshold));
    }

    /**
     * The pieces of leaf {@code t} against one piece, held at {@code j} of {@code b}: piece {@code e} of
     * footprint {@code o}, which is split where the bounds leave a pair undecided, or a piece known only
     * by its numbers ({@code o} null), which is not.
     */
    private int leaf(int t, double[] b, int j, @Nullable Prepared o, int e, double threshold) {
        int r = APART;
        // A piece clear of the other's sphere cannot bring the cores within reach. A single piece's
        // sphere is the footprint's, which has been tested already.
        boolean many = d[COUNT] > 1;
        for (int k = (int) d[t + N_LO]; k < d[t + N_HI]; k++) {
            int i = HEADER + k * PIECE;
            if (many && clearOf(d, i, b[j + MID], b[j + MID + 1], b[j + MID + 2], b[j + EXTENT], threshold)) {
                continue;
            }
            int v = decide(d, i, b, j, threshold);
            if (v == UNDECIDED && o != null) {
                Verdict split = decide(piece(k), o.piece(e), threshold, 0);
                v = split == Verdict.MEET ? MET : split == Verdict.APART ? APART : UNDECIDED;
            }
            if (v == MET) {
                return MET;
            }
            r = Math.max(r, v);
        }
        return r;
    }

    /**
     * The pieces under node {@code t} against a sphere holding another core (centre x, y, z and radius
     * r): MET when a piece comes within reach of the whole sphere, APART when every piece is clear of it.
     * (The root is not tested against the sphere: the footprint's sphere has been.)
     */
    private int around(int t, double x, double y, double z, double r, double threshold) {
        if (t != (int) d[TREE] && nodeApart(d, t, x, y, z, r, threshold)) {
            return APART;
        }
        int right = (int) d[t + N_RIGHT];
        if (right >= 0) {
            int v = around(t + NODE, x, y, z, r, threshold);
            return v == MET ? MET : Math.max(v, around(right, x, y, z, r, threshold));
        }
        int v = APART;
        boolean many = d[COUNT] > 1;
        for (int k = (int) d[t + N_LO]; k < d[t + N_HI]; k++) {
            int i = HEADER + k * PIECE;
            if (many && clearOf(d, i, x, y, z, r, threshold)) {
                continue;
            }
            // Every point of the sphere is within c + r of the chord, and each point of the chord within
            // the stray of the piece.
            double c = pointToSegment(x, y, z, d, i);
            double far = c + r + d[i + STRAY];
            if (far <= threshold && upper(far) <= threshold) {
                return MET;
            }
            v = UNDECIDED;
        }
        return v;
    }

    /** A piece of a core as an object, for splitting: its numbers, its ends' coordinates and its halves once computed. */
    private static final class Piece {
        final double lat1;
        final double lon1;
        final double lat2;
        final double lon2;
        final double[] d;
        /** A bound on its geodesic length. */
        final double length;
        /** How many splits from an edge of the footprint. */
        final int depth;
        /** The two halves, once computed, for pieces near the edge's top: footprints in the index are checked often. */
        private volatile Piece @Nullable [] halves;

        Piece(double lat1, double lon1, double lat2, double lon2, double[] d, double length, int depth) {
            this.lat1 = lat1;
            this.lon1 = lon1;
            this.lat2 = lat2;
            this.lon2 = lon2;
            this.d = d;
            this.length = length;
            this.depth = depth;
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
    }

    /** Piece {@code e} as an object, made once. */
    private Piece piece(int e) {
        Piece[] s = objects;
        if (s == null) {
            s = new Piece[(int) d[COUNT]];
            objects = s;
        }
        Piece p = s[e];
        if (p == null) {
            LonLat a = points.get(e);
            LonLat b = points.get((e + 1) % points.size());
            int i = HEADER + e * PIECE;
            // The length is bounded from the chord, as when the footprint was prepared.
            double c = Math.sqrt(sq(d[i + P] - d[i + Q]) + sq(d[i + P + 1] - d[i + Q + 1]) + sq(d[i + P + 2] - d[i + Q + 2]));
            double length = points.size() == 1 ? 0 : upper(c);
            p = new Piece(a.lat(), a.lon(), b.lat(), b.lon(), java.util.Arrays.copyOfRange(d, i, i + PIECE), length, 0);
            s[e] = p;
        }
        return p;
    }

    private static final int MAX_DEPTH = 16;

    /** Whether every point of piece {@code i} is further than the threshold from the sphere given. */
    private static boolean clearOf(double[] p, int i, double x, double y, double z, double r, double threshold) {
        return Math.sqrt(sq(p[i + MID] - x) + sq(p[i + MID + 1] - y) + sq(p[i + MID + 2] - z)) - p[i + EXTENT] - r > threshold + SLACK;
    }

    /** What the bounds say of pieces {@code i} of {@code a} and {@code j} of {@code b}, without splitting. */
    private static int decide(double[] a, int i, double[] b, int j, double threshold) {
        double c = segmentDistance(a, i, b, j);
        double s = a[i + STRAY] + b[j + STRAY];
        if (c - s - SLACK > threshold) {
            return APART;
        }
        if (c + s <= threshold && upper(c + s) <= threshold || crosses(a, i, b, j)) {
            return MET;
        }
        return UNDECIDED;
    }

    private static Verdict decide(Piece a, Piece b, double threshold, int depth) {
        int now = decide(a.d, 0, b.d, 0, threshold);
        if (now != UNDECIDED) {
            return now == MET ? Verdict.MEET : Verdict.APART;
        }
        if (depth >= MAX_DEPTH || Math.max(a.length, b.length) < FINEST) {
            return Verdict.UNSURE;
        }
        boolean splitA = a.d[STRAY] > b.d[STRAY] || (a.d[STRAY] == b.d[STRAY] && a.length >= b.length);
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
    private static boolean crosses(double[] a, int i, double[] b, int j) {
        // The planes' normals p × q, not made unit: the distances are compared times their lengths.
        double anx = a[i + P + 1] * a[i + Q + 2] - a[i + P + 2] * a[i + Q + 1];
        double any = a[i + P + 2] * a[i + Q] - a[i + P] * a[i + Q + 2];
        double anz = a[i + P] * a[i + Q + 1] - a[i + P + 1] * a[i + Q];
        double bnx = b[j + P + 1] * b[j + Q + 2] - b[j + P + 2] * b[j + Q + 1];
        double bny = b[j + P + 2] * b[j + Q] - b[j + P] * b[j + Q + 2];
        double bnz = b[j + P] * b[j + Q + 1] - b[j + P + 1] * b[j + Q];
        double al = Math.sqrt(anx * anx + any * any + anz * anz);
        double bl = Math.sqrt(bnx * bnx + bny * bny + bnz * bnz);
        if (al == 0 || bl == 0) {
            return false;
        }
        double p1 = bnx * a[i + P] + bny * a[i + P + 1] + bnz * a[i + P + 2];
        double q1 = bnx * a[i + Q] + bny * a[i + Q + 1] + bnz * a[i + Q + 2];
        double p2 = anx * b[j + P] + any * b[j + P + 1] + anz * b[j + P + 2];
        double q2 = anx * b[j + Q] + any * b[j + Q + 1] + anz * b[j + Q + 2];
        double sa = (b[j + STRAY] + SLACK) * bl;
        double sb = (a[i + STRAY] + SLACK) * al;
        return (p1 > sa && q1 < -sa || p1 < -sa && q1 > sa) && (p2 > sb && q2 < -sb || p2 < -sb && q2 > sb)
                && a[i + P] * b[j + P] + a[i + P + 1] * b[j + P + 1] + a[i + P + 2] * b[j + P + 2] > 0;
    }

    /** Splits are kept on a prepared footprint's pieces to this depth: at most 31 pieces an edge. */
    private static final int KEPT_DEPTH = 4;

    /** The two halves of a geodesic piece, split at its midpoint computed on the ellipsoid. */
    private static Piece[] split(Piece w) {
        GeodesicData inv = Geodesy.WGS84.Inverse(w.lat1, w.lon1, w.lat2, w.lon2, GeodesicMask.DISTANCE | GeodesicMask.AZIMUTH);
        double half = inv.s12 / 2;
        GeodesicData mid = Geodesy.WGS84.Direct(w.lat1, w.lon1, inv.azi1, half);
        double[] m = new double[3];
        cartesian(mid.lat2, mid.lon2, m, 0);
        return new Piece[] {
            new Piece(w.lat1, w.lon1, mid.lat2, mid.lon2, half(w.d, P, m, half), half, w.depth + 1),
            new Piece(mid.lat2, mid.lon2, w.lat2, w.lon2, half(w.d, Q, m, half), half, w.depth + 1),
        };
    }

    /** The numbers of the half of a piece between its end at {@code end} and the midpoint {@code m}, of length {@code half}. */
    private static double[] half(double[] d, int end, double[] m, double half) {
        double[] h = new double[PIECE];
        double x = d[end];
        double y = d[end + 1];
        double z = d[end + 2];
        double c = Math.sqrt(sq(x - m[0]) + sq(y - m[1]) + sq(z - m[2]));
        if (end == P) {
            fill(h, 0, x, y, z, m[0], m[1], m[2], stray(half, c));
        } else {
            fill(h, 0, m[0], m[1], m[2], x, y, z, stray(half, c));
        }
        return h;
    }

    /** Writes a piece's numbers at {@code i}: its ends, midpoint, reach and stray. */
    private static void fill(double[] d, int i, double px, double py, double pz, double qx, double qy, double qz, double stray) {
        d[i + P] = px;
        d[i + P + 1] = py;
        d[i + P + 2] = pz;
        d[i + Q] = qx;
        d[i + Q + 1] = qy;
        d[i + Q + 2] = qz;
        d[i + MID] = (px + qx) / 2;
        d[i + MID + 1] = (py + qy) / 2;
        d[i + MID + 2] = (pz + qz) / 2;
        d[i + EXTENT] = Math.sqrt(sq(px - qx) + sq(py - qy) + sq(pz - qz)) / 2 + stray + SLACK;
        d[i + STRAY] = stray;
    }

    /**
     * Whether this footprint's region holds the point (x, y, z) of another core: MEET when it surely
     * does, APART when it surely does not (or this is no region), UNSURE when the point is too near an
     * edge for the chords to tell.
     */
    private Verdict contains(double x, double y, double z) {
        // Far beyond the sphere that holds the ring, the point is outside it.
        if (d[REGION] == 0 || apart(d, x, y, z, 0, 0)) {
            return Verdict.APART;
        }
        int tree = (int) d[TREE];
        if (nearEdge(tree, x, y, z)) {
            return Verdict.UNSURE;
        }
        double t = x * d[PLANE] + y * d[PLANE + 1] + z * d[PLANE + 2];
        double u = (x * d[PLANE + 3] + y * d[PLANE + 4] + z * d[PLANE + 5]) / t;
        double v = (x * d[PLANE + 6] + y * d[PLANE + 7] + z * d[PLANE + 8]) / t;
        return (crossings(tree, u, v) & 1) == 1 ? Verdict.MEET : Verdict.APART;
    }

    /** Whether the point is within three times its stray (and a millimetre) of a chord under node {@code t}. */
    private boolean nearEdge(int t, double x, double y, double z) {
        if (nodeApart(d, t, x, y, z, 0, 3 * d[t + N_STRAY] + 1e-3)) {
            return false;
        }
        int right = (int) d[t + N_RIGHT];
        if (right >= 0) {
            return nearEdge(t + NODE, x, y, z) || nearEdge(right, x, y, z);
        }
        for (int k = (int) d[t + N_LO]; k < d[t + N_HI]; k++) {
            int i = HEADER + k * PIECE;
            double within = 3 * d[i + STRAY] + 1e-3;
            if (!clearOf(d, i, x, y, z, 0, within) && pointToSegment(x, y, z, d, i) <= within) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many edges under node {@code t} the ray from (u, v) towards +u crosses, in the projection:
     * only nodes whose ends straddle v and reach beyond u are opened. (A crossing computed just beyond
     * a node's largest u would be within rounding of an edge, where {@link #nearEdge} has already
     * answered.)
     */
    private int crossings(int t, double u, double v) {
        if (v < d[t + N_VMIN] || v >= d[t + N_VMAX] || u > d[t + N_UMAX] + 1e-12) {
            return 0;
        }
        int right = (int) d[t + N_RIGHT];
        if (right >= 0) {
            return crossings(t + NODE, u, v) + crossings(right, u, v);
        }
        int ring = (int) d[RING];
        int n = (int) d[COUNT];
        int c = 0;
        for (int k = (int) d[t + N_LO]; k < d[t + N_HI]; k++) {
            int j = ring + 2 * k;
            int i = ring + 2 * ((k + 1) % n);
            if ((d[i + 1] > v) != (d[j + 1] > v) && u < (d[j] - d[i]) * (v - d[i + 1]) / (d[j + 1] - d[i + 1]) + d[i]) {
                c++;
            }
        }
        return c;
    }

    // ---- arithmetic ----

    static double upper(double chord) {
        double c = chord + SLACK;
        return c >= 2 * RHO ? Double.POSITIVE_INFINITY : 2 * RHO * Math.asin(c / (2 * RHO)) + SLACK;
    }

    /** The bound on how far a geodesic of this length (or less) strays from its chord. */
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

    /** The distance between the chords of piece {@code i} of {@code a} and piece {@code j} of {@code b}. */
    private static double segmentDistance(double[] a, int i, double[] b, int j) {
        return segmentDistance(a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], b[j], b[j + 1], b[j + 2], b[j + 3], b[j + 4],
                b[j + 5]);
    }

    /** The distance from the point (x, y, z) to the chord of piece {@code i} of {@code a}. */
    private static double pointToSegment(double x, double y, double z, double[] a, int i) {
        return segmentDistance(x, y, z, x, y, z, a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5]);
    }

    /** The distance between segments p1–q1 and p2–q2 in space (a segment may be a point). */
    static double segmentDistance(double p1x, double p1y, double p1z, double q1x, double q1y, double q1z, double p2x, double p2y,
            double p2z, double q2x, double q2y, double q2z) {
        double d1x = q1x - p1x;
        double d1y = q1y - p1y;
        double d1z = q1z - p1z;
        double d2x = q2x - p2x;
        double d2y = q2y - p2y;
        double d2z = q2z - p2z;
        double rx = p1x - p2x;
        double ry = p1y - p2y;
        double rz = p1z - p2z;
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
