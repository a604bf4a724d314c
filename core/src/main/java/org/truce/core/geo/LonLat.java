package org.truce.core.geo;

/**
 * A position on the WGS84 ellipsoid in degrees, longitude first as in GeoJSON. Longitude is in
 * [−180, 180] and latitude in [−90, 90].
 */
public record LonLat(double lon, double lat) {
    public LonLat {
        if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("[" + lon + ", " + lat + "] is not [longitude −180..180, latitude −90..90]");
        }
    }

    @Override
    public String toString() {
        return "[" + lon + ", " + lat + "]";
    }
}
