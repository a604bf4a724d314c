package org.truce.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar on standard error for long work, redrawn at most ten times a second. On a terminal
 * it redraws in place; elsewhere it prints a line every ten seconds, so logs stay readable. Not
 * thread-safe.
 */
public final class Progress {
    private static final int BAR = 30;

    private final PrintWriter err;
    private final String unit;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    public Progress(PrintWriter err, String unit, boolean terminal) {
        this.err = err;
        this.unit = unit;
        this.terminal = terminal;
    }

    /** A bar on the process's standard error, in place when it is a terminal. */
    public static Progress onStderr(PrintWriter err, String unit) {
        return new Progress(err, unit, System.console() != null);
    }

    public void update(long done, long total) {
        long now = System.nanoTime();
        long interval = terminal ? 100_000_000L : 10_000_000_000L;
        if (done < total && now - lastDraw < interval) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        double rate = done / seconds;
        int pct = total == 0 ? 100 : (int) (100 * done / total);
        int filled = total == 0 ? BAR : (int) (BAR * done / total);
        String eta = rate > 0 && done < total ? " ETA " + format(Duration.ofSeconds((long) ((total - done) / rate))) : "";
        String line = String.format(Locale.ROOT, "[%s%s] %3d%% %,d/%,d %s  %,.0f/s%s",
                "#".repeat(filled), " ".repeat(BAR - filled), pct, done, total, unit, rate, eta);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
        drawn = true;
    }

    /** A stream that moves this bar as it is read, towards {@code total} bytes. */
    public java.io.InputStream counting(java.io.InputStream in, long total) {
        return new java.io.FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b >= 0) {
                    update(++read, total);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    read += n;
                    update(read, total);
                }
                return n;
            }
        };
    }

    /** Ends the bar's line. */
    public void finish() {
        if (drawn && terminal) {
            err.println();
            err.flush();
        }
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
