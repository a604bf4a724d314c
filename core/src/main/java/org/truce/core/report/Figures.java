package org.truce.core.report;

import java.util.Locale;

/** How the report writes its numbers and shortens its names, the same way in the chart and the page. */
final class Figures {
    /** The minus sign, U+2212, which is as wide as the plus sign and read as "minus" by screen readers. */
    static final String MINUS = "\u2212";

    private Figures() {}

    /** A count with thousands separators, independent of the default locale: {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A change with its sign: {@code +3}, {@code −2}, or {@code 0}. */
    static String change(long delta) {
        if (delta == 0) {
            return "0";
        }
        return (delta > 0 ? "+" : MINUS) + count(Math.abs(delta));
    }

    /**
     * The name cut to at most {@code max} characters (code points), ending with an ellipsis when cut, so
     * that it fits a fixed-width label column.
     */
    static String truncate(String name, int max) {
        if (name.codePointCount(0, name.length()) <= max) {
            return name;
        }
        int end = name.offsetByCodePoints(0, max - 1);
        return name.substring(0, end).stripTrailing() + "\u2026";
    }

    /** Whether {@link #truncate} would shorten the name. */
    static boolean isTruncated(String name, int max) {
        return name.codePointCount(0, name.length()) > max;
    }
}
