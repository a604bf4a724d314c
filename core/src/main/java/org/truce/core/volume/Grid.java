package org.truce.core.volume;

import java.util.ArrayList;
import java.util.List;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.LonLat;

/**
 * A grid over longitude and latitude at five sizes (¼°, 1°, 4°, 16°, 64°) that indexes active volumes
 * in the state, so that a check reads only the volumes whose cells its footprint's cells share. A
 * footprint is filed in the cells of the smallest size at which its bounding box covers at most four;
 * a query looks in every size. Bounding boxes are conservative: grown by the radius or half-width, by a
 * bound on how far a geodesic edge bulges beyond its ends, and by the tolerance; a footprint near a
 * pole or across the antimeridian is filed whole in one cell that every query reads. Stateless.
 */
final class Grid {
    static final double[] SIZES = {0.25, 1, 4, 16, 64};
    static final String TOP = "cell:top";
    /** A query covering more cells than this at one size reads that size's whole level instead. */
    static final int MAX_QUERY_CELLS = 64;
    private static final double EARTH = 6_371_000;
    private static final double MARGIN = 100;

    private Grid() {}

    /** A bounding box in degrees, or null when the footprint must go to the top cell. */
    record Box(double west, double south, double east, double north) {}

    static Box box(Footprint f) {
        List<LonLat> points;
        double grow;
        if (f instanceof Footprint.Circle c) {
            points = List.of(c.center());
            grow = c.radius();
        } else if (f instanceof Footprint.Corridor c) {
            points = c.line();
            grow = c.halfWidth();
        } else {
            points = new ArrayList<>(((Footprint.Polygon) f).ring());
            points.add(points.get(0));
            grow = 0;
        }
        double west = 180;
        double east = -180;
        double south = 90;
        double north = -90;
        double bulge = 0;
        for (int i = 0; i < points.size(); i++) {
            LonLat p = points.get(i);
            west = Math.min(west, p.lon());
            east = Math.max(east, p.lon());
            south = Math.min(south, p.lat());
            north = Math.max(north, p.lat());
            if (i > 0) {
                double len = org.truce.core.geo.Intersection.gap(new Footprint.Circle(points.get(i - 1), 0),
                        new Footprint.Circle(p, 0));
                double lat = Math.min(80, Math.max(Math.abs(p.lat()), Math.abs(points.get(i - 1).lat())));
                bulge = Math.max(bulge, len * len / (8 * EARTH) * (1 + Math.tan(Math.toRadians(lat))));
            }
        }
        if (east - west > 180) {
            return null;
        }
        double reach = grow + bulge + MARGIN;
        double dLat = Math.toDegrees(reach / EARTH) * 1.01;
        south -= dLat;
        north += dLat;
        if (south < -80 || north > 80) {
            return null;
        }
        double dLon = dLat / Math.cos(Math.toRadians(Math.max(Math.abs(south), Math.abs(north))));
        west -= dLon;
        east += dLon;
        if (west < -180 || east > 180) {
            return null;
        }
        return new Box(west, south, east, north);
    }

    /** The index keys a volume with this footprint is filed under. */
    static List<String> fileKeys(Footprint f) {
        Box b = box(f);
        if (b == null) {
            return List.of(TOP);
        }
        for (int level = 0; level < SIZES.length; level++) {
            List<String> cells = cells(b, level, 4);
            if (cells != null) {
                List<String> keys = new ArrayList<>(cells);
                keys.add("level:" + level);
                return keys;
            }
        }
        return List.of(TOP);
    }

    /** The index keys a query with this footprint reads: its cells at every size, or whole levels. */
    static List<String> queryKeys(Footprint f) {
        Box b = box(f);
        List<String> keys = new ArrayList<>();
        keys.add(TOP);
        for (int level = 0; level < SIZES.length; level++) {
            List<String> cells = b == null ? null : cells(b, level, MAX_QUERY_CELLS);
            if (cells == null) {
                keys.add("level:" + level);
            } else {
                keys.addAll(cells);
            }
        }
        return keys;
    }

    /** The cells of a size that a box covers, or null when more than {@code max}. */
    private static List<String> cells(Box b, int level, int max) {
        double size = SIZES[level];
        long x0 = (long) Math.floor((b.west() + 180) / size);
        long x1 = (long) Math.floor((b.east() + 180) / size);
        long y0 = (long) Math.floor((b.south() + 90) / size);
        long y1 = (long) Math.floor((b.north() + 90) / size);
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > max) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (long x = x0; x <= x1; x++) {
            for (long y = y0; y <= y1; y++) {
                out.add("cell:" + level + ":" + x + ":" + y);
            }
        }
        return out;
    }
}
