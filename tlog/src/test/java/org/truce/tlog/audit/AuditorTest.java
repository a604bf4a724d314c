package org.truce.tlog.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.tlog.FormatException;
import org.truce.tlog.append.Appender;
import org.truce.tlog.merkle.MemoryTree;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.HttpTileReader;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileReader;
import org.truce.tlog.tiles.TileStorage;

class AuditorTest {
    private static final String ORIGIN = "example.com/truce/audit-log";

    private static Signer signer;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws FormatException {
        signer = newSigner(ORIGIN);
    }

    // ---------------------------------------------------------------- clean logs

    @Test
    void audit_cleanLogFromDirectory_verifies() throws Exception {
        MemoryTree tree = new MemoryTree();
        Appender appender = writeLog(dir, tree, 1000, 1, 999, 1000);

        AuditReport.Verified ok = verified(auditor(TileStorage.directory(dir)).audit(null, Auditor.Progress.NONE));

        assertThat(ok.checkpoint().checkpoint().size()).isEqualTo(3000);
        assertThat(ok.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        assertThat(ok.checkpoint().note().encode()).isEqualTo(appender.checkpoint().note().encode());
        assertThat(ok.checkpoint().verifiedBy()).extracting(v -> v.vkey()).containsExactly(signer.verifier().vkey());
        assertThat(ok.staleTilesChecked()).isPositive();
        assertThat(ok.trusted()).isNull();
    }

    @Test
    void audit_cleanLogOverHttp_verifies() throws Exception {
        MemoryTree tree = new MemoryTree();
        writeLog(dir, tree, 1000, 1, 999, 1000);
        HttpServer server = serve(dir);
        try {
            TileReader http = new HttpTileReader(base(server), Duration.ofSeconds(10));

            AuditReport.Verified ok = verified(auditor(http).audit(null, Auditor.Progress.NONE));

            assertThat(ok.checkpoint().checkpoint().size()).isEqualTo(3000);
            assertThat(ok.checkpoint().checkpoint().root()).isEqualTo(tree.root());
            assertThat(ok.staleTilesChecked()).as("HTTP cannot be listed").isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void audit_tileMissingOverHttp_failsNamingIt() throws Exception {
        writeLog(dir, new MemoryTree(), 700);
        Files.delete(dir.resolve("tile/0/001"));
        HttpServer server = serve(dir);
        try {
            AuditReport report = auditor(new HttpTileReader(base(server), Duration.ofSeconds(10)))
                    .audit(null, Auditor.Progress.NONE);

            assertFailed(report, "tile/0/001");
            assertThat(((AuditReport.Failed) report).problem()).contains("missing");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void audit_emptyLog_verifies() throws Exception {
        Appender.open(TileStorage.directory(dir), signer);

        AuditReport.Verified ok = verified(auditor(TileStorage.directory(dir)).audit(null, Auditor.Progress.NONE));

        assertThat(ok.checkpoint().checkpoint().size()).isZero();
    }

    @Test
    void audit_progress_reachesSizeOfSize() throws Exception {
        writeLog(dir, new MemoryTree(), 1000, 300, 37);
        List<long[]> updates = new ArrayList<>();

        verified(auditor(TileStorage.directory(dir)).audit(null, (done, total) -> updates.add(new long[] {done, total})));

        assertThat(updates).isNotEmpty();
        assertThat(updates.get(updates.size() - 1)).containsExactly(1337, 1337);
        for (int i = 0; i < updates.size(); i++) {
            assertThat(updates.get(i)[1]).isEqualTo(1337);
            if (i > 0) {
                assertThat(updates.get(i)[0]).isGreaterThanOrEqualTo(updates.get(i - 1)[0]);
            }
        }
    }

    // ---------------------------------------------------------------- one flipped byte anywhere

    @Test
    void audit_oneByteFlippedInAnyFile_failsAtThatFileOrItsEntry() throws Exception {
        writeLog(dir, new MemoryTree(), 100, 200, 300, 100);
        TileStorage storage = TileStorage.directory(dir);
        verified(auditor(storage).audit(null, Auditor.Progress.NONE));
        List<String> files = filesUnder(dir);
        // Stale partials of earlier batches must be among the files flipped.
        assertThat(files).contains("checkpoint", "tile/0/000.p/100", "tile/0/001.p/44", "tile/0/002.p/88",
                "tile/0/002.p/188", "tile/1/000.p/1", "tile/1/000.p/2", "tile/entries/000.p/100",
                "tile/entries/002.p/88", "tile/entries/002.p/188");
        int cases = 0;
        for (String file : files) {
            Path p = dir.resolve(file);
            byte[] original = Files.readAllBytes(p);
            for (int pos : positions(original.length)) {
                byte[] flipped = original.clone();
                flipped[pos] ^= 0x01;
                Files.write(p, flipped);
                try {
                    AuditReport report = auditor(storage).audit(null, Auditor.Progress.NONE);
                    assertFlipReported(file, original, pos, report);
                } finally {
                    Files.write(p, original);
                }
                cases++;
            }
        }
        assertThat(cases).isGreaterThan(3 * 15);
        verified(auditor(storage).audit(null, Auditor.Progress.NONE));
    }

    /** First, middle, last, and a few in between. */
    private static List<Integer> positions(int length) {
        List<Integer> out = new ArrayList<>(List.of(0, length / 2, length - 1));
        for (int k = 1; k < 4; k++) {
            int pos = (int) ((long) length * k / 4) + 1;
            if (pos < length && !out.contains(pos)) {
                out.add(pos);
            }
        }
        return out;
    }

    private static void assertFlipReported(String file, byte[] original, int pos, AuditReport report) throws Exception {
        String what = "byte " + pos + " of " + file + " flipped";
        assertThat(report).as(what).isInstanceOf(AuditReport.Failed.class);
        AuditReport.Failed f = (AuditReport.Failed) report;
        if (file.equals(Appender.CHECKPOINT)) {
            assertThat(f.resource()).as(what + ": " + f).isEqualTo(Appender.CHECKPOINT);
            return;
        }
        TilePath flipped = TilePath.parse(file);
        boolean current = currentPaths().contains(file);
        if (!flipped.isEntries()) {
            // A current tile is compared hash by hash; a stale one as a whole, from its first entry.
            long first = (flipped.index() * 256) << (8 * flipped.level());
            long last = ((flipped.index() * 256 + flipped.width()) << (8 * flipped.level())) - 1;
            assertThat(f.resource()).as(what + ": " + f).isEqualTo(file);
            assertThat(f.entry()).as(what + ": " + f).isBetween(first, last)
                    .isEqualTo(current ? (flipped.index() * 256 + pos / 32) << (8 * flipped.level()) : first);
            return;
        }
        // A bundle: a flipped length prefix breaks the bundle itself; a flipped entry byte changes that
        // entry, which the current bundle's level-0 tile or, for a stale bundle, its successor shows.
        long firstEntry = flipped.index() * 256;
        int entry = 0;
        int off = 0;
        boolean inLength = false;
        while (true) {
            int len = ((original[off] & 0xFF) << 8) | (original[off + 1] & 0xFF);
            if (pos < off + 2) {
                inLength = true;
                break;
            }
            if (pos < off + 2 + len) {
                break;
            }
            off += 2 + len;
            entry++;
        }
        if (inLength || !current) {
            assertThat(f.resource()).as(what + ": " + f).isEqualTo(file);
            assertThat(f.entry()).as(what + ": " + f).isEqualTo(firstEntry);
        } else {
            assertThat(f.resource()).as(what + ": " + f)
                    .isEqualTo(TilePath.hashes(0, flipped.index(), flipped.width()).path());
            assertThat(f.entry()).as(what + ": " + f).isEqualTo(firstEntry + entry)
                    .isBetween(firstEntry, firstEntry + flipped.width() - 1);
            assertThat(f.problem()).contains(file);
        }
    }

    /** The tiles and bundles the checkpoint of 700 entries needs; other tiles are stale partials. */
    private static List<String> currentPaths() {
        return List.of("tile/0/000", "tile/0/001", "tile/0/002.p/188", "tile/1/000.p/2",
                "tile/entries/000", "tile/entries/001", "tile/entries/002.p/188");
    }

    @Test
    void audit_hashTileMissing_failsNamingIt() throws Exception {
        writeLog(dir, new MemoryTree(), 300, 400);
        Files.delete(dir.resolve("tile/0/002.p/188"));

        AuditReport report = auditor(TileStorage.directory(dir)).audit(null, Auditor.Progress.NONE);

        assertFailed(report, "tile/0/002.p/188");
        assertThat(((AuditReport.Failed) report).problem()).contains("missing");
    }

    @Test
    void audit_entryBundleMissing_failsNamingIt() throws Exception {
        writeLog(dir, new MemoryTree(), 700);
        Files.delete(dir.resolve("tile/entries/001"));

        AuditReport report = auditor(TileStorage.directory(dir)).audit(null, Auditor.Progress.NONE);

        assertFailed(report, "tile/entries/001");
        assertThat(((AuditReport.Failed) report).entry()).isEqualTo(256);
    }

    @Test
    void audit_checkpointMissing_fails() throws Exception {
        writeLog(dir, new MemoryTree(), 10);
        Files.delete(dir.resolve(Appender.CHECKPOINT));

        assertFailed(auditor(TileStorage.directory(dir)).audit(null, Auditor.Progress.NONE), Appender.CHECKPOINT);
    }

    @Test
    void audit_withOtherLogKey_failsOnCheckpoint() throws Exception {
        writeLog(dir, new MemoryTree(), 10);

        AuditReport report = new Auditor(TileStorage.directory(dir), newSigner(ORIGIN).verifier())
                .audit(null, Auditor.Progress.NONE);

        assertFailed(report, Appender.CHECKPOINT);
    }

    // ---------------------------------------------------------------- trusted checkpoints

    @Test
    void audit_trustedEarlierCheckpointOfSameLog_verifiesWithTrustedSet() throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender appender = Appender.open(storage, signer);
        MemoryTree tree = new MemoryTree();
        append(appender, tree, 0, 1000);
        byte[] trusted = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));
        append(appender, tree, 1000, 2000);

        AuditReport.Verified ok = verified(auditor(storage).audit(trusted, Auditor.Progress.NONE));

        assertThat(ok.trusted()).isNotNull();
        assertThat(ok.trusted().size()).isEqualTo(1000);
        assertThat(ok.trusted().root()).isEqualTo(tree.root(1000));
        assertThat(ok.checkpoint().checkpoint().size()).isEqualTo(3000);
    }

    @Test
    void audit_trustedCheckpointOfCurrentSize_verifies() throws Exception {
        writeLog(dir, new MemoryTree(), 500);
        byte[] trusted = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));

        AuditReport.Verified ok = verified(auditor(TileStorage.directory(dir)).audit(trusted, Auditor.Progress.NONE));

        assertThat(ok.trusted().size()).isEqualTo(500);
    }

