package org.truce.core.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Draws the report's chart as SVG 1.1: for each region, then for each type of violation, a pair of
 * horizontal bars, the previous day above the day, with the count at each bar's end. The previous day is
 * a light hatched bar and the day a dark solid one, so that the two differ in print and without colour.
 */
final class ReportChart {
    /** The width of the image in user units (CSS pixels at 100 %). */
    static final int WIDTH = 720;
    /** How many types get a bar of their own; the rest are summed into one bar. */
    static final int TOP_TYPES = 10;
    /** The longest label shown whole, in characters; longer names end with an ellipsis. */
    static final int MAX_LABEL = 30;

    private static final String ID_BY_REGION = "dr-by-region";
    private static final String ID_BY_TYPE = "dr-by-type";
    private static final String ID_TITLE = "dr-title";
    private static final String ID_DESC = "dr-desc";
    private static final String ID_HATCH = "dr-hatch";

    private static final int MARGIN = 16;
    private static final int LABEL_WIDTH = 200;
    private static final int PLOT_X = MARGIN + LABEL_WIDTH;
    private static final int BAR = 12;
    private static final int BAR_GAP = 2;
    private static final int ROW_GAP = 10;
    private static final int ROW = 2 * BAR + BAR_GAP + ROW_GAP;
    /** A generous width of one character of the 11-unit sans-serif font, so that counts never overflow. */
    private static final double CHAR_WIDTH = 6.6;
    private static final int HEADING_CHARS = 90;
    private static final String PREVIOUS_FILL = "url(#" + ID_HATCH + ")";
    private static final String DAY_FILL = "#333333";
    private static final String GRID = "#999999";
    private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    /** One category's pair of bars: its short label, its full name, and its counts. */
    record Bars(String label, String name, long previousDay, long day) {}

    private ReportChart() {}

    /** The chart as a standalone SVG document. */
    static String document(Report report) {
        return XML_DECLARATION + element(report) + "\n";
    }

    /** The chart as an {@code <svg>} element without XML declaration, to be inlined into HTML. */
    static String element(Report report) {
        List<Bars> regions = regions(report);
        List<Bars> types = topTypes(report.byType());
        boolean empty = isEmpty(report);
        String days = report.previousDay() + " and " + report.date();
        String title = "Violations by region and by type, " + days
                + (report.region() == null ? "" : ", " + report.region());

        double valueSpace = 8 + CHAR_WIDTH * maxChars(regions, types);
        double plotWidth = WIDTH - PLOT_X - MARGIN - valueSpace;
        int height = empty ? 96 : 76 + panelHeight(regions) + panelHeight(types) + MARGIN;

        Markup m = Markup.xml();
        m.start("svg", "xmlns", "http://www.w3.org/2000/svg", "version", "1.1",
                "width", Integer.toString(WIDTH), "height", Integer.toString(height),
                "viewBox", "0 0 " + WIDTH + " " + height, "role", "img",
                "aria-labelledby", ID_TITLE + " " + ID_DESC,
                "font-family", "Helvetica, Arial, sans-serif", "font-size", "11", "fill", "#000000");
        m.newline().element("title", title, "id", ID_TITLE);
        m.newline().element("desc", describe(report, regions, types, empty), "id", ID_DESC);
        m.newline().start("defs").start("pattern", "id", ID_HATCH, "width", "6", "height", "6",
                        "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)")
                .empty("rect", "width", "6", "height", "6", "fill", "#ffffff")
                .empty("rect", "width", "2", "height", "6", "fill", "#000000")
                .end().end();
        m.newline().empty("rect", "width", Integer.toString(WIDTH), "height", Integer.toString(height),
                "fill", "#ffffff");
        heading(m, title, MARGIN, 26);
        if (empty) {
            m.newline().element("text", "No incidents recorded on " + report.previousDay() + " or "
                    + report.date() + ".", "class", "empty", "x", Integer.toString(MARGIN), "y", "64",
                    "font-size", "13");
        } else {
            legend(m, report);
            int y = 76;
            y = panel(m, ID_BY_REGION, "By region", regions, y, plotWidth);
            panel(m, ID_BY_TYPE, types.size() > TOP_TYPES
                    ? "By type (the " + TOP_TYPES + " most frequent on the day, the rest as other)"
                    : "By type", types, y, plotWidth);
        }
        m.newline().end();
        return m.toString();
    }

