package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;

/**
 * Incidents as ACLED-format CSV: ACLED's columns in ACLED's order where a field of ours exists, then
 * Truce's own columns (prefixed {@code truce_}) for what ACLED has no column for, under a header row
 * and a row of HXL hashtags. Reading accepts ACLED's own exports (with or without the HXL row, and the
 * older column set) and Truce's, and turns each row into an {@code incident} body checked against its
 * schema; a bad row is reported with its line and reason and never stops the others. Stateless.
 */
public final class Acled {
    /** ACLED's columns, in ACLED's order (the 2023 layout). */
    public static final List<String> ACLED_COLUMNS = List.of("event_id_cnty", "event_date", "year", "time_precision",
            "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
            "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
            "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
            "timestamp");
    /** Truce's columns after ACLED's: what makes a re-import give back the same incidents. */
    public static final List<String> TRUCE_COLUMNS = List.of("truce_title", "truce_time_from", "truce_time_to",
            "truce_time_precision", "truce_geo_precision", "truce_polygon", "truce_killed_low", "truce_killed_high",
            "truce_injured_low", "truce_injured_best", "truce_injured_high", "truce_actors", "truce_sites", "truce_movements",
            "truce_areas", "truce_agreements", "truce_version", "truce_entry", "truce_recorded_by", "truce_claims",
            "truce_contested", "truce_certainty");
    private static final String[] HXL_TAGS = {"#event+code", "#date+occurred", "#date+year", "#date+precision",
        "#event+type+disorder", "#event+type", "#event+type+sub", "#group+name+first", "#group+name+first+assoc",
        "#group+code+first", "#group+name+second", "#group+name+second+assoc", "#group+code+second",
        "#group+code+interaction", "#indicator+civilians_targeted", "#country+code+num", "#region+name", "#country+name",
        "#adm1+name", "#adm2+name", "#adm3+name", "#loc+name", "#geo+lat", "#geo+lon", "#geo+precision", "#meta+source",
        "#meta+source+scale", "#description", "#affected+killed", "#meta+tags", "#date+updated",
        "#description+title", "#date+start", "#date+end", "#date+precision+truce", "#geo+precision+truce", "#geo+polygon",
        "#affected+killed+low", "#affected+killed+high", "#affected+injured+low", "#affected+injured",
        "#affected+injured+high", "#group+id", "#loc+site+id", "#loc+movement+id", "#loc+area+id", "#meta+agreement+id",
        "#meta+version", "#meta+entry", "#org+recorded_by", "#indicator+claims+num", "#indicator+contested",
        "#indicator+certainty"};
    /** The HXL hashtag of each column. */
    public static final Map<String, String> HXL = hxl();
    /** The most rows read from one file. */
    public static final int MAX_ROWS = 200_000;
    /** The longest field read. */
    public static final int MAX_FIELD = 16_000;

    private static final List<String> REQUIRED = List.of("event_id_cnty", "event_date", "event_type", "sub_event_type",
            "latitude", "longitude");
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd-MM-uuuu", Locale.ROOT);

    private Acled() {}

