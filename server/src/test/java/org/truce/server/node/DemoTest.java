package org.truce.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.access.Reader;
import org.truce.core.hotline.Hotline;
import org.truce.core.ledger.Ledger;
import org.truce.server.rebuild.Rebuild;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.merkle.Hash;

class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void demo_loadsPartiesAndHotline_auditsAndRebuildsToTheSameState() throws Exception {
        Path dir = tmp.resolve("demo");
        try (Node node = Node.init(dir, "demo.truce.example/log", "Demo", Clock.systemUTC())) {
            Demo.load(node, dir.resolve("party-keys"));
            assertThat(Files.list(dir.resolve("party-keys"))).hasSize(Demo.partyIds().size());
            Store store = node.store();
            assertThat(store.read(tx -> tx.size()).longValue()).isEqualTo(1 + Demo.partyIds().size() + 4);

            Clock later = Clock.fixed(Instant.parse("2016-09-21T00:00:00Z"), ZoneOffset.UTC);
            List<ObjectNode> inbox = store.read(tx -> new Hotline(tx, later).inbox(Reader.party("ru"), "ru", null, 10));
            assertThat(inbox).hasSize(1);
            ObjectNode convoy = inbox.get(0);
            assertThat(convoy.get("subject").asText()).isEqualTo("Convoy struck at Urum al-Kubra");
            assertThat(convoy.get("recipients").findValuesAsText("status")).containsExactly("acknowledged", "overdue");
            assertThat(store.<List<ObjectNode>>read(tx -> new Hotline(tx, later).inbox(Reader.party("hnc"), "sy", null, 10))).isEmpty();
            assertThat(store.<List<ObjectNode>>read(tx -> new Hotline(tx, later).inbox(Reader.party("sy"), "sy", null, 10))).hasSize(1);

            AuditReport report = store.read(tx -> new Auditor(tx, node.checkpointKey().verifier()).audit(null,
                    Auditor.Progress.NONE));
            assertThat(report).isInstanceOf(AuditReport.Verified.class);

            Hash live = store.read(StateDigest::of);
            try (Store replay = Store.sqlite(tmp.resolve("replay"))) {
                new Rebuild(Ledger.standard()).run(store, replay, (d, t) -> { });
                assertThat(replay.<Hash>read(StateDigest::of)).isEqualTo(live);
            }
        }
    }
}
