package org.truce.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How the commands print for people: aligned tables, times in UTC (and a local zone), wrapped text. Stateless. */
public final class Text {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("P(?:([0-9]{1,4})D)?(?:T(?:([0-9]{1,5})H)?(?:([0-9]{1,6})M)?)?");
    /** The width text is wrapped at. */
    public static final int WIDTH = 100;

    private Text() {}

    /**
     * An RFC 3339 time as {@code 2016-09-20 00:00Z}, with whole seconds when they are not zero, or "–"
     * when absent.
     */
    public static String when(@Nullable JsonNode time) {
        if (time == null || !time.isTextual()) {
            return "–";
        }
        try {
            Instant t = Instant.parse(time.textValue());
            return t.getEpochSecond() % 60 == 0 && t.getNano() == 0 ? UTC.format(t) : UTC_SECONDS.format(t);
        } catch (DateTimeException e) {
            return time.textValue();
        }
    }

    /** {@link #when}, followed by the same moment in {@code zone} when it names a real zone. */
    public static String when(@Nullable JsonNode time, @Nullable String zone) {
        String utc = when(time);
        if (zone == null || time == null || !time.isTextual()) {
            return utc;
        }
        try {
            return utc + " (" + LOCAL.format(Instant.parse(time.textValue()).atZone(ZoneId.of(zone))) + " " + zone + ")";
        } catch (DateTimeException e) {
            return utc;
        }
    }

    /**
     * An ISO 8601 duration of days, hours and minutes in words, unit by unit as written ("PT48H" is
     * "48 hours", "P1DT12H" "1 day 12 hours"), or as given when it is not one.
     */
    public static String duration(String iso) {
        java.util.regex.Matcher m = DURATION.matcher(iso);
        if (!m.matches()) {
            return iso;
        }
        List<String> parts = new ArrayList<>();
        String[] units = {"day", "hour", "minute"};
        for (int i = 0; i < units.length; i++) {
            String n = m.group(i + 1);
            if (n != null) {
                parts.add(Long.parseLong(n) + " " + units[i] + (Long.parseLong(n) == 1 ? "" : "s"));
            }
        }
        return parts.isEmpty() ? iso : String.join(" ", parts);
    }

    /** The strings of a JSON array, joined by {@code sep}; "–" when empty or absent. */
    public static String join(@Nullable JsonNode array, String sep) {
        List<String> parts = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> parts.add(n.asText()));
        }
        return parts.isEmpty() ? "–" : String.join(sep, parts);
    }

    /** Prints {@code text} wrapped at {@link #WIDTH}, each line after {@code indent}. */
    public static void wrap(PrintWriter out, String indent, String text) {
        wrap(out, indent, indent, text);
    }

    /** Prints {@code text} wrapped at {@link #WIDTH}, its first line after {@code first}, the others after {@code indent}. */
    public static void wrap(PrintWriter out, String first, String indent, String text) {
        String lead = first;
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder(lead);
            int start = lead.length();
            for (String word : paragraph.split(" ")) {
                if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
                    out.println(line);
                    line = new StringBuilder(indent);
                    start = indent.length();
                }
                if (line.length() > start) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.println(line);
            lead = indent;
        }
    }

    /** Rows, under headings when it has them, each column as wide as its widest cell. Not thread-safe. */
    public static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;
        private final int headed;

        public Table(String... headings) {
            columns = headings.length;
            rows.add(headings);
            headed = 1;
        }

        private Table(int columns) {
            this.columns = columns;
            this.headed = 0;
        }

        /** A table of {@code columns} columns without headings, such as "name: value" lines. */
        public static Table plain(int columns) {
            return new Table(columns);
        }

        public Table row(String... cells) {
            if (cells.length != columns) {
                throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns);
            }
            rows.add(cells);
            return this;
        }

        /** Whether it has rows beyond its headings. */
        public boolean isEmpty() {
            return rows.size() == headed;
        }

        public void print(PrintWriter out, String indent) {
            int[] widths = new int[columns];
            for (String[] r : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder(indent);
                for (int i = 0; i < columns; i++) {
                    line.append(r[i]);
                    if (i < columns - 1) {
                        line.append(" ".repeat(widths[i] - r[i].length() + 2));
                    }
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
