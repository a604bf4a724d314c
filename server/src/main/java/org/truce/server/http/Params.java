package org.truce.server.http;

import java.time.LocalDate;
import org.truce.core.incident.IncidentFilter;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.truce.server.http.ApiServer.BadRequest;

/**
 * The parameters the read routes share, checked at the first parse: a moment, a record id, a page.
 * Each failure is a 400 problem that names the parameter. Stateless.
 */
final class Params {
    /** RFC 3339 in UTC, as entries write it; the calendar is checked by the strict parse. */
    private static final Pattern TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);
    /** The ids of agreements, steps and actors (the schemas' slug). */
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** The longest name looked up, as the schemas bound a name. */
    static final int MAX_NAME = 200;

    private Params() {}

    /** {@code ?at=}: an RFC 3339 UTC time, or the server clock's now when absent. */
    static Instant at(Context ctx, Clock clock) {
        Instant at = time(ctx, "at");
        return at == null ? clock.instant() : at;
    }

    /** A path parameter that names an agreement or an actor by its id. */
    static String slug(Context ctx, String param) {
        String s = ctx.pathParam(param);
        if (!SLUG.matcher(s).matches()) {
            throw new BadRequest(400, "bad-" + param, "not an " + param + " id", param + ": '" + truncate(s)
                    + "' is not an " + param + " id: 1 to 64 lowercase letters, digits and hyphens");
        }
        return s;
    }

    /** {@code ?after=}: the id after which a page starts, or null for the first page. */
    static @Nullable String after(Context ctx) {
        String s = ctx.queryParam("after");
        if (s != null && !SLUG.matcher(s).matches()) {
            throw new BadRequest(400, "bad-cursor", "not a cursor", "after: '" + truncate(s)
                    + "' is not an id; give the next value of the previous page");
        }
        return s;
    }

    /** {@code ?limit=}: a page size from 1 to 500, 50 when absent. */
    static int limit(@Nullable String s) {
        if (s == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 500) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new BadRequest(400, "bad-limit", "not a page size", "limit is a number from 1 to 500");
    }

    /** The query parameters of an incident filter. */
    static final List<String> INCIDENT_FILTER = List.of("from", "to", "bbox", "type", "actor", "party", "region", "hasClaims",
            "contested", "notified");

    /** An incident filter from {@link #INCIDENT_FILTER}; each absent parameter matches everything. */
    static IncidentFilter incidentFilter(Context ctx) {
        Instant from = time(ctx, "from");
        Instant to = time(ctx, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadRequest(400, "bad-window", "not a time window", "from must be before to");
        }
        double[] bbox = null;
        String b = ctx.queryParam("bbox");
        if (b != null) {
            String[] parts = b.length() > 200 ? new String[0] : b.split(",", -1);
            bbox = new double[4];
            boolean ok = parts.length == 4;
            for (int i = 0; ok && i < 4; i++) {
                try {
                    bbox[i] = Double.parseDouble(parts[i].strip());
                    ok = Double.isFinite(bbox[i]) && Math.abs(bbox[i]) <= (i % 2 == 0 ? 180 : 90);
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok || bbox[1] > bbox[3]) {
                throw new BadRequest(400, "bad-bbox", "not a bounding box", "bbox: '" + truncate(b)
                        + "' is not west,south,east,north in degrees (longitude −180 to 180, latitude −90 to 90, south ≤ north)");
            }
        }
        String actor = ctx.queryParam("actor");
        if (actor != null && !SLUG.matcher(actor).matches()) {
            throw new BadRequest(400, "bad-actor", "not an actor id", "actor: '" + truncate(actor) + "' is not an actor id");
        }
        String party = ctx.queryParam("party");
        if (party != null && !org.truce.core.entry.PartyId.isValid(party)) {
            throw new BadRequest(400, "bad-party", "not a party id", "party: '" + truncate(party) + "' is not a party id");
        }
        Boolean notified = bool(ctx, "notified");
        return new IncidentFilter(from, to, bbox, text(ctx, "type"), actor, party, text(ctx, "region"), bool(ctx, "hasClaims"),
                bool(ctx, "contested"), notified != null && notified);
    }

    /** An optional RFC 3339 UTC time parameter. */
    static @Nullable Instant time(Context ctx, String param) {
        String s = ctx.queryParam(param);
        if (s == null) {
            return null;
        }
        if (s.length() <= 40 && TIME.matcher(s).matches()) {
            try {
                return LocalDateTime.parse(s.substring(0, s.length() - 1), LOCAL).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // Answered below.
            }
        }
        throw new BadRequest(400, "bad-time", "not a time", param + ": '" + truncate(s)
                + "' is not an RFC 3339 UTC time such as 2016-09-19T12:00:00Z");
    }

    /** A calendar date parameter, {@code 2016-09-19}; {@code fallback} when absent, required when that is null. */
    static LocalDate date(Context ctx, String param, @Nullable LocalDate fallback) {
        String s = ctx.queryParam(param);
        if (s == null && fallback != null) {
            return fallback;
        }
        if (s != null && s.length() == 10) {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                // Answered below.
            }
        }
        throw new BadRequest(400, "bad-date", "not a date", param + ": give a date such as 2016-09-19"
                + (s == null ? "" : ", not '" + truncate(s) + "'"));
    }

    /** An optional short text parameter such as a type or region name. */
    static @Nullable String text(Context ctx, String param) {
        String s = ctx.queryParam(param);
        if (s != null && (s.isBlank() || s.length() > MAX_NAME || s.chars().anyMatch(c -> c < 0x20))) {
            throw new BadRequest(400, "bad-" + param, "not a " + param, param + ": give 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        return s;
    }

    /** {@code ?near=}: a distance in metres from 0 to 50,000, 1,000 when absent. */
    static double near(Context ctx) {
        return near(ctx, "near", org.truce.core.notification.Proximity.DEFAULT_DISTANCE);
    }

    /** A distance parameter in metres from 0 to 50,000, {@code fallback} when absent. */
    static double near(Context ctx, String param, double fallback) {
        String s = ctx.queryParam(param);
        if (s == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(s);
            if (d >= 0 && d <= org.truce.core.notification.Proximity.MAX_DISTANCE) {
                return d;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new BadRequest(400, "bad-" + param, "not a distance", param + ": metres from 0 to 50000");
    }

    /** An optional {@code true} or {@code false} parameter. */
    static @Nullable Boolean bool(Context ctx, String param) {
        String s = ctx.queryParam(param);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new BadRequest(400, "bad-" + param, "not true or false", param + " is true or false");
        };
    }

    /** {@code ?name=}: a name to look up, or null when absent. */
    static @Nullable String name(Context ctx) {
        return text(ctx, "name");
    }

    /** One page of ids: those after {@code after} in code-point order, at most {@code limit}. */
    static Page page(List<String> ids, @Nullable String after, int limit) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        List<String> rest = after == null ? sorted : sorted.stream().filter(id -> id.compareTo(after) > 0).toList();
        List<String> items = rest.subList(0, Math.min(limit, rest.size()));
        return new Page(List.copyOf(items), rest.size() > limit ? items.get(items.size() - 1) : null);
    }

    /**
     * Checks that every {@code %} of the raw request path starts an escape of two hexadecimal digits.
     * Javalin decodes path parameters before any handler runs, and a malformed escape escaped from it
     * as an {@code IllegalArgumentException}, answered 500 (Jetty checks the escapes of a path, but not
     * those after a {@code ;}).
     */
    static void percentEncoded(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
                throw new BadRequest(400, "bad-path", "not a valid path", "the path has a % at character " + i
                        + " that does not start an escape of two hexadecimal digits");
            }
        }
    }

    /** A page of ids, and the cursor of the next page when there is one. */
    record Page(List<String> items, @Nullable String next) {}

    static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
