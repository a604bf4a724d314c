package org.truce.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The plot of {@code ./bench/deconflict --scaling}: checks per CPU second of the checking thread, and
 * the p99 of each check's fastest time, against the number of active volumes, for both series (the
 * same square growing denser, the same density over a growing square), on logarithmic axes with the
 * target drawn across. A self-contained SVG written by hand: two panels of lines and points need no
 * charting library, and the file stays small, readable and comparable from run to run.
 */
final class ScalingPlot {
    private static final int WIDTH = 460;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 32;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;

    private ScalingPlot() {}

    /** One line of a panel: its name, colour and runs. */
    record Series(String name, String colour, List<DeconflictionRun.Figures> runs) {}

    static String svg(List<DeconflictionRun.Figures> sameArea, List<DeconflictionRun.Figures> sameDensity) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", 2 * WIDTH, HEIGHT));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", 2 * WIDTH, HEIGHT));
        List<Series> series = List.of(new Series("same 600 km square", "#1f77b4", sameArea),
                new Series("same density, growing square", "#ff7f0e", sameDensity));
        // Checks per second fall to the right, latencies rise: the legend and the target's name go where the lines are not.
        panel(b, 0, "Checks per CPU second, one thread", series, DeconflictionRun.Figures::perCpuSecond,
                DeconflictionRun.TARGET_PER_SECOND, "target ≥ 20,000", true);
        panel(b, WIDTH, "p99 of each check's fastest, ms", series, f -> f.fastestMs(0.99), DeconflictionRun.TARGET_P99_MS,
                "target p99 ≤ 1 ms", false);
        return b.append("</svg>\n").toString();
    }

    /**
     * A panel at {@code dx}: log-scaled axes fitted to the values and the target, one line per series,
     * and a legend at the bottom left ({@code falling}, with the target's name at the right) or the top
     * left (with the target's name at the left, below its line).
     */
    private static void panel(StringBuilder b, int dx, String title, List<Series> series,
            ToDoubleFunction<DeconflictionRun.Figures> value, double target, String targetName, boolean falling) {
        List<DeconflictionRun.Figures> first = series.get(0).runs();
        double xLo = Math.floor(Math.log10(first.get(0).volumes()));
        double xHi = Math.ceil(Math.log10(first.get(first.size() - 1).volumes()));
        double yLo = Math.log10(target);
        double yHi = yLo;
        for (Series s : series) {
            for (DeconflictionRun.Figures f : s.runs()) {
                double v = Math.log10(value.applyAsDouble(f));
                yLo = Math.min(yLo, v);
                yHi = Math.max(yHi, v);
            }
        }
        yLo = Math.floor(yLo);
        yHi = Math.max(Math.ceil(yHi), yLo + 1);
        double w = WIDTH - LEFT - RIGHT;
        double h = HEIGHT - TOP - BOTTOM;
        double fxLo = xLo;
        double fxHi = xHi;
        double fyLo = yLo;
        double fyHi = yHi;
        java.util.function.DoubleUnaryOperator x = v -> dx + LEFT + w * (Math.log10(v) - fxLo) / (fxHi - fxLo);
        java.util.function.DoubleUnaryOperator y = v -> TOP + h * (1 - (Math.log10(v) - fyLo) / (fyHi - fyLo));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", dx + LEFT, title));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#888\"/>%n",
                dx + LEFT, TOP, w, h));
        for (double e = xLo; e <= xHi; e++) {
            double px = x.applyAsDouble(Math.pow(10, e));
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#eee\"/>%n", px, TOP, px, TOP + h));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n", px, TOP + h + 16,
                    String.format(Locale.ROOT, "%,.0f", Math.pow(10, e))));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">active volumes</text>%n",
                dx + LEFT + w / 2, HEIGHT - 10));
        for (double e = yLo; e <= yHi; e++) {
            double py = y.applyAsDouble(Math.pow(10, e));
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>%n", dx + LEFT, py,
                    dx + LEFT + w, py));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", dx + LEFT - 6, py + 4,
                    e < 0 ? String.format(Locale.ROOT, "%s", Math.pow(10, e)) : String.format(Locale.ROOT, "%,.0f", Math.pow(10, e))));
        }
        double ty = y.applyAsDouble(target);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>%n",
                dx + LEFT, ty, dx + LEFT + w, ty));
        b.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"#555\">%s</text>%n",
                falling ? dx + LEFT + w - 4 : dx + LEFT + 4.0, falling ? ty - 5 : ty + 15, falling ? "end" : "start", targetName));
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (DeconflictionRun.Figures f : s.runs()) {
                double px = x.applyAsDouble(f.volumes());
                double py = y.applyAsDouble(value.applyAsDouble(f));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n", px, py, s.colour()));
            }
            b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().strip(), s.colour()));
            double ly = falling ? TOP + h - 8 - 16 * (series.size() - 1 - legend++) : TOP + 16 + 16 * legend++;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    dx + LEFT + 10, ly - 4, dx + LEFT + 30, ly - 4, s.colour()));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.0f\">%s</text>%n", dx + LEFT + 36, ly, s.name()));
        }
    }
}
