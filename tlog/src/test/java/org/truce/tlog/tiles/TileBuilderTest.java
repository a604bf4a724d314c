package org.truce.tlog.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.MemoryTree;

/** Growing tiles entry by entry, checked against tiles laid out from a {@link MemoryTree}. */
class TileBuilderTest {

    private static byte[] entry(long i) {
        return ("entry " + i).getBytes(StandardCharsets.UTF_8);
    }

    // ---- building ----

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {1, 255, 256, 257, 1000, 65_536, 66_000})
    void add_thenFlushPartials_emitsExactlyTheTilesOfTheTree(long size) {
        MemoryTree tree = new MemoryTree();
        TileBuilder builder = TileBuilder.empty(true);
        Map<String, byte[]> emitted = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        TileBuilder.Sink sink = (p, data) -> {
            if (emitted.put(p.path(), data) != null) {
                duplicates.add(p.path());
            }
        };
        List<byte[]> entries = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            byte[] e = entry(i);
            entries.add(e);
            tree.appendEntry(e);
            assertThat(builder.add(e, sink)).isEqualTo(tree.node(0, i));
        }
        builder.flushPartials(sink);

        assertThat(duplicates).isEmpty();
        assertThat(builder.size()).isEqualTo(size);
        assertThat(builder.root()).isEqualTo(tree.root());
        assertThat(builder.range().root()).isEqualTo(tree.root());

        Map<String, byte[]> want = new HashMap<>();
        TestTiles.hashTiles(tree, size).forEach((p, d) -> want.put(p.path(), d));
        for (long n = 0; n * TilePath.WIDTH < size; n++) {
            int from = (int) (n * TilePath.WIDTH);
            int to = (int) Math.min(size, from + TilePath.WIDTH);
            want.put(TilePath.entries(n, to - from).path(), EntryBundle.encode(entries.subList(from, to)));
        }
        assertThat(emitted.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        want.forEach((p, d) -> assertThat(emitted.get(p)).as(p).isEqualTo(d));
    }

    @Test
    void add_withoutEntries_emitsOnlyHashTiles() {
        TileBuilder builder = TileBuilder.empty(false);
        List<TilePath> emitted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            builder.add(entry(i), (p, d) -> emitted.add(p));
        }
        builder.flushPartials((p, d) -> emitted.add(p));
        assertThat(emitted).extracting(TilePath::path).containsExactly("tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1");
    }

    // ---- resuming ----

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {0, 1, 255, 256, 257, 700, 65_537})
    void resume_fromPublishedTiles_continuesAsIfNeverStopped(long size) {
        TileStorage storage = TileStorage.inMemory();
        TileBuilder first = TileBuilder.empty(true);
        TileBuilder.Sink write = (p, d) -> storage.write(p.path(), d);
        for (long i = 0; i < size; i++) {
            first.add(entry(i), write);
        }
        first.flushPartials(write);

        TileBuilder resumed = TileBuilder.resume(storage, size, true);
        assertThat(resumed.size()).isEqualTo(size);
        assertThat(resumed.root()).isEqualTo(first.root());

        Map<String, byte[]> fromResumed = new HashMap<>();
        Map<String, byte[]> fromFirst = new HashMap<>();
        for (long i = size; i < size + 300; i++) {
            resumed.add(entry(i), (p, d) -> fromResumed.put(p.path(), d));
            first.add(entry(i), (p, d) -> fromFirst.put(p.path(), d));
        }
        resumed.flushPartials((p, d) -> fromResumed.put(p.path(), d));
        first.flushPartials((p, d) -> fromFirst.put(p.path(), d));
        assertThat(resumed.root()).isEqualTo(first.root());
        assertThat(fromResumed.keySet()).isEqualTo(fromFirst.keySet());
        fromFirst.forEach((p, d) -> assertThat(fromResumed.get(p)).as(p).isEqualTo(d));
    }

    @Test
    void resume_treeOfMoreThan2To56Leaves_readsOnlyTheEightLevelsThatExist() {
        // Tile level 8 would hold nodes of height 64. Java reduces a shift by 64 to a shift by 0, so
        // computing a level's node count as size >>> (8 * level) finds phantom level-8 tiles.
        long size = (1L << 56) + 1;
        List<String> read = new ArrayList<>();
        TileReader fake = new TileReader() {
            @Override
            public Optional<byte[]> read(String path) {
                read.add(path);
                try {
                    TilePath p = TilePath.parse(path);
                    return p.isEntries() || p.level() >= 8 ? Optional.empty()
                            : Optional.of(new byte[p.width() * Hash.SIZE]);
                } catch (FormatException e) {
                    return Optional.empty();
                }
            }

            @Override
            public String describe() {
                return "synthetic tiles";
            }
        };

        TileBuilder b = TileBuilder.resume(fake, size, false);

        assertThat(b.size()).isEqualTo(size);
        assertThat(read).allSatisfy(p -> assertThat(TilePath.parse(p).level()).isBetween(0, 7));
        List<TilePath> partials = new ArrayList<>();
        b.flushPartials((p, d) -> partials.add(p));
        assertThat(partials).extracting(TilePath::level).containsExactly(0, 7);
    }
}
