package org.truce.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** The daily report read from its JSON form into values, so that rendering never deals with missing fields. */
record Report(LocalDate date, @Nullable String region, String since, long logSize, String logRoot,
              Counts totals, List<RegionRow> byRegion, List<TypeRow> byType, List<PartyRow> parties,
              List<Incident> incidents) {

    /** The largest count accepted: 2^53 − 1, the largest integer every JSON implementation keeps exactly. */
    static final long MAX_COUNT = (1L << 53) - 1;

    Report {
        byRegion = List.copyOf(byRegion);
        byType = List.copyOf(byType);
        parties = List.copyOf(parties);
        incidents = List.copyOf(incidents);
    }

    /** The day before the one reported. */
    LocalDate previousDay() {
        return date.minusDays(1);
    }

    /** Violations on the day, on the day before, and since the truce began. */
    record Counts(long day, long previousDay, long cumulative) {
        /** The change from the previous day to the day. */
        long change() {
            return day - previousDay;
        }
    }

    /** One region's counts. */
    record RegionRow(String region, Counts counts) {}

    /** One type's counts: an event type and, where it has one, its sub-event type. */
    record TypeRow(String event, @Nullable String subEvent, Counts counts) {
        /** The name of the type, most specific part first. */
        String shortName() {
            return subEvent == null ? event : subEvent;
        }

        /** The full name of the type: event and sub-event. */
        String fullName() {
            return subEvent == null ? event : event + " — " + subEvent;
        }
    }

    /** How many incidents a party recorded, and how it answered others' records. */
    record Stances(long recorded, long alleges, long denies, long acknowledges, long alternative,
                   long cannotConfirm) {}

    /** One party's stances on the day and since the truce began. */
    record PartyRow(String party, String name, Stances day, Stances cumulative) {}

    /** One of the day's incidents. */
    record Incident(String id, String title, String from, @Nullable String to, @Nullable String region,
                    @Nullable String place, @Nullable String event, @Nullable String subEvent,
                    @Nullable Long killed, @Nullable Long injured, boolean contested, long claims,
                    @Nullable String certainty) {}

    /**
     * Reads a report of the shape documented on {@link DailyReportView}.
     *
     * @throws IllegalArgumentException if a required field is missing or of the wrong type, naming it
     */
    static Report parse(ObjectNode report) {
        String date = text(report, "date", "date");
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("report field 'date' is not an ISO date: " + date, e);
        }
        JsonNode log = object(report, "log", "log");
        return new Report(day, optionalText(report, "region", "region"), text(report, "since", "since"),
                count(log, "size", "log.size"), text(log, "root", "log.root"),
                counts(object(report, "totals", "totals"), "totals"),
                list(report, "byRegion", (n, at) -> new RegionRow(text(n, "region", at + ".region"), counts(n, at))),
                list(report, "byType", (n, at) -> new TypeRow(text(n, "event", at + ".event"),
                        optionalText(n, "subEvent", at + ".subEvent"), counts(n, at))),
                list(report, "parties", (n, at) -> new PartyRow(text(n, "party", at + ".party"),
                        text(n, "name", at + ".name"), stances(object(n, "day", at + ".day"), at + ".day"),
                        stances(object(n, "cumulative", at + ".cumulative"), at + ".cumulative"))),
                list(report, "incidents", Report::incident));
    }

    private static Incident incident(JsonNode n, String at) {
        JsonNode contested = n.path("contested");
        if (!contested.isMissingNode() && !contested.isNull() && !contested.isBoolean()) {
            throw new IllegalArgumentException("report field '" + at + ".contested' is not a boolean");
        }
        return new Incident(text(n, "id", at + ".id"), text(n, "title", at + ".title"),
                text(n, "from", at + ".from"), optionalText(n, "to", at + ".to"),
                optionalText(n, "region", at + ".region"), optionalText(n, "place", at + ".place"),
                optionalText(n, "event", at + ".event"), optionalText(n, "subEvent", at + ".subEvent"),
                optionalCount(n, "killed", at + ".killed"), optionalCount(n, "injured", at + ".injured"),
                contested.asBoolean(false), n.has("claims") ? count(n, "claims", at + ".claims") : 0,
                optionalText(n, "certainty", at + ".certainty"));
    }

    private static Counts counts(JsonNode n, String at) {
        return new Counts(count(n, "day", at + ".day"), count(n, "previousDay", at + ".previousDay"),
                count(n, "cumulative", at + ".cumulative"));
    }

    private static Stances stances(JsonNode n, String at) {
        return new Stances(count(n, "recorded", at + ".recorded"), count(n, "alleges", at + ".alleges"),
                count(n, "denies", at + ".denies"), count(n, "acknowledges", at + ".acknowledges"),
                count(n, "alternative", at + ".alternative"), count(n, "cannotConfirm", at + ".cannotConfirm"));
    }

    /** A reader of one array element, given the element and its path for error messages. */
    private interface ElementReader<T> {
        T read(JsonNode element, String at);
    }

    private static <T> List<T> list(JsonNode n, String field, ElementReader<T> reader) {
        JsonNode array = n.get(field);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("report field '" + field + "' is missing or not an array");
        }
        List<T> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = field + "[" + i + "]";
            out.add(reader.read(object(array, i, at), at));
        }
        return out;
    }

    private static JsonNode object(JsonNode n, String field, String at) {
        return requireObject(n.get(field), at);
    }

    private static JsonNode object(JsonNode array, int index, String at) {
        return requireObject(array.get(index), at);
    }

    private static JsonNode requireObject(@Nullable JsonNode n, String at) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("report field '" + at + "' is missing or not an object");
        }
        return n;
    }

    private static String text(JsonNode n, String field, String at) {
        String s = optionalText(n, field, at);
        if (s == null) {
            throw new IllegalArgumentException("report field '" + at + "' is missing");
        }
        return s;
    }

    private static @Nullable String optionalText(JsonNode n, String field, String at) {
        return optional(n, field, at, JsonNode::isTextual, JsonNode::textValue, "a string");
    }

    private static long count(JsonNode n, String field, String at) {
        Long c = optionalCount(n, field, at);
        if (c == null) {
            throw new IllegalArgumentException("report field '" + at + "' is missing");
        }
        return c;
    }

    private static @Nullable Long optionalCount(JsonNode n, String field, String at) {
        return optional(n, field, at,
                v -> v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0 && v.longValue() <= MAX_COUNT,
                JsonNode::longValue, "a count from 0 to 2^53 − 1");
    }

    private static <T> @Nullable T optional(JsonNode n, String field, String at,
                                            Predicate<JsonNode> valid,
                                            Function<JsonNode, T> value, String what) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!valid.test(v)) {
            throw new IllegalArgumentException("report field '" + at + "' is not " + what);
        }
        return value.apply(v);
    }
}
