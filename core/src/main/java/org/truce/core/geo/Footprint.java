package org.truce.core.geo;

import java.util.List;

/**
 * Where an activity or a protected object is on the ground: a polygon whose edges are geodesics, a
 * circle (every point within a geodesic distance of its centre) or a corridor (every point within a
 * half-width of a line of geodesic segments). Distances are metres along the WGS84 ellipsoid.
 */
public sealed interface Footprint {
    /** A simple polygon, its ring given without repeating the first vertex at the end. */
    record Polygon(List<LonLat> ring) implements Footprint {
        public Polygon {
            ring = List.copyOf(ring);
        }
    }

    /** The points within {@code radius} metres of {@code center}. */
    record Circle(LonLat center, double radius) implements Footprint {}

    /** The points within {@code halfWidth} metres of the line. */
    record Corridor(List<LonLat> line, double halfWidth) implements Footprint {
        public Corridor {
            line = List.copyOf(line);
        }
    }
}
