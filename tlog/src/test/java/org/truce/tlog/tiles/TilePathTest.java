package org.truce.tlog.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;
import org.truce.tlog.Vectors;

/** C2SP tlog-tiles paths: the {@code tile_paths.json} vectors both ways, and what parsing refuses. */
class TilePathTest {

    static Stream<Arguments> indexEncodings() {
        return entries("index_encoding");
    }

    static Stream<Arguments> tilePaths() {
        return entries("tile_paths");
    }

    static Stream<Arguments> entryBundlePaths() {
        return entries("entry_bundle_paths_for_index");
    }

    static Stream<Arguments> decompositions() {
        return entries("tree_size_decomposition");
    }

    private static Stream<Arguments> entries(String field) {
        List<Arguments> out = new ArrayList<>();
        JsonNode array = Vectors.json("tile_paths.json").get(field);
        assertThat(array).as(field).isNotEmpty();
        array.forEach(n -> out.add(Arguments.of(
                n.has("path") ? n.get("path").asText() : n.get("tree_size").asText(), n)));
        return out.stream();
    }

    // ---- vectors: index encoding ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexEncodings")
    void encodeIndex_vector_matchesAndParsesBack(String path, JsonNode v) throws FormatException {
        long n = v.get("n").asLong();
        assertThat(TilePath.encodeIndex(n)).isEqualTo(path);
        assertThat(TilePath.parse("tile/0/" + path)).isEqualTo(TilePath.hashes(0, n, TilePath.WIDTH));
        assertThat(TilePath.parse("tile/entries/" + path + ".p/7")).isEqualTo(TilePath.entries(n, 7));
    }

    // ---- vectors: hash tiles ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("tilePaths")
    void path_hashTileVector_matchesAndParsesBack(String path, JsonNode v) throws FormatException {
        TilePath tile = TilePath.hashes(v.get("level").asInt(), v.get("index").asLong(), v.get("width").asInt());
        assertThat(tile.path()).isEqualTo(path);
        assertThat(tile).hasToString(path);
        assertThat(tile.isEntries()).isFalse();
        assertThat(tile.isFull()).isEqualTo(v.get("width").asInt() == 256);

        TilePath parsed = TilePath.parse(path);
        assertThat(parsed).isEqualTo(tile);
        assertThat(parsed.level()).isEqualTo(v.get("level").asInt());
        assertThat(parsed.index()).isEqualTo(v.get("index").asLong());
        assertThat(parsed.width()).isEqualTo(v.get("width").asInt());
    }

    // ---- vectors: entry bundles ----

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("entryBundlePaths")
    void entriesForIndex_vector_matchesAndParsesBack(String path, JsonNode v) throws FormatException {
        TilePath bundle = TilePath.entriesForIndex(v.get("seq").asLong(), v.get("tree_size").asLong());
        assertThat(bundle.path()).isEqualTo(path);
        assertThat(bundle.isEntries()).isTrue();
        assertThat(bundle.level()).isEqualTo(TilePath.ENTRIES);
        assertThat(bundle.index()).isEqualTo(v.get("seq").asLong() / 256);
        assertThat(TilePath.parse(path)).isEqualTo(bundle);
    }

    // ---- vectors: tiles of a tree size ----

