package org.truce.tlog.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the fields of a structured fuzz input from raw bytes, so that seed files can be written by
 * hand or by a script: every field reads as zeros (or empty) once the input runs out.
 */
final class ByteReader {
    private final byte[] data;
    private int pos;

    ByteReader(byte[] data) {
        this.data = data;
    }

    /** One unsigned byte. */
    int u8() {
        return pos < data.length ? data[pos++] & 0xFF : 0;
    }

    /** Eight bytes, big-endian, so that any long value (negative ones too) can be given. */
    long i64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    /**
     * A hash-like byte string: a tag byte below 0x80 means 32 bytes follow, any other tag {@code t}
     * means {@code t & 0x7F} bytes follow, so that half of all tags give the right length and the rest
     * give wrong ones. Shorter if the input ends.
     */
    byte[] hash() {
        int tag = u8();
        return bytes(tag < 0x80 ? 32 : tag & 0x7F);
    }

    /** A count byte, then that many {@link #hash()}es (fewer if the input ends). */
    List<byte[]> hashes() {
        int n = u8();
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n && pos < data.length; i++) {
            out.add(hash());
        }
        return out;
    }

    private byte[] bytes(int n) {
        int end = Math.min(data.length, pos + n);
        byte[] b = Arrays.copyOfRange(data, pos, end);
        pos = end;
        return b;
    }
}
