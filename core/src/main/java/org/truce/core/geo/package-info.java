/**
 * Footprints on the WGS84 ellipsoid (polygons with geodesic edges, circles, corridors), their
 * validation, and whether two of them meet, decided on the ellipsoid to 1 cm and erring towards a
 * conflict.
 */
@NullMarked
package org.truce.core.geo;

import org.jspecify.annotations.NullMarked;