    @ParameterizedTest(name = "tree size {0}")
    @MethodSource("decompositions")
    void hashTilePaths_vectorTreeSize_haveTheFullTilesAndPartialWidthsOfTheSpec(String size, JsonNode v) {
        List<TilePath> tiles = TestTiles.hashTilePaths(v.get("tree_size").asLong());
        Map<Integer, Integer> full = new TreeMap<>();
        Map<Integer, Integer> partial = new TreeMap<>();
        for (TilePath t : tiles) {
            if (t.isFull()) {
                full.merge(t.level(), 1, Integer::sum);
            } else {
                assertThat(partial.put(t.level(), t.width())).as("two partial tiles at level %d", t.level()).isNull();
            }
        }
        Map<Integer, Integer> wantFull = new TreeMap<>();
        v.get("full_tiles").properties().forEach(e -> {
            if (e.getValue().asInt() > 0) {
                wantFull.put(Integer.parseInt(e.getKey()), e.getValue().asInt());
            }
        });
        Map<Integer, Integer> wantPartial = new TreeMap<>();
        v.get("partial_widths").properties().forEach(e ->
                wantPartial.put(Integer.parseInt(e.getKey()), e.getValue().asInt()));

        assertThat(full).isEqualTo(wantFull);
        assertThat(partial).isEqualTo(wantPartial);
        // Each partial tile is the last of its level, and the full ones are numbered from zero.
        for (TilePath t : tiles) {
            int level = t.level();
            long fullCount = full.getOrDefault(level, 0);
            assertThat(t.index()).as("%s", t).isLessThanOrEqualTo(fullCount);
            if (!t.isFull()) {
                assertThat(t.index()).as("%s", t).isEqualTo(fullCount);
            }
        }
    }

    @Test
    void hashTilePaths_specExampleSize70000_namesEachTile() {
        List<String> paths = TestTiles.hashTilePaths(70_000).stream().map(TilePath::path).toList();
        assertThat(paths).hasSize(273 + 1 + 1 + 1 + 1)
                .startsWith("tile/0/000", "tile/0/001")
                .contains("tile/0/272", "tile/0/273.p/112", "tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1")
                .doesNotContain("tile/0/273", "tile/2/000");
        assertThat(TilePath.entriesForIndex(69_999, 70_000).path()).isEqualTo("tile/entries/273.p/112");
    }

    // ---- round trips ----

    @Test
    void parse_pathOfRandomTiles_returnsTheSameTile() throws FormatException {
        Random rnd = new Random(0x711e5L);
        for (int i = 0; i < 5000; i++) {
            int level = rnd.nextInt(65) - 1;
            long index = switch (i % 4) {
                case 0 -> rnd.nextInt(1000);
                case 1 -> rnd.nextInt(1_000_000);
                case 2 -> (rnd.nextLong() >>> 1) >>> rnd.nextInt(63);
                default -> Long.MAX_VALUE - rnd.nextInt(1000);
            };
            int width = 1 + rnd.nextInt(256);
            TilePath tile = new TilePath(level, index, width);
            assertThat(TilePath.parse(tile.path())).as(tile.path()).isEqualTo(tile);
        }
    }