    /** Whether the chart has no bar to draw: no incident in any region or of any type on either day. */
    static boolean isEmpty(Report report) {
        return !hasAny(regions(report)) && !hasAny(topTypes(report.byType()));
    }

    private static List<Bars> regions(Report report) {
        return report.byRegion().stream()
                .map(r -> new Bars(r.region(), r.region(), r.counts().previousDay(), r.counts().day())).toList();
    }

    /**
     * The types with a bar of their own, most frequent on the day first, and the rest summed as one
     * "other" bar. Ties keep the input's order, so the choice is deterministic.
     */
    static List<Bars> topTypes(List<Report.TypeRow> rows) {
        List<Report.TypeRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong((Report.TypeRow t) -> t.counts().day()).reversed());
        List<Bars> out = new ArrayList<>();
        for (Report.TypeRow t : sorted.subList(0, Math.min(TOP_TYPES, sorted.size()))) {
            out.add(new Bars(t.shortName(), t.fullName(), t.counts().previousDay(), t.counts().day()));
        }
        if (sorted.size() > TOP_TYPES) {
            List<Report.TypeRow> rest = sorted.subList(TOP_TYPES, sorted.size());
            String other = "Other (" + rest.size() + " types)";
            out.add(new Bars(other, other,
                    rest.stream().mapToLong(t -> t.counts().previousDay()).sum(),
                    rest.stream().mapToLong(t -> t.counts().day()).sum()));
        }
        return out;
    }

    private static boolean hasAny(List<Bars> bars) {
        return bars.stream().anyMatch(b -> b.previousDay() > 0 || b.day() > 0);
    }

    private static int panelHeight(List<Bars> bars) {
        return hasAny(bars) ? 24 + bars.size() * ROW - ROW_GAP + 16 + 20 : 24 + 28;
    }

    private static int maxChars(List<Bars> regions, List<Bars> types) {
        int n = 1;
        for (List<Bars> list : List.of(regions, types)) {
            for (Bars b : list) {
                n = Math.max(n, Math.max(Figures.count(b.previousDay()).length(), Figures.count(b.day()).length()));
            }
        }
        return n;
    }

    private static void heading(Markup m, String text, int x, int y) {
        m.newline().start("text", "x", Integer.toString(x), "y", Integer.toString(y), "font-size", "16",
                "font-weight", "bold");
        if (Figures.isTruncated(text, HEADING_CHARS)) {
            m.element("title", text);
        }
        m.text(Figures.truncate(text, HEADING_CHARS)).end();
    }

    private static void legend(Markup m, Report report) {
        m.newline().start("g", "class", "legend");
        m.empty("rect", "x", Integer.toString(MARGIN), "y", "42", "width", "16", "height", Integer.toString(BAR),
                "fill", PREVIOUS_FILL, "stroke", "#000000");
        m.element("text", "Previous day, " + report.previousDay(), "x", Integer.toString(MARGIN + 22), "y", "52");
        int x = MARGIN + 200;
        m.empty("rect", "x", Integer.toString(x), "y", "42", "width", "16", "height", Integer.toString(BAR),
                "fill", DAY_FILL, "stroke", "#000000");
        m.element("text", "The day, " + report.date(), "x", Integer.toString(x + 22), "y", "52");
        m.end();
    }

    /** Draws one panel from {@code top} and returns where the next one starts. */
    private static int panel(Markup m, String id, String title, List<Bars> bars, int top, double plotWidth) {
        m.newline().start("g", "id", id, "class", "panel");
        m.newline().element("text", title, "x", Integer.toString(MARGIN), "y", Integer.toString(top + 14),
                "font-size", "13", "font-weight", "bold");
        int y = top + 24;
        if (!hasAny(bars)) {
            m.newline().element("text", "No incidents on either day.", "class", "empty",
                    "x", Integer.toString(MARGIN), "y", Integer.toString(y + 16));
            m.newline().end();
            return y + 28;
        }
        long max = bars.stream().mapToLong(b -> Math.max(b.previousDay(), b.day())).max().orElse(1);
        long step = step(max);
        long axisEnd = Math.max(1, ceilDiv(max, step)) * step;
        int bottom = y + bars.size() * ROW - ROW_GAP;

        m.newline().start("g", "class", "axis");
        for (long t = 0; t <= axisEnd; t += step) {
            String x = coordinate(PLOT_X + plotWidth * t / axisEnd);
            m.empty("line", "x1", x, "y1", Integer.toString(y - 4), "x2", x, "y2", Integer.toString(bottom + 2),
                    "stroke", t == 0 ? "#000000" : GRID, "stroke-width", "1");
            m.element("text", tick(t), "x", x, "y", Integer.toString(bottom + 14), "text-anchor", "middle",
                    "font-size", "10");
        }
        m.end();

        for (int i = 0; i < bars.size(); i++) {
            Bars b = bars.get(i);
            int ry = y + i * ROW;
            String label = b.label();
            m.newline().start("g", "class", "row");
            m.start("text", "class", "label", "x", Integer.toString(PLOT_X - 8),
                    "y", Integer.toString(ry + BAR + BAR_GAP / 2 + 4), "text-anchor", "end");
            if (Figures.isTruncated(label, MAX_LABEL) || !label.equals(b.name())) {
                m.element("title", b.name());
            }
            m.text(Figures.truncate(label, MAX_LABEL)).end();
            bar(m, "previous", b.name() + ", previous day", b.previousDay(), ry, axisEnd, plotWidth, PREVIOUS_FILL);
            bar(m, "day", b.name() + ", the day", b.day(), ry + BAR + BAR_GAP, axisEnd, plotWidth, DAY_FILL);
            m.end();
        }
        m.newline().end();
        return bottom + 16 + 20;
    }

    private static void bar(Markup m, String kind, String name, long value, int y, long axisEnd, double plotWidth,
                            String fill) {
        double w = plotWidth * value / axisEnd;
        if (value > 0) {
            w = Math.max(w, 1);
        }
        m.start("rect", "class", "bar " + kind, "x", Integer.toString(PLOT_X), "y", Integer.toString(y),
                "width", coordinate(w), "height", Integer.toString(BAR), "fill", fill, "stroke", "#000000",
                "stroke-width", value > 0 ? "0.75" : "0");
        m.element("title", name + ": " + Figures.count(value)).end();
        m.element("text", Figures.count(value), "class", "value " + kind, "x", coordinate(PLOT_X + w + 4),
                "y", Integer.toString(y + BAR - 2));
    }

    private static String describe(Report report, List<Bars> regions, List<Bars> types, boolean empty) {
        if (empty) {
            return "No incidents recorded on " + report.previousDay() + " or " + report.date() + ".";
        }
        StringBuilder d = new StringBuilder("Horizontal bar chart of the violations recorded on the previous day, "
                + report.previousDay() + " (light hatched bars), and on the day, " + report.date()
                + " (dark solid bars).");
        describe(d, "By region", regions);
        describe(d, "By type", types);
        return d.toString();
    }

    private static void describe(StringBuilder d, String title, List<Bars> bars) {
        d.append(' ').append(title).append(':');
        if (bars.isEmpty()) {
            d.append(" none.");
            return;
        }
        for (int i = 0; i < bars.size(); i++) {
            Bars b = bars.get(i);
            d.append(i == 0 ? " " : "; ").append(b.name()).append(' ').append(Figures.count(b.previousDay()))
                    .append(" then ").append(Figures.count(b.day()));
        }
        d.append('.');
    }

    /** The axis step: the smallest of 1, 2, 5, 10, 20, 50, ... that divides the axis into at most five parts. */
    static long step(long max) {
        long step = 1;
        int i = 0;
        while (ceilDiv(max, step) > 5) {
            step = i % 3 == 1 ? step / 2 * 5 : step * 2;
            i++;
        }
        return step;
    }

    /** A tick label, shortened for large numbers: {@code 2,500}, {@code 25k}, {@code 2.5M}, {@code 1.5bn}. */
    static String tick(long value) {
        if (value < 10_000) {
            return Figures.count(value);
        }
        long unit = value < 1_000_000 ? 1_000 : value < 1_000_000_000 ? 1_000_000 : 1_000_000_000;
        String suffix = unit == 1_000 ? "k" : unit == 1_000_000 ? "M" : "bn";
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString()
                + suffix;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** A coordinate with at most one decimal, written the same in every locale. */
    private static String coordinate(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
