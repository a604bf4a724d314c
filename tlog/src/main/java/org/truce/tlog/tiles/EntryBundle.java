package org.truce.tlog.tiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.truce.tlog.FormatException;

/**
 * A C2SP entry bundle: up to 256 entries, each as a big-endian {@code uint16} length followed by the
 * entry bytes. Entries are therefore at most 65,535 bytes.
 */
public final class EntryBundle {
    /** The largest entry a bundle can hold. */
    public static final int MAX_ENTRY_SIZE = 0xFFFF;

    private EntryBundle() {}

    /** Encodes entries into one bundle. */
    public static byte[] encode(List<byte[]> entries) {
        if (entries.size() > TilePath.WIDTH) {
            throw new IllegalArgumentException("a bundle holds at most " + TilePath.WIDTH + " entries");
        }
        int total = 0;
        for (byte[] e : entries) {
            checkEntry(e);
            total += 2 + e.length;
        }
        byte[] out = new byte[total];
        int off = 0;
        for (byte[] e : entries) {
            out[off++] = (byte) (e.length >>> 8);
            out[off++] = (byte) e.length;
            System.arraycopy(e, 0, out, off, e.length);
            off += e.length;
        }
        return out;
    }

    /** Throws if {@code entry} cannot be stored in a bundle. */
    public static void checkEntry(byte[] entry) {
        if (entry.length > MAX_ENTRY_SIZE) {
            throw new IllegalArgumentException(
                    "entry is " + entry.length + " bytes; the log takes at most " + MAX_ENTRY_SIZE);
        }
    }

    /**
     * Parses an untrusted bundle that must hold exactly {@code width} entries and nothing after them.
     */
    public static List<byte[]> parse(byte[] data, int width) throws FormatException {
        if (width < 1 || width > TilePath.WIDTH) {
            throw new FormatException("bundle width " + width + " is outside 1–" + TilePath.WIDTH);
        }
        List<byte[]> out = new ArrayList<>(width);
        int off = 0;
        for (int i = 0; i < width; i++) {
            if (data.length - off < 2) {
                throw new FormatException("entry bundle ends before entry " + i + " of " + width);
            }
            int len = ((data[off] & 0xFF) << 8) | (data[off + 1] & 0xFF);
            off += 2;
            if (data.length - off < len) {
                throw new FormatException("entry " + i + " of the bundle claims " + len + " bytes but "
                        + (data.length - off) + " remain");
            }
            out.add(Arrays.copyOfRange(data, off, off + len));
            off += len;
        }
        if (off != data.length) {
            throw new FormatException("entry bundle has " + (data.length - off) + " bytes after its "
                    + width + " entries");
        }
        return out;
    }
}