    private static Map<String, String> hxl() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(ACLED_COLUMNS);
        all.addAll(TRUCE_COLUMNS);
        for (int i = 0; i < all.size(); i++) {
            m.put(all.get(i), HXL_TAGS[i]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    // ---- writing ----

    /** Writes the header, the HXL row and one row per incident view, with CRLF line ends (RFC 4180). */
    public static void write(Appendable out, Iterable<? extends JsonNode> incidents) throws IOException {
        List<String> columns = new ArrayList<>(ACLED_COLUMNS);
        columns.addAll(TRUCE_COLUMNS);
        CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180);
        p.printRecord(columns);
        p.printRecord(columns.stream().map(HXL::get).toList());
        for (JsonNode v : incidents) {
            Map<String, String> row = row(v);
            p.printRecord(columns.stream().map(c -> row.getOrDefault(c, "")).toList());
        }
        p.flush();
    }

    /** One incident view as the fields of a row. */
    static Map<String, String> row(JsonNode v) {
        Map<String, String> r = new HashMap<>();
        JsonNode time = v.get("time");
        JsonNode loc = v.get("location");
        Instant from = Instant.parse(time.get("from").textValue());
        LocalDate day = from.atOffset(ZoneOffset.UTC).toLocalDate();
        r.put("event_id_cnty", v.get("id").textValue());
        r.put("event_date", day.toString());
        r.put("year", Integer.toString(day.getYear()));
        r.put("time_precision", Integer.toString(acledCode(time.get("precision"), new int[] {1, 2, 2, 3, 3})));
        r.put("disorder_type", disorder(v.get("type").get("event").textValue()));
        r.put("event_type", v.get("type").get("event").textValue());
        r.put("sub_event_type", v.get("type").get("subEvent").textValue());
        for (JsonNode a : v.path("actorNames")) {
            String col = switch (a.get("role").textValue()) {
                case "actor1" -> "actor1";
                case "assoc1" -> "assoc_actor_1";
                case "actor2" -> "actor2";
                default -> "assoc_actor_2";
            };
            r.merge(col, a.get("name").textValue(), (x, y) -> x + "; " + y);
        }
        text(r, "iso", loc.get("iso"));
        for (String f : List.of("region", "country", "admin1", "admin2", "admin3")) {
            text(r, f, loc.get(f));
        }
        text(r, "location", loc.get("place"));
        JsonNode point = loc.has("point") ? loc.get("point") : centre(loc.get("polygon").get(0));
        r.put("latitude", number(point.get(1)));
        r.put("longitude", number(point.get(0)));
        r.put("geo_precision", Integer.toString(acledCode(loc.get("precision"), new int[] {1, 2, 2, 3, 3, 3, 3})));
        r.put("source", String.join("; ", texts(v.path("sources"))));
        text(r, "notes", v.get("summary"));
        JsonNode killed = v.path("casualties").path("killed");
        JsonNode injured = v.path("casualties").path("injured");
        r.put("fatalities", killed.has("best") ? killed.get("best").asText() : "");
        r.put("timestamp", Long.toString(Instant.parse(v.get("at").textValue()).getEpochSecond()));
        r.put("truce_title", v.get("title").textValue());
        r.put("truce_time_from", time.get("from").textValue());
        r.put("truce_time_to", time.get("to").textValue());
        r.put("truce_time_precision", precision(time.get("precision")));
        r.put("truce_geo_precision", precision(loc.get("precision")));
        if (loc.has("polygon")) {
            r.put("truce_polygon", loc.get("polygon").toString());
        }
        text(r, "truce_killed_low", killed.get("low"));
        text(r, "truce_killed_high", killed.get("high"));
        text(r, "truce_injured_low", injured.get("low"));
        text(r, "truce_injured_best", injured.get("best"));
        text(r, "truce_injured_high", injured.get("high"));
        for (String f : List.of("actors", "sites", "movements", "areas", "agreements")) {
            r.put("truce_" + f, String.join(";", texts(v.path(f))));
        }
        text(r, "truce_version", v.get("version"));
        text(r, "truce_entry", v.get("entry"));
        text(r, "truce_recorded_by", v.get("by"));
        r.put("truce_claims", Integer.toString(v.path("claims").size()));
        r.put("truce_contested", Boolean.toString(v.path("contested").asBoolean()));
        JsonNode as = v.path("assessments");
        if (!as.isEmpty()) {
            r.put("truce_certainty", as.get(as.size() - 1).get("certainty").textValue());
        }
        return r;
    }

    private static int acledCode(JsonNode precision, int[] fromUcdp) {
        int code = precision.get("code").intValue();
        return precision.get("scheme").textValue().equals("acled") ? code : fromUcdp[code - 1];
    }

    private static String precision(JsonNode p) {
        return p.get("scheme").textValue() + ":" + p.get("code").intValue();
    }

    private static String disorder(String event) {
        return switch (event) {
            case "Protests", "Riots" -> "Demonstrations";
            case "Strategic developments" -> "Strategic developments";
            default -> "Political violence";
        };
    }

    private static JsonNode centre(JsonNode ring) {
        double lon = 0;
        double lat = 0;
        for (int i = 0; i < ring.size() - 1; i++) {
            lon += ring.get(i).get(0).doubleValue();
            lat += ring.get(i).get(1).doubleValue();
        }
        ArrayNode c = JsonNodeFactory.instance.arrayNode();
        c.add(round(lon / (ring.size() - 1))).add(round(lat / (ring.size() - 1)));
        return c;
    }

    private static double round(double d) {
        return BigDecimal.valueOf(d).setScale(6, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    private static String number(JsonNode n) {
        return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
    }

    private static void text(Map<String, String> r, String col, @Nullable JsonNode n) {
        if (n != null && !n.isNull()) {
            r.put(col, n.asText());
        }
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.textValue()));
        return out;
    }

    // ---- reading ----

    /** A row read into an incident body, with the line of the file it starts on. */
    public record Row(long line, ObjectNode incident) {}

    /** A row that was not read, with the line it starts on and why. */
    public record Rejected(long line, String reason) {}

    /** The file as a whole cannot be read: no header, a required column missing, too many rows. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        public FormatException(String message) {
            super(message);
        }
    }

    /**
     * Reads a CSV file row by row, handing each good row to {@code good} and each bad one to
     * {@code bad}, in file order.
     *
     * @throws FormatException if the file as a whole is not ACLED-format CSV
     */
    public static void read(java.io.Reader in, Consumer<Row> good, Consumer<Rejected> bad) throws IOException, FormatException {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setTrim(false).get();
        try (CSVParser parser = CSVParser.builder().setReader(in).setFormat(format).get()) {
            readRecords(parser, good, bad);
        } catch (org.apache.commons.csv.CSVException e) {
            throw new FormatException("not CSV: " + e.getMessage());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof org.apache.commons.csv.CSVException c) {
                throw new FormatException("not CSV: " + c.getMessage());
            }
            throw e.getCause();
        }
    }

