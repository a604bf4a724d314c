package org.truce.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.witness.Policy;

/**
 * The log's side of witnessing, against two real witnesses over HTTP: each new checkpoint is published
 * with both cosignatures and meets the policy; while a witness is down, the new checkpoint stays
 * bare and a client holding the policy refuses it; and witnesses that come back with their state
 * cosign again from where they were.
 */
class WitnessingTest {
    @TempDir
    Path tmp;

    private Node node;
    private LocalWitnesses witnesses;

    @BeforeEach
    void start() {
        node = Node.init(tmp.resolve("log"), "witnessed.truce.example/log", "Witnessed", Clock.systemUTC());
        Demo.load(node, tmp.resolve("log/party-keys"));
        witnesses = LocalWitnesses.start(node, tmp.resolve("witnesses"), "127.0.0.1", 2);
    }

    @AfterEach
    void stop() {
        node.close();
        witnesses.close();
    }

    private byte[] published() {
        return node.store().read(tx -> tx.read("checkpoint")).orElseThrow();
    }

    private void message(long seq) {
        node.submit(node.operator(), "message", JsonNodeFactory.instance.objectNode().put("subject", "s" + seq)
                .put("text", "checkpoint " + seq).set("to", JsonNodeFactory.instance.arrayNode().add("us")), seq);
    }

    @Test
    void eachCheckpoint_publishedWithBothCosignatures_meetsThePolicy() throws Exception {
        Policy policy = witnesses.parsedPolicy();
        Witnessing w = new Witnessing(node.store(), node.checkpointKey().verifier(), policy, java.time.Duration.ofSeconds(5));
        try {
            assertThatThrownBy(() -> policy.verify(published())).as("the demo's checkpoint, before witnessing")
                    .isInstanceOf(VerificationException.class);
            long size = node.store().read(tx -> tx.size());
            assertThat(w.once()).isTrue();
            assertThat(policy.verify(published()).checkpoint().size()).isEqualTo(size);
            assertThat(w.once()).as("the same checkpoint is not sent again").isFalse();
            for (long seq = node.operatorSeq() + 1, n = 0; n < 3; n++, seq++) {
                message(seq);
                assertThat(w.once()).isTrue();
                Checkpoint.Signed c = policy.verify(published());
                assertThat(c.checkpoint().size()).isEqualTo(size + 1 + n);
                assertThat(c.verifiedBy()).hasSize(3);
            }
        } finally {
            w.close();
        }
    }

    @Test
    void aWitnessDown_leavesTheNewCheckpointBare_andAClientRefusesIt() throws Exception {
        Policy policy = witnesses.parsedPolicy();
        Witnessing w = new Witnessing(node.store(), node.checkpointKey().verifier(), policy, java.time.Duration.ofSeconds(2));
        try {
            assertThat(w.once()).isTrue();
            witnesses.close();
            message(node.operatorSeq() + 1);
            // One witness alone is not the quorum, and none answers: nothing better than the bare note.
            w.once();
            assertThatThrownBy(() -> policy.verify(published())).isInstanceOf(VerificationException.class);
            assertThat(Checkpoint.open(published(), node.checkpointKey().verifier()).checkpoint().size())
                    .as("the new checkpoint is published all the same").isEqualTo(node.store().read(tx -> tx.size()));
        } finally {
            w.close();
        }
    }
}
