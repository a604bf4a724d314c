package org.truce.tlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.truce.tlog.FormatException;
import org.truce.tlog.tiles.TilePath;

/**
 * {@link TilePath#parse} on untrusted paths (as a tile server receives them): only
 * {@link FormatException} may escape. Only the canonical encoding parses, so a path that parses is
 * exactly {@link TilePath#path()} of the result, and parsing that gives the same value.
 */
class TilePathFuzzTest {
    @FuzzTest
    void parse(FuzzedDataProvider data) {
        String path = data.consumeRemainingAsString();
        TilePath p;
        try {
            p = TilePath.parse(path);
        } catch (FormatException expected) {
            return;
        }
        assertThat(p.path()).isEqualTo(path);
        try {
            assertThat(TilePath.parse(p.path())).isEqualTo(p);
        } catch (FormatException e) {
            throw new AssertionError("the path of a parsed tile does not parse: " + p.path(), e);
        }
        assertThat(p.level()).isBetween(TilePath.ENTRIES, TilePath.MAX_LEVEL);
        assertThat(p.index()).isNotNegative();
        assertThat(p.width()).isBetween(1, TilePath.WIDTH);
    }

    /** The valid seeds parse, so regression runs cover the success path. */
    @Test
    void validSeedsParse() throws Exception {
        for (String seed : new String[] {"tile_0_000", "tile_15_x123_x456_789.p_41", "tile_entries_x001_234.p_17",
                "max_index"}) {
            String path = FuzzKeys.utf8(FuzzKeys.seed(getClass(), "parse", seed));
            assertThat(TilePath.parse(path).path()).isEqualTo(path);
        }
    }
}
