package org.truce.server.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Visibility;
import org.truce.server.node.Node;
import org.truce.server.sequencer.Receipt;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.tiles.TileStorage;

/** Publication of a live log to a directory in the C2SP static layout, verified from there. */
class PublicationTest {
    @TempDir
    Path tmp;

    // ---- paths ----

    @Test
    void paths_fromEmptyToThreeHundred_entriesAndHashTilesOfEveryLevel() {
        assertThat(Publication.paths(0, 300)).containsExactly("tile/entries/000", "tile/entries/001.p/44",
                "tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1");
    }

    @Test
    void paths_fromTwoHundredToThreeHundred_onlyWhatTheSmallerTreeLacked() {
        assertThat(Publication.paths(200, 300)).containsExactly("tile/entries/000", "tile/entries/001.p/44",
                "tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1");
        assertThat(Publication.paths(256, 300)).containsExactly("tile/entries/001.p/44", "tile/0/001.p/44", "tile/1/000.p/1");
        assertThat(Publication.paths(300, 300)).containsExactly("tile/entries/001.p/44", "tile/0/001.p/44", "tile/1/000.p/1");
    }

    // ---- a live log ----

    @Test
    void publishOnce_asTheLogGrows_theDirectoryVerifiesWithTheAuditor() throws Exception {
        Path out = tmp.resolve("published");
        TileStorage target = TileStorage.directory(out);
        try (Node node = Node.init(tmp.resolve("data"), "publish.truce.example/log", "Publish", Clock.systemUTC())) {
            Publication publication = new Publication(node.store(), target, node.checkpointKey().verifier());
            EntrySigner p = EntrySigner.fromPrivateKey(NoteKeys.generate("pp", NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
            ObjectNode reg = JsonNodeFactory.instance.objectNode().put("id", "pp").put("name", "pp");
            reg.putArray("roles").add("party");
            reg.putArray("keys").add(p.vkey());
            node.submit(node.operator(), "party", reg, Visibility.PUBLIC, node.operatorSeq() + 1);
            assertThat(publication.publishOnce()).isEqualTo(2);
            long seq = 0;
            for (int round : new int[] {100, 200, 300}) {
                List<CompletableFuture<Receipt>> answers = new ArrayList<>();
                for (int i = 0; i < round; i++) {
                    ObjectNode b = JsonNodeFactory.instance.objectNode().put("subject", "s" + seq).put("text", "t");
                    b.putArray("to").add("operator");
                    answers.add(node.sequencer().submit(p.sign("message", b, Visibility.PUBLIC, List.of(), ++seq, java.time.Instant.now())));
                }
                for (CompletableFuture<Receipt> a : answers) {
                    a.get(30, TimeUnit.SECONDS);
                }
                long size = publication.publishOnce();
                assertThat(size).isEqualTo(node.store().read(tx -> tx.size()));
                AuditReport report = new Auditor(target, node.checkpointKey().verifier()).audit(null, Auditor.Progress.NONE);
                assertThat(report).as("after %s more entries", round).isInstanceOf(AuditReport.Verified.class);
            }
            assertThat(Files.readAllBytes(out.resolve("checkpoint")))
                    .isEqualTo(node.store().read(tx -> tx.read("checkpoint")).orElseThrow());
        }
    }
}
