package org.truce.tlog.witness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteSignature;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.witness.Witness.Outcome;
import org.truce.tlog.witness.Witness.Reason;

/** The witness's checks, in the spec's order and with its status codes, and its state. */
class WitnessTest {
    private static final long TIME = 1_700_000_000L;
    private final TestLog log = new TestLog("example.org/truce-log");
    private final CosignatureV1.Cosigner cosigner = TestLog.cosigner("witness.example/w1", TIME);
    private final WitnessStore store = WitnessStore.memory();
    private final Witness witness = new Witness(cosigner, List.of(Witness.Log.of(log.key())), store);

    // ---- cosigning ----

    @Test
    void addCheckpoint_fromZero_cosignsWithATimestampedV1Cosignature() throws Exception {
        log.grow(5, "a");
        Outcome o = witness.addCheckpoint(log.request(0));

        assertThat(o).isInstanceOf(Outcome.Cosigned.class);
        assertThat(o.status()).isEqualTo(200);
        NoteSignature cosig = ((Outcome.Cosigned) o).cosignatures().get(0);
        assertThat(CosignatureV1.timestamp(cosig)).isEqualTo(TIME);
        assertThat(((Outcome.Cosigned) o).body()).startsWith("\u2014 witness.example/w1 ").endsWith("\n");
        SignedNote cosigned = log.checkpoint().withSignature(cosig);
        Checkpoint.Signed s = Checkpoint.open(cosigned.encode(), log.key(), Verifiers.of(witness.verifier()));
        assertThat(s.verifiedBy()).hasSize(2);
    }

    @Test
    void addCheckpoint_thenLargerWithProof_cosignsAndRecordsTheNewSize() {
        log.grow(5, "a");
        assertThat(witness.addCheckpoint(log.request(0)).status()).isEqualTo(200);
        log.grow(13, "a");
        assertThat(witness.addCheckpoint(log.request(5)).status()).isEqualTo(200);
        assertThat(witness.addCheckpoint(log.request(13)).status()).as("same checkpoint again").isEqualTo(200);
        SignedNote latest = witness.latest(Witness.originHash(log.origin)).orElseThrow();
        assertThat(latest.text()).isEqualTo(log.checkpoint().text());
        assertThat(latest.signatures()).extracting(NoteSignature::name).containsExactly(log.origin, "witness.example/w1");
    }

    @Test
    void addCheckpoint_emptyTree_isCosignedFromZero() {
        assertThat(witness.addCheckpoint(log.request(0)).status()).isEqualTo(200);
    }

    // ---- refusals, in the spec's order ----

