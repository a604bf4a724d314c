package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TilePath;

/**
 * {@link EntryBundle#parse} on an untrusted bundle and an expected width, both from the fuzzer: only
 * {@link FormatException} may escape, and a bundle that parses encodes back to the same bytes.
 *
 * <p>Input layout: the width as a big-endian signed 16-bit number, then the bundle.
 */
class EntryBundleFuzzTest {
    @FuzzTest
    void parse(byte @NotNull [] data) {
        int width = data.length >= 2 ? (short) ((data[0] << 8) | (data[1] & 0xFF)) : data.length == 1 ? data[0] : 0;
        byte[] bundle = data.length >= 2 ? Arrays.copyOfRange(data, 2, data.length) : new byte[0];
        List<byte[]> entries;
        try {
            entries = EntryBundle.parse(bundle, width);
        } catch (FormatException expected) {
            return;
        }
        assertThat(width).isBetween(1, TilePath.WIDTH);
        assertThat(entries).hasSize(width);
        assertThat(EntryBundle.encode(entries)).isEqualTo(bundle);
    }

    /** The valid seeds parse, so regression runs cover the success path. */
    @Test
    void validSeedsParse() throws Exception {
        byte[] full = FuzzKeys.seed(getClass(), "parse", "full");
        assertThat(EntryBundle.parse(Arrays.copyOfRange(full, 2, full.length), 256)).hasSize(256);
        byte[] partial = FuzzKeys.seed(getClass(), "parse", "partial");
        assertThat(EntryBundle.parse(Arrays.copyOfRange(partial, 2, partial.length), 44)).hasSize(44);
    }
}