    @Test
    void audit_forkedLogWithSameKey_failsMentioningFork(@TempDir Path other) throws Exception {
        writeLog(dir, new MemoryTree(), 500);
        byte[] trusted = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));
        // The same key signs a second history whose first 500 entries differ in one entry.
        Appender fork = Appender.open(TileStorage.directory(other), signer);
        List<byte[]> forked = entries(0, 800);
        forked.set(321, "forked".getBytes(StandardCharsets.UTF_8));
        fork.append(forked);
        verified(auditor(TileStorage.directory(other)).audit(null, Auditor.Progress.NONE));

        AuditReport report = auditor(TileStorage.directory(other)).audit(trusted, Auditor.Progress.NONE);

        assertFailed(report, Appender.CHECKPOINT);
        assertThat(((AuditReport.Failed) report).problem()).contains("forked");
    }

    @Test
    void audit_forkedLogOfSameSizeAsTrusted_failsMentioningFork(@TempDir Path other) throws Exception {
        writeLog(dir, new MemoryTree(), 500);
        byte[] trusted = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));
        Appender.open(TileStorage.directory(other), signer).append(entries(1, 500));

        AuditReport report = auditor(TileStorage.directory(other)).audit(trusted, Auditor.Progress.NONE);

        assertFailed(report, Appender.CHECKPOINT);
        assertThat(((AuditReport.Failed) report).problem()).contains("forked");
    }

    @Test
    void audit_rolledBackLog_failsMentioningRollback(@TempDir Path backup) throws Exception {
        TileStorage storage = TileStorage.directory(dir);
        Appender appender = Appender.open(storage, signer);
        MemoryTree tree = new MemoryTree();
        append(appender, tree, 0, 600);
        copyTree(dir, backup);
        append(appender, tree, 600, 600);
        byte[] trusted = Files.readAllBytes(dir.resolve(Appender.CHECKPOINT));
        verified(auditor(TileStorage.directory(backup)).audit(null, Auditor.Progress.NONE));

        AuditReport report = auditor(TileStorage.directory(backup)).audit(trusted, Auditor.Progress.NONE);

        assertFailed(report, Appender.CHECKPOINT);
        assertThat(((AuditReport.Failed) report).problem()).contains("rolled back");
        verified(auditor(storage).audit(trusted, Auditor.Progress.NONE));
    }

    @Test
    void audit_trustedCheckpointOfOtherKey_failsOnTrustedCheckpoint(@TempDir Path other) throws Exception {
        writeLog(dir, new MemoryTree(), 100);
        Appender.open(TileStorage.directory(other), newSigner(ORIGIN)).append(entries(0, 50));
        byte[] foreign = Files.readAllBytes(other.resolve(Appender.CHECKPOINT));

        assertFailed(auditor(TileStorage.directory(dir)).audit(foreign, Auditor.Progress.NONE), "trusted checkpoint");
    }

    // ---------------------------------------------------------------- helpers

    private static Signer newSigner(String origin) throws FormatException {
        return NoteKeys.parseSigner(NoteKeys.generate(origin, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
    }

    private static Auditor auditor(TileReader log) {
        return new Auditor(log, signer.verifier());
    }

    /** Entries of varied lengths, so that bundle offsets do not line up. */
    private static List<byte[]> entries(long from, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (long i = from; i < from + n; i++) {
            out.add(("entry " + i + " " + "x".repeat((int) (i % 23))).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void append(Appender appender, MemoryTree tree, long from, int n) {
        List<byte[]> batch = entries(from, n);
        batch.forEach(tree::appendEntry);
        appender.append(batch);
    }

    private static Appender writeLog(Path dir, MemoryTree tree, int... batches) {
        Appender appender = Appender.open(TileStorage.directory(dir), signer);
        long next = 0;
        for (int n : batches) {
            append(appender, tree, next, n);
            next += n;
        }
        assertThat(appender.checkpoint().checkpoint().root()).isEqualTo(tree.root());
        return appender;
    }

    private static AuditReport.Verified verified(AuditReport report) {
        assertThat(report).as("audit").isInstanceOf(AuditReport.Verified.class);
        return (AuditReport.Verified) report;
    }

    private static void assertFailed(AuditReport report, String resource) {
        assertThat(report).isInstanceOfSatisfying(AuditReport.Failed.class,
                f -> assertThat(f.resource()).as(f.toString()).isEqualTo(resource));
    }

    private static List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (String f : filesUnder(from)) {
            Path target = to.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(from.resolve(f), target);
        }
    }

    /** Serves {@code root} read-only under /log/ on a loopback port: 200 with the file, else 404. */
    private static HttpServer serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/log/", exchange -> {
            try (exchange) {
                respond(root, exchange);
            }
        });
        server.start();
        return server;
    }

    private static void respond(Path root, HttpExchange exchange) throws IOException {
        String rel = exchange.getRequestURI().getPath().substring("/log/".length());
        Path file = root.resolve(rel).normalize();
        if (!"GET".equals(exchange.getRequestMethod()) || !file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static URI base(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/log/");
    }
}
