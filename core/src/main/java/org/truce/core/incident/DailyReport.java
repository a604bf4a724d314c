package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.party.PartyRules;
import org.truce.core.state.StateView;

/**
 * The daily report: incidents of a day (by the start of their event-time window, UTC) per region and
 * type against the previous day and cumulatively since a start date, each party's records and claims
 * by stance side by side, and the day's incidents. Counts are of records and claims the reader may
 * see, not of established facts.
 */
public final class DailyReport {
    /** The longest cumulative period a report covers. */
    public static final int MAX_DAYS = 3_660;
    private static final List<String> STANCES = List.of("alleges", "denies", "acknowledges", "alternative", "cannot-confirm");

    private DailyReport() {}

    /**
     * Computes the report of {@code date} as {@code reader} sees it.
     *
     * @param region a first-level administrative region to limit it to, or null for all
     * @param since the first day of the cumulative count, at most {@code date}
     * @param log the checkpoint the state was read at, {@code {"size", "root"}}
     */
    public static ObjectNode compute(StateView state, Reader reader, LocalDate date, @Nullable String region,
            LocalDate since, ObjectNode log) {
        if (since.isAfter(date)) {
            throw new IllegalArgumentException("since (" + since + ") is after the report's date (" + date + ")");
        }
        if (since.plusDays(MAX_DAYS).isBefore(date)) {
            throw new IllegalArgumentException("a report counts at most " + MAX_DAYS + " days back");
        }
        Instant dayStart = start(date);
        Instant prevStart = start(date.minusDays(1));
        Instant end = start(date.plusDays(1));
        Instant from = start(since).isBefore(prevStart) ? start(since) : prevStart;
        IncidentFilter f = new IncidentFilter(from, end, null, null, null, null, region, null, null, false);
        Incidents incidents = new Incidents(state);
        Counts total = new Counts();
        Map<String, Counts> byRegion = new TreeMap<>();
        Map<String, Counts> byType = new TreeMap<>();
        Map<String, long[]> partyDay = new TreeMap<>();
        Map<String, long[]> partyAll = new TreeMap<>();
        state.findAll(PartyRules.COLLECTION, "role:party", 10_000)
                .forEach(d -> { partyDay.put(d.id(), new long[6]); partyAll.put(d.id(), new long[6]); });
        List<ObjectNode> today = new ArrayList<>();
        String cursor = null;
        do {
            Incidents.Page page = incidents.find(reader, f, cursor, 500);
            for (ObjectNode v : page.items()) {
                Instant t = Instant.parse(v.get("time").get("from").textValue());
                if (t.isBefore(from) || !t.isBefore(end)) {
                    continue;
                }
                int slot = !t.isBefore(dayStart) ? 0 : t.isBefore(prevStart) ? -1 : 1;
                boolean cumulative = !t.isBefore(start(since));
                String reg = v.get("location").path("admin1").asText("unknown");
                String type = v.get("type").get("event").textValue() + "\u0000" + v.get("type").get("subEvent").textValue();
                for (Counts c : List.of(total, byRegion.computeIfAbsent(reg, k -> new Counts()),
                        byType.computeIfAbsent(type, k -> new Counts()))) {
                    c.add(slot, cumulative);
                }
                if (slot == 0) {
                    today.add(summary(v, reg));
                }
                List<String> authors = new ArrayList<>();
                List<Integer> kinds = new ArrayList<>();
                authors.add(v.get("by").textValue());
                kinds.add(0);
                for (JsonNode c : v.get("claims")) {
                    authors.add(c.get("by").textValue());
                    kinds.add(1 + STANCES.indexOf(c.get("stance").textValue()));
                }
                for (int i = 0; i < authors.size(); i++) {
                    long[] day = partyDay.computeIfAbsent(authors.get(i), k -> new long[6]);
                    long[] all = partyAll.computeIfAbsent(authors.get(i), k -> new long[6]);
                    if (slot == 0) {
                        day[kinds.get(i)]++;
                    }
                    if (cumulative) {
                        all[kinds.get(i)]++;
                    }
                }
            }
            cursor = page.next();
        } while (cursor != null);

        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("date", date.toString());
        if (region == null) {
            r.putNull("region");
        } else {
            r.put("region", region);
        }
        r.put("since", since.toString());
        r.set("log", log);
        r.set("totals", total.json(JsonNodeFactory.instance.objectNode()));
        ArrayNode regions = r.putArray("byRegion");
        sorted(byRegion).forEach(e -> e.getValue().json(regions.addObject().put("region", e.getKey())));
        ArrayNode types = r.putArray("byType");
        sorted(byType).forEach(e -> {
            String[] t = e.getKey().split("\u0000");
            e.getValue().json(types.addObject().put("event", t[0]).put("subEvent", t[1]));
        });
        ArrayNode parties = r.putArray("parties");
        for (String p : partyAll.keySet()) {
            ObjectNode o = parties.addObject().put("party", p);
            o.put("name", state.get(PartyRules.COLLECTION, p).map(d -> d.body().path("name").asText(p)).orElse(p));
            stances(o.putObject("day"), partyDay.get(p));
            stances(o.putObject("cumulative"), partyAll.get(p));
        }
        today.sort(Comparator.comparing((ObjectNode o) -> o.get("from").textValue()).thenComparing(o -> o.get("id").textValue()));
        r.putArray("incidents").addAll(today);
        return r;
    }

