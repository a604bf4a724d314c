package org.truce.tlog.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tile storage in a directory: atomic writes under C2SP paths, confined to its root. */
class DirectoryTileStorageTest {
    @TempDir
    Path parent;

    private Path root;
    private TileStorage storage;

    @BeforeEach
    void open() throws IOException {
        root = Files.createDirectory(parent.resolve("log"));
        storage = TileStorage.directory(root);
    }

    // ---- write and read ----

    @Test
    void write_thenRead_returnsTheBytesAndCreatesDirectories() throws IOException {
        byte[] data = bytes("tile data");
        storage.write("tile/0/x001/234.p/5", data);

        assertThat(storage.read("tile/0/x001/234.p/5")).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
        assertThat(Files.readAllBytes(root.resolve("tile/0/x001/234.p/5"))).isEqualTo(data);
    }

    @Test
    void write_emptyData_readsBackEmpty() {
        storage.write("checkpoint", new byte[0]);
        assertThat(storage.read("checkpoint")).hasValueSatisfying(d -> assertThat(d).isEmpty());
    }

    @Test
    void read_missingFileOrDirectory_returnsEmpty() {
        assertThat(storage.read("checkpoint")).isEmpty();
        assertThat(storage.read("tile/0/000")).isEmpty();
        storage.write("tile/0/000", bytes("x"));
        assertThat(storage.read("tile/0/001")).isEmpty();
    }

    @Test
    void write_differentContent_replacesTheFile() {
        storage.write("checkpoint", bytes("old checkpoint"));
        storage.write("checkpoint", bytes("new"));
        assertThat(storage.read("checkpoint")).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("new")));
    }

    @Test
    void write_identicalContent_leavesTheContentAsItWas() {
        byte[] data = bytes("full tile");
        storage.write("tile/0/000", data);
        storage.write("tile/0/000", data.clone());
        assertThat(storage.read("tile/0/000")).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
    }

    @Test
    void write_identicalContent_doesNotReplaceTheFile() throws IOException {
        // The contract is that a full tile, once written, is never rewritten. Backdate the file and
        // check the second write did not replace it (a replacement would carry the current time).
        Path file = root.resolve("tile/0/000");
        storage.write("tile/0/000", bytes("full tile"));
        FileTime past = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
        Files.setLastModifiedTime(file, past);

        storage.write("tile/0/000", bytes("full tile"));

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(past);
    }

    @Test
    void write_doesNotKeepACallersArray() {
        byte[] data = bytes("abc");
        storage.write("checkpoint", data);
        data[0] = 'z';
        assertThat(storage.read("checkpoint")).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("abc")));
    }

    // ---- temporary files ----

    @Test
    void write_manyFilesAndRewrites_leavesNoTemporaryFiles() throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String p = "tile/0/" + TilePath.encodeIndex(i * 7L);
            paths.add(p);
            storage.write(p, bytes("first " + i));
            storage.write(p, bytes("first " + i));
            storage.write(p, bytes("second " + i));
        }
        storage.write("checkpoint", bytes("c1"));
        storage.write("checkpoint", bytes("c2"));
        paths.add("checkpoint");

        assertThat(filesUnder(root)).containsExactlyInAnyOrderElementsOf(paths);
    }

    // ---- path confinement ----

    @ParameterizedTest
    @ValueSource(strings = {
        "../escape",
        "../log-sibling/checkpoint",
        "tile/../../escape",
        "tile/0/../../../escape",
        "/tmp/escape",
        "tile\\0\\000",
        "",
        ".",
        "tile/..",
    })
    void write_pathOutsideTheRoot_throwsAndWritesNothing(String path) throws IOException {
        assertThatThrownBy(() -> storage.write(path, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(filesUnder(parent)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret", "tile/../../secret", "/etc/hostname", "", "."})
    void read_pathOutsideTheRoot_throws(String path) throws IOException {
        Files.writeString(parent.resolve("secret"), "not part of the log");
        assertThatThrownBy(() -> storage.read(path)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- listing ----

    @Test
    void list_writtenTiles_returnsSortedTilePathsOnly() throws IOException {
        storage.write("tile/1/000.p/3", bytes("a"));
        storage.write("tile/0/000", bytes("b"));
        storage.write("tile/entries/000.p/7", bytes("c"));
        storage.write("checkpoint", bytes("d"));
        Files.writeString(root.resolve("tile/0/.000.12345.tmp"), "crash leftover");

        assertThat(storage.list()).hasValue(List.of("tile/0/000", "tile/1/000.p/3", "tile/entries/000.p/7"));
    }

    @Test
    void list_emptyLog_returnsEmptyList() {
        assertThat(storage.list()).hasValue(List.of());
    }

    @Test
    void describe_namesTheDirectory() {
        assertThat(storage.describe()).isEqualTo(root.toAbsolutePath().normalize().toString());
    }

    // ---- concurrency ----

    @Test
    void write_concurrentWritersAndReaders_readersSeeOneWholeVersion() throws Exception {
        byte[] a = new byte[64 * 1024];
        byte[] b = new byte[64 * 1024];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        storage.write("tile/0/000", a);
        ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                byte[] first = t == 0 ? b : a;
                byte[] second = t == 0 ? a : b;
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        storage.write("tile/0/000", i % 2 == 0 ? first : second);
                    }
                    return null;
                }));
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        Optional<byte[]> read = storage.read("tile/0/000");
                        if (read.isEmpty() || !(Arrays.equals(read.get(), a) || Arrays.equals(read.get(), b))) {
                            torn.add(read.map(d -> d.length + " bytes").orElse("missing"));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(torn).isEmpty();
        assertThat(filesUnder(root)).containsExactly("tile/0/000");
    }

    private static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