    @Test
    void encodeIndex_boundaries_useThreeDigitGroupsWithXPrefixes() {
        assertThat(TilePath.encodeIndex(999)).isEqualTo("999");
        assertThat(TilePath.encodeIndex(1000)).isEqualTo("x001/000");
        assertThat(TilePath.encodeIndex(1_000_000)).isEqualTo("x001/x000/000");
        assertThat(TilePath.encodeIndex(Long.MAX_VALUE)).isEqualTo("x009/x223/x372/x036/x854/x775/807");
        assertThatThrownBy(() -> TilePath.encodeIndex(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "tile/0/000",
        "tile/63/000",
        "tile/0/000.p/1",
        "tile/0/000.p/255",
        "tile/0/x001/x000/000",
        "tile/entries/000.p/9",
        "tile/entries/x009/x223/x372/x036/x854/x775/807",
        "tile/63/x009/x223/x372/x036/x854/x775/807.p/255",
    })
    void parse_canonicalEdgeCase_roundTrips(String path) throws FormatException {
        assertThat(TilePath.parse(path).path()).isEqualTo(path);
    }

    // ---- rejected paths ----

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "tile",
        "tile/",
        "tile/0",
        "tile/0/",
        "tiles/0/000",
        "/tile/0/000",
        "tile//000",
        "tile/0//000",
        // level
        "tile/00/000",
        "tile/01/000",
        "tile/64/000",
        "tile/100/000",
        "tile/-1/000",
        "tile/+1/000",
        "tile/a/000",
        "tile/data/000",
        "tile/8/0/000",
        // width
        "tile/0/000.p/0",
        "tile/0/000.p/00",
        "tile/0/000.p/012",
        "tile/0/000.p/256",
        "tile/0/000.p/1000",
        "tile/entries/000.p/256",
        "tile/0/000.p/",
        "tile/0/000.p",
        "tile/0/000.P/5",
        "tile/0/000.p/1 ",
        "tile/0/000.p/+1",
        "tile/0/000.p/1.p/2",
        "tile/0/x001.p/5/234",
        "tile/0/x001.p/234",
        // index elements
        "tile/0/x000/001",
        "tile/0/x000/x001/234",
        "tile/entries/x000/255",
        "tile/0/x001",
        "tile/0/001/",
        "tile/0/000/",
        "tile/0/abc",
        "tile/0/x00a/000",
        "tile/0/y001/000",
        "tile/0/x1/000",
        "tile/0/xx001/000",
        "tile/0/01",
        "tile/0/0001",
        "tile/0/1234",
        "tile/0/-01",
        "tile/0/+01",
        "tile/0/1e2",
        "tile/0/\u0661\u0662\u0663",
        "tile/0/x009/x223/x372/x036/x854/x775/808",
        "tile/0/x999/x999/x999/x999/x999/x999/999",
        // length
        "tile/0/x001/x001/x001/x001/x001/x001/x001/x001/x001/x001/x001/x001/000",
    })
    void parse_malformedPath_throwsFormatException(String path) {
        assertThatThrownBy(() -> TilePath.parse(path)).isInstanceOf(FormatException.class);
    }

    @Test
    void parse_longerThan64Characters_throwsFormatExceptionBeforeLookingAtContent() {
        String path = "tile/0/000.p/1" + "/".repeat(51);
        assertThat(path).hasSize(65);
        assertThatThrownBy(() -> TilePath.parse(path)).isInstanceOf(FormatException.class)
                .hasMessageContaining("longer than 64");
    }

    // ---- construction ----

    @Test
    void constructor_outOfRangeValues_throwIllegalArgumentException() {
        assertThatThrownBy(() -> new TilePath(-2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TilePath(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TilePath(0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TilePath(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TilePath(0, 0, 257)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.hashes(TilePath.ENTRIES, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashesAt_partialAndFullTiles_haveTheWidthOfTheTreeSize() {
        assertThat(TilePath.hashesAt(0, 0, 1).path()).isEqualTo("tile/0/000.p/1");
        assertThat(TilePath.hashesAt(0, 0, 256).path()).isEqualTo("tile/0/000");
        assertThat(TilePath.hashesAt(0, 0, 1000).path()).isEqualTo("tile/0/000");
        assertThat(TilePath.hashesAt(0, 3, 1000).path()).isEqualTo("tile/0/003.p/232");
        assertThat(TilePath.hashesAt(1, 0, 1000).path()).isEqualTo("tile/1/000.p/3");
        assertThat(TilePath.hashesAt(7, 0, Long.MAX_VALUE).path()).isEqualTo("tile/7/000.p/127");
    }

    @Test
    void hashesAt_tileBeyondTheTree_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> TilePath.hashesAt(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.hashesAt(0, 4, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.hashesAt(1, 0, 255)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.hashesAt(2, 0, 65_535)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashesAt_levelAboveSeven_throwsBecauseNoTreeHasNodesThere() {
        // Level 8 holds nodes of height 64, which would need 2^64 leaves. A shift by 8·8 = 64 bits
        // is a shift by 0 in Java, so this must not be computed as size >>> (8 * level).
        assertThatThrownBy(() -> TilePath.hashesAt(8, 0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.hashesAt(9, 0, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.hashesAt(63, 0, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entriesForIndex_entryOutsideTheTree_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> TilePath.entriesForIndex(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.entriesForIndex(10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TilePath.entriesForIndex(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