    private static List<Map.Entry<String, Counts>> sorted(Map<String, Counts> m) {
        List<Map.Entry<String, Counts>> l = new ArrayList<>(m.entrySet());
        l.sort(Comparator.comparingLong((Map.Entry<String, Counts> e) -> -e.getValue().day)
                .thenComparingLong(e -> -e.getValue().cumulative).thenComparing(Map.Entry::getKey));
        l.removeIf(e -> e.getValue().day + e.getValue().previousDay + e.getValue().cumulative == 0);
        return l;
    }

    private static void stances(ObjectNode o, long[] c) {
        o.put("recorded", c[0]);
        o.put("alleges", c[1]);
        o.put("denies", c[2]);
        o.put("acknowledges", c[3]);
        o.put("alternative", c[4]);
        o.put("cannotConfirm", c[5]);
    }

    private static ObjectNode summary(ObjectNode v, String region) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", v.get("id").textValue());
        o.put("title", v.get("title").textValue());
        o.put("from", v.get("time").get("from").textValue());
        o.put("to", v.get("time").get("to").textValue());
        o.put("region", region);
        o.set("place", v.get("location").get("place"));
        o.put("event", v.get("type").get("event").textValue());
        o.put("subEvent", v.get("type").get("subEvent").textValue());
        JsonNode killed = v.path("casualties").path("killed").get("best");
        JsonNode injured = v.path("casualties").path("injured").get("best");
        o.set("killed", killed == null ? o.nullNode() : killed);
        o.set("injured", injured == null ? o.nullNode() : injured);
        o.put("contested", v.get("contested").booleanValue());
        o.put("claims", v.get("claims").size());
        JsonNode as = v.get("assessments");
        o.set("certainty", as.isEmpty() ? o.nullNode() : as.get(as.size() - 1).get("certainty"));
        if (o.get("place") == null) {
            o.putNull("place");
        }
        return o;
    }

    private static Instant start(LocalDate d) {
        return d.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static final class Counts {
        long day;
        long previousDay;
        long cumulative;

        void add(int slot, boolean inCumulative) {
            if (slot == 0) {
                day++;
            } else if (slot == 1) {
                previousDay++;
            }
            if (inCumulative) {
                cumulative++;
            }
        }

        ObjectNode json(ObjectNode o) {
            return o.put("day", day).put("previousDay", previousDay).put("cumulative", cumulative);
        }
    }
}