    @Test
    void addCheckpoint_unparsableBody_is400() {
        Outcome o = witness.addCheckpoint("old 01\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(o).isEqualTo(new Outcome.Refused(Reason.MALFORMED, ((Outcome.Refused) o).message()));
        assertThat(o.status()).isEqualTo(400);
    }

    @Test
    void addCheckpoint_unknownOrigin_is404() {
        TestLog other = new TestLog("example.org/other").grow(3, "x");
        assertThat(witness.addCheckpoint(other.request(0)).status()).isEqualTo(404);
    }

    @Test
    void addCheckpoint_signedByAnotherKeyOfTheSameName_is403() {
        TestLog impostor = new TestLog(log.origin).grow(3, "x");
        Outcome o = witness.addCheckpoint(impostor.request(0));
        assertThat(o.status()).isEqualTo(403);
    }

    @Test
    void addCheckpoint_trustedKeyWithBadSignature_is403() throws Exception {
        log.grow(3, "a");
        SignedNote good = log.checkpoint();
        NoteSignature sig = good.signatures().get(0);
        byte[] bad = sig.signature();
        bad[0] ^= 1;
        String text = good.text() + "\n" + new NoteSignature(sig.name(), sig.keyId(), bad).line();
        SignedNote forged = SignedNote.parse(text.getBytes(StandardCharsets.UTF_8));
        assertThat(witness.addCheckpoint(new AddCheckpoint(0, List.of(), forged)).status()).isEqualTo(403);
    }

    @Test
    void addCheckpoint_oldSizeAboveCheckpointSize_is400() {
        log.grow(3, "a");
        assertThat(witness.addCheckpoint(new AddCheckpoint(4, List.of(), log.checkpoint())).status()).isEqualTo(400);
    }

    @Test
    void addCheckpoint_staleOldSize_is409WithTheCosignedSize() {
        log.grow(8, "a");
        witness.addCheckpoint(log.request(0));
        log.grow(10, "a");
        Outcome o = witness.addCheckpoint(log.request(0));
        assertThat(o).isEqualTo(new Outcome.Conflict(8));
        assertThat(((Outcome.Conflict) o).body()).isEqualTo("8\n");
        assertThat(witness.addCheckpoint(log.request(7)).status()).isEqualTo(409);
    }

    @Test
    void addCheckpoint_sizeZeroWithAnotherRoot_is422() {
        SignedNote note = SignedNote.sign(new Checkpoint(log.origin, 0, Hash.of(new byte[32])).text(), log.signer);
        assertThat(witness.addCheckpoint(new AddCheckpoint(0, List.of(), note)).status()).isEqualTo(422);
    }

    @Test
    void addCheckpoint_proofFromZero_is422() {
        log.grow(4, "a");
        AddCheckpoint req = new AddCheckpoint(0, log.tree.consistency(2, 4), log.checkpoint());
        assertThat(witness.addCheckpoint(req).status()).isEqualTo(422);
    }

    @Test
    void addCheckpoint_badProof_is422AndStateUnchanged() {
        log.grow(5, "a");
        witness.addCheckpoint(log.request(0));
        log.grow(9, "a");
        List<Hash> proof = new ArrayList<>(log.proof(5, 9));
        byte[] b = proof.get(0).bytes();
        b[31] ^= 1;
        proof.set(0, Hash.of(b));
        assertThat(witness.addCheckpoint(new AddCheckpoint(5, proof, log.checkpoint())).status()).isEqualTo(422);
        assertThat(witness.addCheckpoint(new AddCheckpoint(5, List.of(), log.checkpoint())).status()).isEqualTo(422);
        assertThat(witness.addCheckpoint(log.request(9)).status()).as("still at 5").isEqualTo(409);
        assertThat(witness.addCheckpoint(log.request(5)).status()).isEqualTo(200);
    }

    // ---- split views ----

    @Test
    void addCheckpoint_forkAtTheSameSize_is422() {
        log.grow(6, "a");
        witness.addCheckpoint(log.request(0));
        TestLog fork = forkOf(log, 6, "b");
        assertThat(witness.addCheckpoint(new AddCheckpoint(6, List.of(), fork.checkpoint())).status()).isEqualTo(422);
    }

    @Test
    void addCheckpoint_forkThatGrewPastTheCosignedSize_is422WhateverProofItSends() {
        // The operator shows one history to the witness, then tries to get a second, forked one cosigned.
        log.grow(6, "a");
        assertThat(witness.addCheckpoint(log.request(0)).status()).isEqualTo(200);
        TestLog forkSigned = forkOf(log, 4, "b").grow(10, "b");
        AddCheckpoint split = new AddCheckpoint(6, forkSigned.proof(6, 10), forkSigned.checkpoint());
        assertThat(witness.addCheckpoint(split).status()).isEqualTo(422);
        log.grow(10, "a");
        assertThat(witness.addCheckpoint(log.request(6)).status()).as("the honest history still goes on").isEqualTo(200);
    }

    /** A log under the same key that shares the first {@code common} entries, then has different ones. */
    private static TestLog forkOf(TestLog log, long common, String prefix) {
        TestLog f = new TestLog(log.origin, log.signer);
        for (long i = 0; i < common; i++) {
            f.tree.appendLeafHash(log.tree.node(0, i));
        }
        return f.grow(common + 1, prefix);
    }

    // ---- state ----

    @Test
    void addCheckpoint_restartOnTheSameDirectory_keepsTheState(@TempDir Path dir) {
        log.grow(7, "a");
        try (WitnessStore s = WitnessStore.directory(dir)) {
            Witness w = new Witness(cosigner, List.of(Witness.Log.of(log.key())), s);
            assertThat(w.addCheckpoint(log.request(0)).status()).isEqualTo(200);
        }
        log.grow(9, "a");
        try (WitnessStore s = WitnessStore.directory(dir)) {
            Witness w = new Witness(cosigner, List.of(Witness.Log.of(log.key())), s);
            assertThat(w.addCheckpoint(log.request(0))).isEqualTo(new Outcome.Conflict(7));
            assertThat(w.addCheckpoint(log.request(7)).status()).isEqualTo(200);
        }
    }

    @Test
    void addCheckpoint_concurrentRequestsForOneLog_neverGoBackwards() throws Exception {
        log.grow(64, "a");
        witness.addCheckpoint(new AddCheckpoint(0, List.of(), log.checkpoint(1)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Outcome>> tasks = new ArrayList<>();
            for (long size = 2; size <= 64; size++) {
                long s = size;
                tasks.add(() -> witness.addCheckpoint(new AddCheckpoint(1, log.proof(1, s), log.checkpoint(s))));
            }
            List<Future<Outcome>> results = pool.invokeAll(tasks);
            int cosigned = 0;
            for (Future<Outcome> f : results) {
                if (f.get() instanceof Outcome.Cosigned) {
                    cosigned++;
                }
            }
            assertThat(cosigned).as("only one request can start from size 1").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        long recorded = Checkpoint.parse(witness.latest(Witness.originHash(log.origin)).orElseThrow().text()).size();
        assertThat(recorded).isGreaterThan(1);
        // And a later, smaller request from the recorded size is refused, never rolled back to.
        assertThat(witness.addCheckpoint(new AddCheckpoint(recorded, List.of(), log.checkpoint(recorded - 1))).status())
                .isEqualTo(400);
    }
}
