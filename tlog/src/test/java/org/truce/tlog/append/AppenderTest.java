package org.truce.tlog.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.merkle.MemoryTree;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TileBuilder;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileStorage;

class AppenderTest {
    private static final String ORIGIN = "example.com/truce/test-log";

    private static Signer signer;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws FormatException {
        signer = newSigner(ORIGIN);
    }

    // ---------------------------------------------------------------- layout of a 70,000-entry log

    @Test
    void append_70000EntriesInVariedBatches_directoryHoldsExactlyTheSpecTilesForThatSize() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender appender = Appender.open(storage, signer);
        MemoryTree tree = new MemoryTree();
        int[] batches = {1, 255, 256, 1000, 70_000 - 1 - 255 - 256 - 1000};
        List<Long> sizesSigned = new ArrayList<>();
        long next = 0;
        for (int n : batches) {
            List<byte[]> batch = entries(next, n, "e");
            batch.forEach(tree::appendEntry);
            Appender.Result r = appender.append(batch);
            assertThat(r.firstIndex()).isEqualTo(next);
            assertThat(r.count()).isEqualTo(n);
            next += n;
            sizesSigned.add(next);
        }
        assertThat(next).isEqualTo(70_000);
        assertThat(appender.checkpoint().checkpoint().size()).isEqualTo(70_000);
        assertThat(appender.checkpoint().checkpoint().root()).isEqualTo(tree.root());

        // The tiles the final checkpoint needs: per tile, the widest version present.
        Map<String, TilePath> needed = new TreeMap<>();
        List<TilePath> all = listTiles(storage);
        for (TilePath t : all) {
            needed.merge(t.level() + "/" + t.index(), t, (a, b) -> a.width() >= b.width() ? a : b);
        }
        Set<String> neededPaths = needed.values().stream().map(TilePath::path).collect(Collectors.toCollection(TreeSet::new));
        assertThat(neededPaths).isEqualTo(specTiles(70_000));

        // The counts the C2SP spec gives for 70,000 entries, spelled out.
        assertThat(count(needed.values(), 0, true)).isEqualTo(273);
        assertThat(partialWidths(needed.values(), 0)).containsExactly(112);
        assertThat(count(needed.values(), 1, true)).isEqualTo(1);
        assertThat(partialWidths(needed.values(), 1)).containsExactly(17);
        assertThat(count(needed.values(), 2, true)).isZero();
        assertThat(partialWidths(needed.values(), 2)).containsExactly(1);
        assertThat(needed.values().stream().filter(t -> !t.isEntries()).mapToInt(TilePath::level).max().orElseThrow())
                .isEqualTo(2);
        assertThat(count(needed.values(), TilePath.ENTRIES, true)).isEqualTo(273);
        assertThat(partialWidths(needed.values(), TilePath.ENTRIES)).containsExactly(112);

        // Every other file is a narrower partial left by an earlier batch, and nothing else.
        Set<String> stale = all.stream().map(TilePath::path).filter(p -> !neededPaths.contains(p))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expectedStale = new TreeSet<>();
        for (long size : sizesSigned) {
            specTiles(size).stream().filter(p -> p.contains(".p/") && !neededPaths.contains(p)).forEach(expectedStale::add);
        }
        assertThat(stale).isEqualTo(expectedStale).isNotEmpty();
        assertThat(filesUnder(dir)).containsExactlyInAnyOrderElementsOf(
                Stream.concat(Stream.of(Appender.CHECKPOINT), all.stream().map(TilePath::path)).toList());

