package org.truce.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Visibility;
import org.truce.core.hotline.Hotline;

/** The operator's watch over the demo: a volume over a notified warehouse is notified to both sides, once. */
class EscalatorTest {
    @TempDir
    Path tmp;

    private Node node;

    @BeforeEach
    void start() {
        node = Node.init(tmp.resolve("demo"), "demo.truce.example/log", "Demo", Clock.systemUTC());
        Demo.load(node, tmp.resolve("demo/party-keys"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void conflict_ofAVolumeOverANotifiedSite_notifiedOnceToBothSides() throws Exception {
        assertThat(node.escalator().runOnce()).as("the demo's escalations are already recorded").isZero();
        EntrySigner ru = EntrySigner.fromPrivateKey(Files.readString(tmp.resolve("demo/party-keys/ru.key")).strip());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode v = JsonNodeFactory.instance.objectNode().put("id", "ru-flight").put("state", "accepted");
        v.putObject("footprint").put("type", "circle").put("radius", 2000).putArray("center").add(36.951).add(36.151);
        v.putObject("altitude").put("lower", 0).put("upper", 5000).put("reference", "AGL");
        v.putObject("time").put("from", now.plus(1, ChronoUnit.HOURS).toString()).put("to", now.plus(3, ChronoUnit.HOURS).toString());
        String version = node.store().read(tx -> tx.get("notification.site", "sarc-warehouse-urum-al-kubra")).orElseThrow().body()
                .get("version").textValue();
        v.putArray("key").addObject().put("type", "site").put("id", "sarc-warehouse-urum-al-kubra").put("version", version);
        node.submit(ru, "volume", v, Visibility.PUBLIC, 100);
        assertThat(node.escalator().runOnce()).isEqualTo(1);
        assertThat(node.escalator().runOnce()).as("once").isZero();
        for (String party : List.of("ru", "sarc")) {
            List<ObjectNode> inbox = node.store().read(tx -> new Hotline(tx, Clock.systemUTC()).inbox(Reader.party(party), party, null, 50));
            ObjectNode m = inbox.stream().filter(x -> x.path("about").has("conflict")).findFirst().orElseThrow();
            assertThat(m.get("from").asText()).isEqualTo("operator");
            assertThat(m.get("text").asText()).contains("Volume ru-flight of ru", "site sarc-warehouse-urum-al-kubra of sarc");
        }
        List<ObjectNode> forUs = node.store().read(tx -> new Hotline(tx, Clock.systemUTC()).inbox(Reader.party("us"), "ru", null, 50));
        assertThat(forUs).as("restricted to the two sides").noneMatch(x -> x.path("about").has("conflict"));
    }
}
