package org.truce.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The plots of the scaling runs ({@code ./bench/deconflict --scaling}, {@code ./bench/scale}): panels side
 * by side, each a figure against a size on logarithmic axes, one line per series, with the target drawn
 * across. A self-contained SVG written by hand: a few panels of lines and points need no charting
 * library, and the file stays small, readable and comparable from run to run.
 */
final class ScalingPlot {
    private static final int WIDTH = 460;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 32;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;

    private ScalingPlot() {}

    /** One line of a panel: its name, colour, and its points as {x, y} pairs in increasing x. */
    record Series(String name, String colour, List<double[]> points) {}

    /**
     * One panel: its title, the name of the x axis, its lines, and the target. {@code falling}: the figure
     * falls to the right (a rate), so the legend goes at the bottom left; otherwise (a latency) at the top.
     */
    record Panel(String title, String xAxis, List<Series> series, double target, String targetName, boolean falling) {}

    /** The points {@code (x(r), y(r))} of some runs. */
    static <T> List<double[]> points(List<T> runs, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
        return runs.stream().map(r -> new double[] {x.applyAsDouble(r), y.applyAsDouble(r)}).toList();
    }

    static String svg(List<Panel> panels) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", panels.size() * WIDTH, HEIGHT));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", panels.size() * WIDTH, HEIGHT));
        for (int i = 0; i < panels.size(); i++) {
            panel(b, i * WIDTH, panels.get(i));
        }
        return b.append("</svg>\n").toString();
    }

    /**
     * A panel at {@code dx}: log-scaled axes fitted to the values and the target, one line per series,
     * and a legend at the bottom left ({@code falling}, with the target's name at the right) or the top
     * left (with the target's name at the left, below its line).
     */
    private static void panel(StringBuilder b, int dx, Panel p) {
        List<Series> series = p.series();
        double target = p.target();
        boolean falling = p.falling();
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        double yLo = Math.log10(target);
        double yHi = yLo;
        for (Series s : series) {
            for (double[] point : s.points()) {
                xLo = Math.min(xLo, Math.floor(Math.log10(point[0])));
                xHi = Math.max(xHi, Math.ceil(Math.log10(point[0])));
                double v = Math.log10(point[1]);
                yLo = Math.min(yLo, v);
                yHi = Math.max(yHi, v);
            }
        }
        xHi = Math.max(xHi, xLo + 1);
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
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", dx + LEFT, p.title()));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#888\"/>%n",
                dx + LEFT, TOP, w, h));
        for (double e = xLo; e <= xHi; e++) {
            double px = x.applyAsDouble(Math.pow(10, e));
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#eee\"/>%n", px, TOP, px, TOP + h));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n", px, TOP + h + 16,
                    String.format(Locale.ROOT, "%,.0f", Math.pow(10, e))));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                dx + LEFT + w / 2, HEIGHT - 10, p.xAxis()));
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
                falling ? dx + LEFT + w - 4 : dx + LEFT + 4.0, falling ? ty - 5 : ty + 15, falling ? "end" : "start", p.targetName()));
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (double[] point : s.points()) {
                double px = x.applyAsDouble(point[0]);
                double py = y.applyAsDouble(point[1]);
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