        AuditReport report = audit(storage);
        assertThat(((AuditReport.Verified) report).staleTilesChecked()).isEqualTo(expectedStale.size());
    }

    // ---------------------------------------------------------------- reopening

    @Test
    void open_existingLog_continuesWithSameSizeAndRoot() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        MemoryTree tree = new MemoryTree();
        Appender first = Appender.open(storage, signer);
        appendAll(first, tree, entries(0, 300, "e"));
        appendAll(first, tree, entries(300, 300, "e"));

        Appender reopened = Appender.open(TileStorage.directory(dir), signer);

        assertThat(reopened.checkpoint().checkpoint()).isEqualTo(first.checkpoint().checkpoint());
        Appender.Result r = appendAll(reopened, tree, entries(600, 500, "e"));
        assertThat(r.firstIndex()).isEqualTo(600);
        assertThat(r.checkpoint().checkpoint().size()).isEqualTo(1100);
        assertThat(r.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        audit(storage);
    }

    @Test
    void open_emptyDirectory_writesSignedEmptyCheckpoint() throws Exception {
        TileStorage storage = TileStorage.directory(dir);

        Appender appender = Appender.open(storage, signer);

        assertThat(appender.checkpoint().checkpoint().size()).isZero();
        assertThat(appender.checkpoint().checkpoint().root()).isEqualTo(new MemoryTree().root());
        assertThat(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT))).isEqualTo(appender.checkpoint().note().encode());
        assertThat(appender.append(List.of()).count()).isZero();
        audit(storage);
    }

    @Test
    void open_differentKeySameOrigin_refuses() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender.open(storage, signer).append(entries(0, 10, "e"));
        byte[] checkpoint = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));

        assertThatThrownBy(() -> Appender.open(storage, newSigner(ORIGIN)))
                .isInstanceOf(TlogException.class)
                .hasMessageContaining("not this log's");

        assertThat(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT))).isEqualTo(checkpoint);
        audit(storage);
    }

    @Test
    void open_keyOfOtherOrigin_refuses() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender.open(storage, signer).append(entries(0, 10, "e"));

        assertThatThrownBy(() -> Appender.open(storage, newSigner("example.com/other-log")))
                .isInstanceOf(TlogException.class);

        audit(storage);
    }

    @Test
    void open_flippedByteInPartialLevel0TileOfCompactRange_refuses() throws Exception {
        assertReopenRefusedAfterFlip("tile/0/002.p/88", 87 * 32 + 5);
    }

    @Test
    void open_flippedByteInPartialLevel1TileOfCompactRange_refuses() throws Exception {
        assertReopenRefusedAfterFlip("tile/1/000.p/2", 3);
    }

    @Test
    void open_flippedEntryByteInPartialBundle_refuses() throws Exception {
        // Entry 513 is "e513": 2 length bytes for entry 512, 4 bytes, then 2 length bytes, then "e5…".
        assertReopenRefusedAfterFlip("tile/entries/002.p/88", 2 + 4 + 2 + 1);
    }

    private void assertReopenRefusedAfterFlip(String tile, int pos) throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender appender = Appender.open(storage, signer);
        appender.append(entries(0, 300, "e"));
        appender.append(entries(300, 300, "e"));
        assertThat(dir.resolve(tile)).exists();
        byte[] checkpoint = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));

        flip(dir.resolve(tile), pos);
        assertThatThrownBy(() -> Appender.open(TileStorage.directory(dir), signer))
                .isInstanceOf(TlogException.class);
        assertThat(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT))).isEqualTo(checkpoint);

        flip(dir.resolve(tile), pos);
        Appender reopened = Appender.open(TileStorage.directory(dir), signer);
        reopened.append(entries(600, 300, "e"));
        audit(storage);
    }

    // ---------------------------------------------------------------- full tiles are immutable

    @Test
    void append_moreBatches_neverRewritesAFullTile() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender appender = Appender.open(storage, signer);
        appender.append(entries(0, 100, "e"));
        appender.append(entries(100, 500, "e"));
        Map<String, FileState> before = new HashMap<>();
        for (String p : filesUnder(dir)) {
            if (p.startsWith("tile/") && !p.contains(".p/")) {
                before.put(p, FileState.of(dir.resolve(p)));
            }
        }
        assertThat(before).containsOnlyKeys("tile/0/000", "tile/0/001", "tile/entries/000", "tile/entries/001");

        appender.append(entries(600, 1));
        appender.append(entries(601, 700, "e"));
        appender.append(entries(1301, 1000, "e"));

        for (Map.Entry<String, FileState> e : before.entrySet()) {
            assertThat(FileState.of(dir.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        audit(storage);
    }

    // ---------------------------------------------------------------- refusing to sign

    @Test
    void append_fullTileCorruptedAsItIsStored_refusesToSignAndClosesAppender() throws Exception {
        // A disk that stores other bytes than asked for one level-0 tile: the tile changes under the appender.
        String victim = "tile/0/002";
        TileStorage dirStorage = TileStorage.directory(dir);
        TileStorage corrupting = new ForwardingStorage(dirStorage) {
            @Override
            public void write(String path, byte[] data) {
                byte[] stored = data.clone();
                if (path.equals(victim)) {
                    stored[100 * 32 + 7] ^= 0x10;
                }
                super.write(path, stored);
            }
        };
        Appender appender = Appender.open(corrupting, signer);
        appender.append(entries(0, 600, "e"));
        byte[] checkpoint = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));

        assertThatThrownBy(() -> appender.append(entries(600, 200, "e")))
                .isInstanceOf(TlogException.class)
                .hasMessageContaining("refusing to sign");

        assertThat(dir.resolve(victim)).exists();
        assertThat(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT))).isEqualTo(checkpoint);
        assertThat(appender.checkpoint().checkpoint().size()).isEqualTo(600);
        assertThatThrownBy(() -> appender.append(entries(800, 1, "e")))
                .isInstanceOf(TlogException.class)
                .hasMessageContaining("closed");
        assertThat(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT))).isEqualTo(checkpoint);
        // The signed checkpoint of 600 entries does not need the corrupt tile and still verifies.
        AuditReport.Verified ok = audit(dirStorage);
        assertThat(ok.checkpoint().checkpoint().size()).isEqualTo(600);
    }

    @Test
    void append_afterPublishedFullTileWasAlteredInDirectory_signsCorrectRootAndAuditorNamesTile() throws Exception {
        // The appender only re-reads the tiles its proofs need, which it has just written itself; an
        // already-full tile altered on disk is the auditor's to find. Pinned so a change is deliberate.
        TileStorage storage = TileStorage.directory(dir);
        MemoryTree tree = new MemoryTree();
        Appender appender = Appender.open(storage, signer);
        appendAll(appender, tree, entries(0, 600, "e"));
        flip(dir.resolve("tile/0/000"), 5);

        Appender.Result r = appendAll(appender, tree, entries(600, 100, "e"));

        assertThat(r.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        AuditReport report = new Auditor(storage, signer.verifier()).audit(null, Auditor.Progress.NONE);
        assertThat(report).isInstanceOfSatisfying(AuditReport.Failed.class, f -> {
            assertThat(f.resource()).isEqualTo("tile/0/000");
            assertThat(f.entry()).isZero();
        });
        flip(dir.resolve("tile/0/000"), 5);
        audit(storage);
    }

    // ---------------------------------------------------------------- oversized entries

    @Test
    void append_entryOf65536BytesInBatch_refusesWholeBatchAndStaysUsable() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        MemoryTree tree = new MemoryTree();
        Appender appender = Appender.open(storage, signer);
        appendAll(appender, tree, entries(0, 300, "e"));
        Map<String, FileState> before = snapshot(dir);
        List<byte[]> batch = new ArrayList<>(entries(300, 5, "e"));
        batch.add(new byte[EntryBundle.MAX_ENTRY_SIZE + 1]);
        batch.addAll(entries(306, 5, "e"));

        assertThatThrownBy(() -> appender.append(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");

        assertThat(snapshot(dir)).isEqualTo(before);
        assertThat(appender.checkpoint().checkpoint().size()).isEqualTo(300);
        byte[] largest = new byte[EntryBundle.MAX_ENTRY_SIZE];
        Arrays.fill(largest, (byte) 'x');
        List<byte[]> ok = new ArrayList<>(entries(300, 5, "e"));
        ok.add(largest);
        Appender.Result r = appendAll(appender, tree, ok);
        assertThat(r.firstIndex()).isEqualTo(300);
        assertThat(r.checkpoint().checkpoint().size()).isEqualTo(306);
        assertThat(r.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        audit(storage);
    }

    // ---------------------------------------------------------------- crashes

    @Test
    void append_crashBeforeCheckpointWrite_previousCheckpointStaysValidAndLogContinues() throws Exception {
        TileStorage dirStorage = TileStorage.directory(dir);
        boolean[] crash = {false};
        TileStorage crashing = new ForwardingStorage(dirStorage) {
            @Override
            public void write(String path, byte[] data) {
                if (crash[0] && path.equals(Appender.CHECKPOINT)) {
                    throw new TlogException("simulated crash before writing the checkpoint");
                }
                super.write(path, data);
            }
        };
        MemoryTree tree = new MemoryTree();
        Appender appender = Appender.open(crashing, signer);
        appendAll(appender, tree, entries(0, 600, "e"));
        byte[] checkpoint = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));
        Set<String> signedFiles = new TreeSet<>(filesUnder(dir));

        crash[0] = true;
        // Crosses the end of tile 2 so that the lost batch leaves full and partial tiles behind.
        assertThatThrownBy(() -> appender.append(entries(600, 300, "lost")))
                .isInstanceOf(TlogException.class)
                .hasMessageContaining("simulated crash");
        assertThat(dir.resolve("tile/entries/002")).exists();
        assertThat(Files.readAllBytes(dir.resolve(Appender.CHECKPOINT))).isEqualTo(checkpoint);

        Appender recovered = Appender.open(TileStorage.directory(dir), signer);
        assertThat(recovered.checkpoint().checkpoint().size()).isEqualTo(600);
        assertThat(recovered.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        assertThat(new TreeSet<>(filesUnder(dir))).as("tiles of the unsigned batch are discarded").isEqualTo(signedFiles);
        assertThat(audit(dirStorage).checkpoint().checkpoint().size()).isEqualTo(600);

        appendAll(recovered, tree, entries(600, 50, "e"));
        Appender.Result r = appendAll(recovered, tree, entries(650, 400, "e"));
        assertThat(r.checkpoint().checkpoint().size()).isEqualTo(1050);
        assertThat(r.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        assertThat(EntryBundle.parse(Files.readAllBytes(dir.resolve("tile/entries/002")), 256).get(100))
                .asString(StandardCharsets.UTF_8).isEqualTo("e612");
        audit(dirStorage);
    }

    @Test
    void open_afterTilesOfUnsignedBatchWereWrittenDirectly_opensAtOldSizeAndContinues() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        MemoryTree tree = new MemoryTree();
        Appender appender = Appender.open(storage, signer);
        appendAll(appender, tree, entries(0, 700, "e"));
        // What an appender does for a batch, up to but not including the checkpoint.
        TileBuilder builder = TileBuilder.resume(storage, 700, true);
        TileBuilder.Sink write = (path, data) -> storage.write(path.path(), data);
        for (byte[] e : entries(700, 2000, "lost")) {
            builder.add(e, write);
        }
        builder.flushPartials(write);

        Appender recovered = Appender.open(storage, signer);
        assertThat(recovered.checkpoint().checkpoint().size()).isEqualTo(700);
        assertThat(audit(storage).checkpoint().checkpoint().root()).isEqualTo(tree.root());

        Appender.Result r = appendAll(recovered, tree, entries(700, 2500, "e"));
        assertThat(r.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        audit(storage);
    }

    @Test
    void append_manyBatches_leavesNoTemporaryFiles() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender appender = Appender.open(storage, signer);
        for (int i = 0; i < 6; i++) {
            appender.append(entries(i * 150L, 150, "e"));
        }

        try (Stream<Path> walk = Files.walk(dir)) {
            assertThat(walk.filter(p -> !p.equals(dir)).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("."));
        }
        audit(storage);
    }

    // ---------------------------------------------------------------- helpers

    static Signer newSigner(String origin) throws FormatException {
        return NoteKeys.parseSigner(NoteKeys.generate(origin, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
    }

    /** Entries {@code tag + i} for i in [from, from + n). */
    static List<byte[]> entries(long from, int n, String tag) {
        List<byte[]> out = new ArrayList<>(n);
        for (long i = from; i < from + n; i++) {
            out.add((tag + i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<byte[]> entries(long from, int n) {
        return entries(from, n, "e");
    }

    private static Appender.Result appendAll(Appender appender, MemoryTree tree, List<byte[]> batch) {
        batch.forEach(tree::appendEntry);
        return appender.append(batch);
    }

    private AuditReport.Verified audit(TileStorage storage) {
        AuditReport report = new Auditor(storage, signer.verifier()).audit(null, Auditor.Progress.NONE);
        assertThat(report).as("audit of the whole log").isInstanceOf(AuditReport.Verified.class);
        return (AuditReport.Verified) report;
    }

    /** The C2SP tiles and bundles a checkpoint of {@code size} entries needs. */
    private static Set<String> specTiles(long size) {
        Set<String> out = new TreeSet<>();
        for (int level = 0; (size >>> (8 * level)) > 0; level++) {
            long count = size >>> (8 * level);
            for (long i = 0; i < count / 256; i++) {
                out.add(TilePath.hashes(level, i, 256).path());
            }
            if (count % 256 != 0) {
                out.add(TilePath.hashes(level, count / 256, (int) (count % 256)).path());
            }
        }
        for (long i = 0; i < size / 256; i++) {
            out.add(TilePath.entries(i, 256).path());
        }
        if (size % 256 != 0) {
            out.add(TilePath.entries(size / 256, (int) (size % 256)).path());
        }
        return out;
    }

    private static List<TilePath> listTiles(TileStorage storage) throws FormatException {
        List<TilePath> out = new ArrayList<>();
        for (String p : storage.list().orElseThrow()) {
            out.add(TilePath.parse(p));
        }
        return out;
    }

    private static long count(Collection<TilePath> tiles, int level, boolean full) {
        return tiles.stream().filter(t -> t.level() == level && t.isFull() == full).count();
    }

    private static List<Integer> partialWidths(Collection<TilePath> tiles, int level) {
        return tiles.stream().filter(t -> t.level() == level && !t.isFull()).map(TilePath::width).toList();
    }

    /** Every regular file under {@code root}, as a '/'-separated relative path. */
    static List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static Map<String, FileState> snapshot(Path root) throws IOException {
        Map<String, FileState> out = new TreeMap<>();
        for (String p : filesUnder(root)) {
            out.put(p, FileState.of(root.resolve(p)));
        }
        return out;
    }

    static void flip(Path file, int pos) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[pos] ^= 0x01;
        Files.write(file, b);
    }

    /** What a user can see of a file: its bytes, its modification time and its identity (inode). */
    private record FileState(List<Byte> bytes, long modifiedNanos, Object fileKey) {
        static FileState of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            byte[] b = Files.readAllBytes(p);
            List<Byte> list = new ArrayList<>(b.length);
            for (byte x : b) {
                list.add(x);
            }
            return new FileState(list, a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    String.valueOf(a.fileKey()));
        }
    }

    /** Storage that forwards to another; tests override single operations. */
    private static class ForwardingStorage implements TileStorage {
        private final TileStorage inner;

        ForwardingStorage(TileStorage inner) {
            this.inner = inner;
        }

        @Override
        public Optional<byte[]> read(String path) {
            return inner.read(path);
        }

        @Override
        public void write(String path, byte[] data) {
            inner.write(path, data);
        }

        @Override
        public void delete(String path) {
            inner.delete(path);
        }

        @Override
        public Optional<List<String>> list() {
            return inner.list();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
