package org.truce.tlog.tiles;

import org.truce.tlog.FormatException;

/**
 * The coordinates of a C2SP tlog-tiles resource: a hash tile {@code tile/<L>/<N>[.p/<W>]} or an entry
 * bundle {@code tile/entries/<N>[.p/<W>]}. Pure value; encoding and parsing do no I/O.
 *
 * @param level the tile level 0–63, or {@link #ENTRIES} for an entry bundle
 * @param index the tile index N
 * @param width the number of hashes or entries, 1–256; 256 is a full tile
 */
public record TilePath(int level, long index, int width) {
    /** The level value that marks an entry bundle. */
    public static final int ENTRIES = -1;
    /** Hashes per full tile, and entries per full bundle. */
    public static final int WIDTH = 256;
    /** Tile height in tree levels: a tile at level L holds nodes at height 8·L. */
    public static final int HEIGHT = 8;
    /** The highest tile level the spec allows. */
    public static final int MAX_LEVEL = 63;

    private static final int MAX_PATH_LENGTH = 64;

    public TilePath {
        if (level < ENTRIES || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level " + level + " is outside 0–" + MAX_LEVEL);
        }
        if (index < 0) {
            throw new IllegalArgumentException("negative tile index " + index);
        }
        if (width < 1 || width > WIDTH) {
            throw new IllegalArgumentException("tile width " + width + " is outside 1–" + WIDTH);
        }
    }

    public static TilePath hashes(int level, long index, int width) {
        if (level < 0) {
            throw new IllegalArgumentException("hash tile level " + level + " is negative");
        }
        return new TilePath(level, index, width);
    }

    public static TilePath entries(long index, int width) {
        return new TilePath(ENTRIES, index, width);
    }

    /** The entry bundle that holds entry {@code seq} in a tree of {@code treeSize} entries. */
    public static TilePath entriesForIndex(long seq, long treeSize) {
        if (seq < 0 || seq >= treeSize) {
            throw new IllegalArgumentException("entry " + seq + " is not in a tree of size " + treeSize);
        }
        long n = seq / WIDTH;
        return entries(n, widthAt(treeSize, n));
    }

    /** The hash tile at {@code level} and {@code index} as it stands in a tree of {@code treeSize} leaves. */
    public static TilePath hashesAt(int level, long index, long treeSize) {
        // Levels 8 and up would hold nodes of height 64 and more, which no tree has; Java would reduce
        // the shift modulo 64 and find some.
        long nodes = HEIGHT * level >= Long.SIZE ? 0 : treeSize >>> (HEIGHT * level);
        return hashes(level, index, widthAt(nodes, index));
    }

    private static int widthAt(long count, long tileIndex) {
        long first = tileIndex * WIDTH;
        if (first >= count) {
            throw new IllegalArgumentException("tile " + tileIndex + " is beyond " + count + " items");
        }
        return (int) Math.min(WIDTH, count - first);
    }

    public boolean isEntries() {
        return level == ENTRIES;
    }

    public boolean isFull() {
        return width == WIDTH;
    }

    /** The path relative to the log's prefix, without a leading slash. */
    public String path() {
        StringBuilder sb = new StringBuilder(32).append("tile/");
        sb.append(isEntries() ? "entries" : Integer.toString(level)).append('/');
        sb.append(encodeIndex(index));
        if (!isFull()) {
            sb.append(".p/").append(width);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return path();
    }

    /** Encodes N as 3-digit path elements, all but the last prefixed with {@code x}. */
    public static String encodeIndex(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative tile index " + n);
        }
        String digits = Long.toString(n);
        int pad = (3 - digits.length() % 3) % 3;
        String padded = "0".repeat(pad) + digits;
        StringBuilder sb = new StringBuilder(padded.length() * 4 / 3 + 4);
        for (int i = 0; i < padded.length(); i += 3) {
            if (i + 3 < padded.length()) {
                sb.append('x');
            }
            sb.append(padded, i, i + 3);
            if (i + 3 < padded.length()) {
                sb.append('/');
            }
        }
        return sb.toString();
    }

    /** Parses a path such as {@code tile/0/x001/234.p/17}, accepting only the canonical encoding. */
    public static TilePath parse(String path) throws FormatException {
        if (path.length() > MAX_PATH_LENGTH) {
            throw new FormatException("tile path is longer than " + MAX_PATH_LENGTH + " characters");
        }
        if (!path.startsWith("tile/")) {
            throw new FormatException("tile path does not start with tile/");
        }
        String[] parts = path.substring(5).split("/", -1);
        if (parts.length < 2) {
            throw new FormatException("tile path has no index");
        }
        int level;
        if (parts[0].equals("entries")) {
            level = ENTRIES;
        } else {
            level = parseLevel(parts[0]);
        }
        int width = WIDTH;
        int end = parts.length;
        String last = parts[end - 1];
        if (end >= 3 && parts[end - 2].endsWith(".p")) {
            width = parseWidth(last);
            parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
            end--;
        }
        long index = 0;
        for (int i = 1; i < end; i++) {
            String e = parts[i];
            boolean lastElement = i == end - 1;
            String digits;
            if (lastElement) {
                if (e.length() != 3) {
                    throw new FormatException("tile index element '" + e + "' is not 3 digits");
                }
                digits = e;
            } else {
                if (e.length() != 4 || e.charAt(0) != 'x') {
                    throw new FormatException("tile index element '" + e + "' is not x followed by 3 digits");
                }
                digits = e.substring(1);
                if (i == 1 && digits.equals("000")) {
                    throw new FormatException("tile index has a leading x000 element");
                }
            }
            int v = parseDigits(digits);
            if (index > (Long.MAX_VALUE - v) / 1000) {
                throw new FormatException("tile index is too large");
            }
            index = index * 1000 + v;
        }
        try {
            return new TilePath(level, index, width);
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
    }

    private static int parseLevel(String s) throws FormatException {
        if (s.isEmpty() || s.length() > 2 || !allDigits(s) || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new FormatException("tile level '" + s + "' is not a number 0–" + MAX_LEVEL);
        }
        int level = Integer.parseInt(s);
        if (level > MAX_LEVEL) {
            throw new FormatException("tile level " + level + " is above " + MAX_LEVEL);
        }
        return level;
    }

    private static int parseWidth(String s) throws FormatException {
        if (s.isEmpty() || s.length() > 3 || !allDigits(s) || s.charAt(0) == '0') {
            throw new FormatException("partial tile width '" + s + "' is not a number 1–255");
        }
        int w = Integer.parseInt(s);
        if (w >= WIDTH) {
            throw new FormatException("partial tile width " + w + " is not below " + WIDTH);
        }
        return w;
    }

    private static int parseDigits(String s) throws FormatException {
        if (!allDigits(s)) {
            throw new FormatException("tile index element '" + s + "' is not decimal");
        }
        return Integer.parseInt(s);
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