    private static void readRecords(CSVParser parser, Consumer<Row> good, Consumer<Rejected> bad) throws FormatException {
        var it = parser.iterator();
        if (!it.hasNext()) {
            throw new FormatException("the file is empty; it starts with a header row of ACLED's column names");
        }
        CSVRecord header = it.next();
        Map<String, Integer> cols = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            cols.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT).replace("\uFEFF", ""), i);
        }
        List<String> missing = REQUIRED.stream().filter(c -> !cols.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new FormatException("line 1: the header lacks the column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + "; it has " + String.join(", ", header.toList()).substring(0,
                            Math.min(200, String.join(", ", header.toList()).length())));
        }
        Set<String> ids = new HashSet<>();
        long lineAfter = parser.getCurrentLineNumber();
        int rows = 0;
        while (true) {
            CSVRecord rec;
            try {
                if (!it.hasNext()) {
                    break;
                }
                rec = it.next();
            } catch (UncheckedIOException e) {
                throw new FormatException("line " + (lineAfter + 1) + ": " + e.getCause().getMessage());
            }
            long line = lineAfter + 1;
            lineAfter = parser.getCurrentLineNumber();
            if (rec.size() > 0 && rec.get(0).startsWith("#")) {
                continue;
            }
            if (++rows > MAX_ROWS) {
                throw new FormatException("the file has more than " + MAX_ROWS + " rows; split it");
            }
            try {
                ObjectNode body = incident(rec, cols);
                String id = body.get("id").textValue();
                if (!ids.add(id)) {
                    throw new RowException("event_id_cnty: " + id + " appears on an earlier line of this file");
                }
                good.accept(new Row(line, body));
            } catch (RowException e) {
                bad.accept(new Rejected(line, e.getMessage()));
            }
        }
    }

    private static final class RowException extends Exception {
        private static final long serialVersionUID = 1L;

        RowException(String message) {
            super(message, null, false, false);
        }
    }

    private static ObjectNode incident(CSVRecord rec, Map<String, Integer> cols) throws RowException {
        Fields f = new Fields(rec, cols);
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        String id = f.required("event_id_cnty").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+", "");
        if (id.isEmpty() || id.length() > 64) {
            throw new RowException("event_id_cnty: '" + clip(f.get("event_id_cnty")) + "' does not make an id of 1 to 64 letters, digits and hyphens");
        }
        b.put("id", id);
        String event = canonical(f.required("event_type"), IncidentRules.EVENT_TYPES.keySet(), "event_type");
        String sub = canonical(f.required("sub_event_type").replace("protestors", "protesters"),
                IncidentRules.EVENT_TYPES.get(event), "sub_event_type");
        String place = f.get("location");
        String title = f.get("truce_title");
        b.put("title", clip200(title.isEmpty() ? sub + (place.isEmpty() ? "" : " in " + place) : title));
        ObjectNode time = b.putObject("time");
        if (!f.get("truce_time_from").isEmpty()) {
            time.put("from", f.time("truce_time_from"));
            time.put("to", f.time("truce_time_to"));
        } else {
            LocalDate d = f.date("event_date");
            int code = f.code("time_precision", 3, 1);
            int before = code == 1 ? 0 : code == 2 ? 3 : 15;
            int after = code == 1 ? 1 : code == 2 ? 4 : 16;
            time.put("from", d.minusDays(before).atStartOfDay().toInstant(ZoneOffset.UTC).toString());
            time.put("to", d.plusDays(after).atStartOfDay().toInstant(ZoneOffset.UTC).toString());
        }
        precision(time.putObject("precision"), f, "truce_time_precision", "time_precision", 3, 5);
        ObjectNode loc = b.putObject("location");
        if (!f.get("truce_polygon").isEmpty()) {
            try {
                loc.set("polygon", Json.parse(f.get("truce_polygon").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (InvalidJsonException e) {
                throw new RowException("truce_polygon: not a JSON array of rings: " + e.getMessage());
            }
        } else {
            loc.putArray("point").add(f.decimal("longitude", 180)).add(f.decimal("latitude", 90));
        }
        precision(loc.putObject("precision"), f, "truce_geo_precision", "geo_precision", 3, 7);
        for (String c : List.of("country", "region", "admin1", "admin2", "admin3")) {
            f.line(loc, c, c);
        }
        f.line(loc, "place", "location");
        if (!f.get("iso").isEmpty()) {
            loc.put("iso", f.integer("iso", 999));
        }
        b.putObject("type").put("event", event).put("subEvent", sub);
        ObjectNode cas = JsonNodeFactory.instance.objectNode();
        ObjectNode killed = JsonNodeFactory.instance.objectNode();
        f.count(killed, "low", "truce_killed_low");
        f.count(killed, "best", "fatalities");
        f.count(killed, "high", "truce_killed_high");
        ObjectNode injured = JsonNodeFactory.instance.objectNode();
        f.count(injured, "low", "truce_injured_low");
        f.count(injured, "best", "truce_injured_best");
        f.count(injured, "high", "truce_injured_high");
        if (!killed.isEmpty()) {
            cas.set("killed", killed);
        }
        if (!injured.isEmpty()) {
            cas.set("injured", injured);
        }
        if (!cas.isEmpty()) {
            b.set("casualties", cas);
        }
        ArrayNode names = JsonNodeFactory.instance.arrayNode();
        for (String[] c : new String[][] {{"actor1", "actor1"}, {"assoc_actor_1", "assoc1"}, {"actor2", "actor2"},
            {"assoc_actor_2", "assoc2"}}) {
            for (String n : f.get(c[0]).split(";")) {
                if (!n.isBlank() && names.size() < 8) {
                    names.addObject().put("name", clip200(n.strip())).put("role", c[1]);
                }
            }
        }
        if (!names.isEmpty()) {
            b.set("actorNames", names);
        }
        for (String l : List.of("actors", "sites", "movements", "areas", "agreements")) {
            String v = f.get("truce_" + l);
            if (!v.isEmpty()) {
                ArrayNode a = b.putArray(l);
                for (String s : v.split(";")) {
                    a.add(s.strip());
                }
            }
        }
        if (!f.get("notes").isEmpty()) {
            b.put("summary", f.get("notes"));
        }
        if (!f.get("source").isEmpty()) {
            ArrayNode s = b.putArray("sources");
            for (String part : f.get("source").split(";")) {
                if (!part.isBlank() && s.size() < 20) {
                    s.add(part.strip());
                }
            }
        }
        try {
            Kinds.standard().validate(IncidentRules.INCIDENT, b);
        } catch (EntryException e) {
            throw new RowException(e.getMessage());
        }
        return b;
    }

    private static void precision(ObjectNode p, Fields f, String truceCol, String acledCol, int acledMax, int ucdpMax)
            throws RowException {
        String t = f.get(truceCol);
        if (t.isEmpty()) {
            p.put("scheme", "acled").put("code", f.code(acledCol, acledMax, 1));
            return;
        }
        String[] parts = t.split(":", 2);
        int max = parts[0].equals("acled") ? acledMax : parts[0].equals("ucdp") ? ucdpMax : 0;
        if (parts.length != 2 || max == 0 || !parts[1].matches("[1-9]") || Integer.parseInt(parts[1]) > max) {
            throw new RowException(truceCol + ": '" + clip(t) + "' is not acled:1.." + acledMax + " or ucdp:1.." + ucdpMax);
        }
        p.put("scheme", parts[0]).put("code", Integer.parseInt(parts[1]));
    }

    private static String canonical(String value, java.util.Collection<String> allowed, String col) throws RowException {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.strip())) {
                return a;
            }
        }
        throw new RowException(col + ": '" + clip(value) + "' is not one of " + String.join(", ", allowed));
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static String clip200(String s) {
        String t = s.replaceAll("[\\u0000-\\u001f]", " ");
        return t.length() <= 200 ? t : t.substring(0, 199) + "…";
    }

    /** The fields of one record by column name, each bounded. */
    private static final class Fields {
        private final CSVRecord rec;
        private final Map<String, Integer> cols;

        Fields(CSVRecord rec, Map<String, Integer> cols) throws RowException {
            this.rec = rec;
            this.cols = cols;
            for (String v : rec) {
                if (v.length() > MAX_FIELD) {
                    throw new RowException("a field is longer than " + MAX_FIELD + " characters");
                }
            }
        }

        String get(String col) {
            Integer i = cols.get(col);
            return i == null || i >= rec.size() ? "" : rec.get(i).strip();
        }

        String required(String col) throws RowException {
            String v = get(col);
            if (v.isEmpty()) {
                throw new RowException(col + ": empty; every row needs " + String.join(", ", REQUIRED));
            }
            return v;
        }

        void line(ObjectNode o, String field, String col) {
            String v = get(col);
            if (!v.isEmpty()) {
                o.put(field, clip200(v));
            }
        }

        LocalDate date(String col) throws RowException {
            String v = required(col);
            for (DateTimeFormatter fmt : List.of(DateTimeFormatter.ISO_LOCAL_DATE, LONG_DATE, DMY)) {
                try {
                    return LocalDate.parse(v, fmt);
                } catch (DateTimeParseException e) {
                    // Try the next form.
                }
            }
            throw new RowException(col + ": '" + clip(v) + "' is not a date such as 2016-09-19, 19 September 2016 or 19-09-2016");
        }

        String time(String col) throws RowException {
            String v = required(col);
            try {
                return Instant.parse(v).toString();
            } catch (DateTimeParseException e) {
                throw new RowException(col + ": '" + clip(v) + "' is not an RFC 3339 UTC time");
            }
        }

        int code(String col, int max, int absent) throws RowException {
            String v = get(col);
            return v.isEmpty() ? absent : integerIn(col, v, 1, max);
        }

        int integer(String col, int max) throws RowException {
            return integerIn(col, get(col), 1, max);
        }

        void count(ObjectNode o, String field, String col) throws RowException {
            String v = get(col);
            if (!v.isEmpty()) {
                o.put(field, integerIn(col, v, 0, 10_000_000));
            }
        }

        private static int integerIn(String col, String v, int min, int max) throws RowException {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // Answered below.
            }
            throw new RowException(col + ": '" + clip(v) + "' is not a whole number from " + min + " to " + max);
        }

        double decimal(String col, double bound) throws RowException {
            String v = required(col);
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d) && Math.abs(d) <= bound && v.matches("-?[0-9]+(\\.[0-9]+)?")) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // Answered below.
            }
            throw new RowException(col + ": '" + clip(v) + "' is not a number from -" + (int) bound + " to " + (int) bound);
        }
    }
}
