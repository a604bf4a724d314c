package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What incidents to list: those whose event-time window overlaps [{@code from}, {@code to}) (event
 * time, not when they were recorded), inside a bounding box, of an event or sub-event type, linked to
 * an actor, recorded or claimed about by a party, in a region, with claims, contested, touching
 * notified objects. Absent criteria match everything.
 *
 * @param bbox west, south, east, north in degrees; west may exceed east across the antimeridian
 * @param hasClaims when set, whether the incident has claims the reader may see
 * @param contested when set, whether those claims disagree
 */
public record IncidentFilter(@Nullable Instant from, @Nullable Instant to, double @Nullable [] bbox, @Nullable String type,
        @Nullable String actor, @Nullable String party, @Nullable String region, @Nullable Boolean hasClaims,
        @Nullable Boolean contested, boolean notified) {
    public static final IncidentFilter ALL = new IncidentFilter(null, null, null, null, null, null, null, null, null, false);

    public IncidentFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (bbox != null) {
            if (bbox.length != 4 || Math.abs(bbox[1]) > 90 || Math.abs(bbox[3]) > 90 || bbox[1] > bbox[3]
                    || Math.abs(bbox[0]) > 180 || Math.abs(bbox[2]) > 180) {
                throw new IllegalArgumentException("bbox is west,south,east,north in degrees, south ≤ north");
            }
            bbox = bbox.clone();
        }
    }

    /** The same filter limited to the window [{@code from}, {@code to}). */
    public IncidentFilter during(Instant from, Instant to) {
        return new IncidentFilter(from, to, bbox, type, actor, party, region, hasClaims, contested, notified);
    }

    /** Whether the incident document itself matches (everything but the accounts). */
    boolean matchesIncident(JsonNode b) {
        if (from != null && !Instant.parse(b.get("time").get("to").textValue()).isAfter(from)
                && !Instant.parse(b.get("time").get("from").textValue()).equals(from)) {
            return false;
        }
        if (to != null && !Instant.parse(b.get("time").get("from").textValue()).isBefore(to)) {
            return false;
        }
        if (type != null && !IncidentRules.slug(type).equals(IncidentRules.slug(b.get("type").get("event").textValue()))
                && !IncidentRules.slug(type).equals(IncidentRules.slug(b.get("type").get("subEvent").textValue()))) {
            return false;
        }
        if (actor != null && !contains(b.path("actors"), actor)) {
            return false;
        }
        if (region != null && !region.strip().toLowerCase(Locale.ROOT)
                .equals(b.get("location").path("admin1").asText("unknown").toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (notified && b.path("sites").isEmpty() && b.path("movements").isEmpty()) {
            return false;
        }
        return bbox == null || inBox(b.get("location"));
    }

    /** Whether the incident's visible accounts match. */
    boolean matchesAccounts(JsonNode view) {
        JsonNode claims = view.get("claims");
        if (hasClaims != null && hasClaims == claims.isEmpty()) {
            return false;
        }
        if (contested != null && contested != view.get("contested").booleanValue()) {
            return false;
        }
        if (party != null && !party.equals(view.get("by").textValue())) {
            for (JsonNode c : claims) {
                if (party.equals(c.get("by").textValue())) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** A point inside the box, or a polygon with any vertex inside it or whose bounds cover it. */
    private boolean inBox(JsonNode loc) {
        double[] box = bbox;
        if (loc.has("point")) {
            return inBox(box, loc.get("point"));
        }
        double minLon = 180;
        double maxLon = -180;
        double minLat = 90;
        double maxLat = -90;
        for (JsonNode p : loc.get("polygon").get(0)) {
            if (inBox(box, p)) {
                return true;
            }
            minLon = Math.min(minLon, p.get(0).doubleValue());
            maxLon = Math.max(maxLon, p.get(0).doubleValue());
            minLat = Math.min(minLat, p.get(1).doubleValue());
            maxLat = Math.max(maxLat, p.get(1).doubleValue());
        }
        boolean lonOverlap = box[0] <= box[2] ? minLon <= box[2] && maxLon >= box[0] : maxLon >= box[0] || minLon <= box[2];
        return lonOverlap && minLat <= box[3] && maxLat >= box[1];
    }

    private static boolean inBox(double[] box, JsonNode p) {
        double lon = p.get(0).doubleValue();
        double lat = p.get(1).doubleValue();
        boolean lonIn = box[0] <= box[2] ? lon >= box[0] && lon <= box[2] : lon >= box[0] || lon <= box[2];
        return lonIn && lat >= box[1] && lat <= box[3];
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.textValue().equals(value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IncidentFilter f && java.util.Objects.equals(from, f.from) && java.util.Objects.equals(to, f.to)
                && java.util.Arrays.equals(bbox, f.bbox) && java.util.Objects.equals(type, f.type)
                && java.util.Objects.equals(actor, f.actor) && java.util.Objects.equals(party, f.party)
                && java.util.Objects.equals(region, f.region) && java.util.Objects.equals(hasClaims, f.hasClaims)
                && java.util.Objects.equals(contested, f.contested) && notified == f.notified;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(from, to, java.util.Arrays.hashCode(bbox), type, actor, party, region, hasClaims,
                contested, notified);
    }

    @Override
    public String toString() {
        return "IncidentFilter[from=" + from + ", to=" + to + ", bbox=" + java.util.Arrays.toString(bbox) + ", type=" + type
                + ", actor=" + actor + ", party=" + party + ", region=" + region + ", hasClaims=" + hasClaims
                + ", contested=" + contested + ", notified=" + notified + "]";
    }

    /** The box as given, a copy. */
    @Override
    public double @Nullable [] bbox() {
        return bbox == null ? null : bbox.clone();
    }
}
