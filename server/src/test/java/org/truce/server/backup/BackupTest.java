package org.truce.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.server.TestPostgres;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;

/**
 * A backup taken while entries keep arriving restores, on SQLite and on PostgreSQL, to the root and
 * state digest it was taken at, with its evidence, and the restored log goes on from there; a backup
 * altered in one body is refused, naming the entry, and leaves nothing behind.
 */
class BackupTest {
    @TempDir
    Path tmp;

    private Node node;

    @BeforeEach
    void start() {
        node = Node.init(tmp.resolve("live"), "backup.truce.example/log", "Backup", Clock.systemUTC());
        Demo.load(node, tmp.resolve("live/party-keys"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void message(long seq) {
        node.submit(node.operator(), "message", JsonNodeFactory.instance.objectNode().put("subject", "s" + seq)
                .put("text", "while the backup runs").set("to", JsonNodeFactory.instance.arrayNode().add("us")), seq);
    }

    private Backup.Manifest backupWhileWriting(Path file) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        long before = node.store().read(tx -> tx.size());
        AtomicLong seq = new AtomicLong(node.operatorSeq());
        Thread writer = new Thread(() -> {
            while (running.get()) {
                message(seq.incrementAndGet());
            }
        });
        writer.start();
        try {
            while (node.store().read(tx -> tx.size()) < before + 3) {
                Thread.onSpinWait();
            }
            // A second store on the same data directory, as `truce backup` opens beside a running server.
            try (Store beside = Store.sqlite(tmp.resolve("live")); OutputStream out = Files.newOutputStream(file)) {
                return Backup.write(beside, tmp.resolve("live"), out, (d, t) -> { });
            }
        } finally {
            running.set(false);
            writer.join();
        }
    }

    @Test
    void backupWhileServing_restoresOnBothEngines_toTheSameRootAndState() throws Exception {
        Path file = tmp.resolve("live.truce-backup");
        Backup.Manifest m = backupWhileWriting(file);
        assertThat(m.evidence()).as("the demo's evidence file").isEqualTo(1);

        Backup.Manifest sqlite = Backup.restore(file, tmp.resolve("restored"), null, (d, t) -> { });
        assertThat(sqlite).isEqualTo(m);
        try (Node restored = Node.open(tmp.resolve("restored"), Clock.systemUTC())) {
            assertThat(restored.store().read(StateDigest::of)).isEqualTo(m.stateDigest());
            assertThat(restored.store().<AuditReport>read(tx -> new Auditor(tx, restored.checkpointKey().verifier()).audit(null,
                    Auditor.Progress.NONE))).isInstanceOf(AuditReport.Verified.class);
            String sha = node.store().read(tx -> tx.evidenceHashes(null, 10)).get(0);
            assertThat(restored.store().read(tx -> tx.evidence(sha)).orElseThrow().data())
                    .isEqualTo(node.store().read(tx -> tx.evidence(sha)).orElseThrow().data());
            long next = restored.operatorSeq() + 1;
            assertThat(restored.submit(restored.operator(), "message", JsonNodeFactory.instance.objectNode()
                    .put("subject", "after").put("text", "the restored log goes on")
                    .set("to", JsonNodeFactory.instance.arrayNode().add("us")), next)).isEqualTo(m.size());
        }

        String db = TestPostgres.newDatabase("restore");
        Backup.Manifest pg = Backup.restore(file, tmp.resolve("restored-pg"), db + "&user=postgres&password=postgres",
                (d, t) -> { });
        assertThat(pg).isEqualTo(m);
        try (Store s = Store.open(db, "postgres", "postgres")) {
            assertThat(s.read(StateDigest::of)).isEqualTo(m.stateDigest());
            assertThat(s.<Long>read(tx -> tx.size())).isEqualTo(m.size());
        }
    }

    @Test
    void alteredBackup_isRefusedNamingTheEntry_andLeavesNothing() throws Exception {
        Path file = tmp.resolve("live.truce-backup");
        try (OutputStream out = Files.newOutputStream(file)) {
            Backup.write(node.store(), tmp.resolve("live"), out, (d, t) -> { });
        }
        Path altered = tmp.resolve("altered.truce-backup");
        try (ZipFile in = new ZipFile(file.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(altered))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().startsWith("entries/")) {
                    String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
                    // Entry 5's body, re-encoded with one bit changed.
                    String body = lines[5].replaceAll(".*\"body\":\"([^\"]*)\".*", "$1");
                    byte[] b = java.util.Base64.getDecoder().decode(body);
                    b[b.length / 2] ^= 1;
                    lines[5] = lines[5].replace(body, java.util.Base64.getEncoder().encodeToString(b));
                    data = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        Path target = tmp.resolve("from-altered");
        assertThatThrownBy(() -> Backup.restore(altered, target, null, (d, t) -> { }))
                .isInstanceOf(BackupException.class).hasMessageContaining("entry 5");
        assertThat(target).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".truce-restore-"));
        }
    }
}
