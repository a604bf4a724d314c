package org.truce.core.geo;

import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicMask;
import net.sf.geographiclib.Gnomonic;
import net.sf.geographiclib.GnomonicData;

/**
 * Distances on the WGS84 ellipsoid with GeographicLib: between points, from a point to a geodesic
 * segment, whether two geodesic segments cross, and whether a point is inside a polygon of geodesic
 * edges. The closest point on a segment and the crossing of two segments are found as in Karney,
 * "Algorithms for geodesics" (2013), §8: in the ellipsoidal gnomonic projection geodesics through the
 * centre are straight, so solving the planar problem about the current estimate and re-centring on the
 * answer converges to the point on the ellipsoid, to nanometres in a few steps. Stateless.
 */
final class Geodesy {
    static final Geodesic WGS84 = Geodesic.WGS84;
    private static final Gnomonic GNOMONIC = new Gnomonic(WGS84);
    private static final int MAX_STEPS = 20;
    /** Steps stop when the estimate moves less than this, in metres. */
    private static final double CONVERGED = 1e-6;

    private Geodesy() {}

    /** The geodesic distance between two points, in metres. */
    static double distance(LonLat a, LonLat b) {
        return WGS84.Inverse(a.lat(), a.lon(), b.lat(), b.lon(), GeodesicMask.DISTANCE).s12;
    }

    /** The azimuth at {@code from} of the geodesic to {@code to}, degrees clockwise from north. */
    static double azimuth(LonLat from, LonLat to) {
        return WGS84.Inverse(from.lat(), from.lon(), to.lat(), to.lon(), GeodesicMask.AZIMUTH).azi1;
    }

    /** The point {@code s} metres from {@code from} along azimuth {@code azi}. */
    static LonLat direct(LonLat from, double azi, double s) {
        GeodesicData d = WGS84.Direct(from.lat(), from.lon(), azi, s);
        return new LonLat(normalise(d.lon2), d.lat2);
    }

    static double normalise(double lon) {
        double l = Math.IEEEremainder(lon, 360);
        return l == -180 ? 180 : l;
    }

    /** The shortest distance from {@code p} to the geodesic segment from {@code a} to {@code b}, in metres. */
    static double distanceToSegment(LonLat p, LonLat a, LonLat b) {
        double length = distance(a, b);
        if (length < CONVERGED) {
            return distance(p, a);
        }
        double ends = Math.min(distance(p, a), distance(p, b));
        // Start from the segment's midpoint and move to the foot of the perpendicular from p.
        GeodesicData mid = WGS84.Inverse(a.lat(), a.lon(), b.lat(), b.lon());
        GeodesicData m = WGS84.Direct(a.lat(), a.lon(), mid.azi1, length / 2);
        double lat = m.lat2;
        double lon = m.lon2;
        for (int step = 0; step < MAX_STEPS; step++) {
            GnomonicData ga = GNOMONIC.Forward(lat, lon, a.lat(), a.lon());
            GnomonicData gb = GNOMONIC.Forward(lat, lon, b.lat(), b.lon());
            GnomonicData gp = GNOMONIC.Forward(lat, lon, p.lat(), p.lon());
            if (Double.isNaN(ga.x) || Double.isNaN(gb.x) || Double.isNaN(gp.x)) {
                return ends;
            }
            double dx = gb.x - ga.x;
            double dy = gb.y - ga.y;
            double t = ((gp.x - ga.x) * dx + (gp.y - ga.y) * dy) / (dx * dx + dy * dy);
            if (t <= 0 || t >= 1) {
                return ends;
            }
            GnomonicData q = GNOMONIC.Reverse(lat, lon, ga.x + t * dx, ga.y + t * dy);
            double moved = WGS84.Inverse(lat, lon, q.lat, q.lon, GeodesicMask.DISTANCE).s12;
            lat = q.lat;
            lon = q.lon;
            if (moved < CONVERGED) {
                break;
            }
        }
        double foot = WGS84.Inverse(p.lat(), p.lon(), lat, lon, GeodesicMask.DISTANCE).s12;
        return Math.min(foot, ends);
    }

    /**
     * Whether the geodesic segments a–b and c–d cross or touch. Found by iterating the crossing of the
     * two lines in the gnomonic projection centred on the current estimate; the parameters of the
     * crossing along each segment decide whether it lies within both.
     */
    static boolean segmentsCross(LonLat a, LonLat b, LonLat c, LonLat d) {
        double lat = (a.lat() + b.lat() + c.lat() + d.lat()) / 4;
        double lon = meanLon(a.lon(), b.lon(), c.lon(), d.lon());
        double t = Double.NaN;
        double u = Double.NaN;
        for (int step = 0; step < MAX_STEPS; step++) {
            GnomonicData ga = GNOMONIC.Forward(lat, lon, a.lat(), a.lon());
            GnomonicData gb = GNOMONIC.Forward(lat, lon, b.lat(), b.lon());
            GnomonicData gc = GNOMONIC.Forward(lat, lon, c.lat(), c.lon());
            GnomonicData gd = GNOMONIC.Forward(lat, lon, d.lat(), d.lon());
            if (Double.isNaN(ga.x) || Double.isNaN(gb.x) || Double.isNaN(gc.x) || Double.isNaN(gd.x)) {
                return false;
            }
            double rx = gb.x - ga.x;
            double ry = gb.y - ga.y;
            double sx = gd.x - gc.x;
            double sy = gd.y - gc.y;
            double den = rx * sy - ry * sx;
            if (Math.abs(den) < 1e-9 * Math.hypot(rx, ry) * Math.hypot(sx, sy)) {
                return false;
            }
            t = ((gc.x - ga.x) * sy - (gc.y - ga.y) * sx) / den;
            u = ((gc.x - ga.x) * ry - (gc.y - ga.y) * rx) / den;
            if (t < -0.5 || t > 1.5 || u < -0.5 || u > 1.5) {
                return false;
            }
            GnomonicData q = GNOMONIC.Reverse(lat, lon, ga.x + t * rx, ga.y + t * ry);
            double moved = WGS84.Inverse(lat, lon, q.lat, q.lon, GeodesicMask.DISTANCE).s12;
            lat = q.lat;
            lon = q.lon;
            if (moved < CONVERGED) {
                break;
            }
        }
        return t >= 0 && t <= 1 && u >= 0 && u <= 1;
    }

    /**
     * Whether {@code p} is inside the polygon: the azimuths from p to its vertices wind once around p.
     * Exact for geodesic edges while no edge passes near p's antipode, which the footprint's size bound
     * rules out.
     */
    static boolean inside(LonLat p, java.util.List<LonLat> ring) {
        double sum = 0;
        double first = azimuth(p, ring.get(0));
        double prev = first;
        for (int i = 1; i <= ring.size(); i++) {
            double az = i == ring.size() ? first : azimuth(p, ring.get(i));
            double delta = az - prev;
            if (delta > 180) {
                delta -= 360;
            } else if (delta <= -180) {
                delta += 360;
            }
            sum += delta;
            prev = az;
        }
        return Math.abs(sum) > 180;
    }

    /** The mean of longitudes, taken across the antimeridian when they straddle it. */
    static double meanLon(double... lons) {
        double x = 0;
        double y = 0;
        for (double l : lons) {
            x += Math.cos(Math.toRadians(l));
            y += Math.sin(Math.toRadians(l));
        }
        return Math.toDegrees(Math.atan2(y, x));
    }
}
