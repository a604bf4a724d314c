package org.truce.server.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.Ledger;
import org.truce.server.rebuild.Rebuild;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.merkle.Rfc9162;

/** The sequencer over a real store; each engine runs it through a subclass. */
abstract class SequencerTest {
    private static final String ORIGIN = "truce.example/test-log";
    private static final Instant T0 = Instant.parse("2016-09-12T16:00:00Z");

    @TempDir
    Path tmp;

    private final SecureRandom rng = new SecureRandom();
    private Store store;
    private Sequencer sequencer;
    private Signer checkpointKey;
    private EntrySigner operator;
    private EntrySigner us;
    private EntrySigner ru;
    private long operatorSeq;
    private long usSeq;
    private long ruSeq;

    /** Opens a new, empty store of the engine under test; {@code name} tells stores of one test apart. */
    protected abstract Store openStore(String name);

    @BeforeEach
    void start() throws Exception {
        store = openStore("data");
        checkpointKey = NoteKeys.parseSigner(NoteKeys.generate(ORIGIN, NoteKeys.TYPE_ED25519, rng).privateKey());
        operator = signer(PartyId.OPERATOR);
        us = signer("us");
        ru = signer("ru");
        sequencer = new Sequencer(store, Ledger.standard(), checkpointKey, Clock.fixed(T0, ZoneOffset.UTC),
                Sequencer.Options.DEFAULT);
        ObjectNode genesis = obj().put("origin", ORIGIN).put("name", "Test operator")
                .put("checkpointKey", checkpointKey.verifier().vkey()).put("entryKey", operator.vkey());
        submit(operator, "genesis", genesis, Visibility.PUBLIC, ++operatorSeq);
        register(us, "United States");
        register(ru, "Russian Federation");
    }

    @AfterEach
    void stop() {
        sequencer.close();
        store.close();
    }

    private EntrySigner signer(String party) throws Exception {
        return EntrySigner.fromPrivateKey(NoteKeys.generate(party, NoteKeys.TYPE_ED25519, rng).privateKey());
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private void register(EntrySigner party, String name) throws Exception {
        ObjectNode b = obj().put("id", party.party()).put("name", name);
        b.putArray("roles").add("party");
        b.putArray("keys").add(party.vkey());
        submit(operator, "party", b, Visibility.PUBLIC, ++operatorSeq);
    }

    private Receipt submit(EntrySigner s, String kind, ObjectNode body, Visibility v, long seq) throws Exception {
        return submitAsync(s.sign(kind, body, v, List.of(), seq, T0)).get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<Receipt> submitAsync(Submission s) throws EntryException {
        return sequencer.submit(s);
    }

    private ObjectNode message(String to, String subject) {
        ObjectNode b = obj().put("subject", subject).put("text", "text of " + subject);
        b.putArray("to").add(to);
        return b;
    }

    // ---- sequencing ----

    @Test
    void submit_validMessage_answersIndexLeafHashAndCoveringCheckpoint() throws Exception {
        Receipt r = submit(us, "message", message("ru", "hello"), Visibility.PUBLIC, ++usSeq);
        assertThat(r.index()).isEqualTo(3);
        assertThat(r.duplicate()).isFalse();
        Checkpoint.Signed cp = Checkpoint.open(r.checkpoint().getBytes(StandardCharsets.UTF_8), checkpointKey.verifier());
        assertThat(cp.checkpoint().size()).isEqualTo(4);
        TlogProof proof = store.read(tx -> {
            try {
                return TlogProof.create(tx, cp.note(), r.index());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(Rfc9162.leafHash(proof.extra())).isEqualTo(r.leafHash());
        proof.verifyExtra(checkpointKey.verifier(), org.truce.tlog.note.Verifiers.of(checkpointKey.verifier()));
    }

    @Test
    void submit_sameSignedEntryTwice_answersTheExistingIndex() throws Exception {
        Submission s = us.sign("message", message("ru", "once"), Visibility.PUBLIC, List.of(), ++usSeq, T0);
        Receipt first = sequencer.submit(s).get(10, TimeUnit.SECONDS);
        Receipt again = sequencer.submit(s).get(10, TimeUnit.SECONDS);
        assertThat(again.index()).isEqualTo(first.index());
        assertThat(again.duplicate()).isTrue();
        assertThat(logSize()).isEqualTo(first.index() + 1);
    }

    @Test
    void submit_concurrentSubmissions_eachSequencedOnceInOneLog() throws Exception {
        List<CompletableFuture<Receipt>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(sequencer.submit(us.sign("message", message("ru", "m" + i), Visibility.PUBLIC, List.of(), ++usSeq, T0)));
        }
        List<Long> indexes = new ArrayList<>();
        for (CompletableFuture<Receipt> f : all) {
            indexes.add(f.get(30, TimeUnit.SECONDS).index());
        }
        assertThat(indexes).doesNotHaveDuplicates().hasSize(500);
        assertThat(logSize()).isEqualTo(3 + 500);
        assertAudits();
    }

    // ---- refusals leave the log and the state unchanged ----

    @Test
    void submit_replayedSeq_refusedAndNothingWritten() throws Exception {
        submit(us, "message", message("ru", "first"), Visibility.PUBLIC, 5);
        usSeq = 5;
        long size = logSize();
        var digest = store.read(StateDigest::of);
        CompletableFuture<Receipt> f = sequencer.submit(
                us.sign("message", message("ru", "replay"), Visibility.PUBLIC, List.of(), 5, T0));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EntryException.class)
                .satisfies(e -> assertThat(((EntryException) e).reason()).isEqualTo(Rejection.REPLAYED_SEQ));
        assertThat(logSize()).isEqualTo(size);
        assertThat(store.read(StateDigest::of)).isEqualTo(digest);
    }

    @Test
    void submit_forgedSignature_refusedBeforeSequencing() throws Exception {
        EntrySigner impostor = signer("us");
        long size = logSize();
        assertThatThrownBy(() -> sequencer.submit(
                impostor.sign("message", message("ru", "forged"), Visibility.PUBLIC, List.of(), 1, T0)))
                .isInstanceOf(EntryException.class)
                .satisfies(e -> assertThat(((EntryException) e).reason()).isEqualTo(Rejection.UNKNOWN_KEY));
        assertThat(logSize()).isEqualTo(size);
    }

    @Test
    void submit_headerAlteredAfterSigning_refusedWithBadSignature() throws Exception {
        Submission s = us.sign("message", message("ru", "altered"), Visibility.PUBLIC, List.of(), ++usSeq, T0);
        ObjectNode wire = s.toJson();
        ((ObjectNode) wire.get("entry")).put("at", "2016-09-12T17:00:00Z");
        Submission altered = Submission.parse(wire.toString().getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> sequencer.submit(altered)).isInstanceOf(EntryException.class)
                .satisfies(e -> assertThat(((EntryException) e).reason()).isEqualTo(Rejection.BAD_SIGNATURE));
    }

    @Test
    void submit_messageToUnregisteredParty_refusedWithRuleViolation() throws Exception {
        CompletableFuture<Receipt> f = sequencer.submit(
                us.sign("message", message("sy", "nobody"), Visibility.PUBLIC, List.of(), ++usSeq, T0));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(EntryException.class)
                .satisfies(e -> assertThat(((EntryException) e).reason()).isEqualTo(Rejection.RULE_VIOLATION));
        assertAudits();
    }

    // ---- the log and the state ----

    /**
     * The sequencer remembers the last checkpoint it signed so as not to verify it again at every batch;
     * a stored checkpoint that is not byte for byte that one is verified, and one the log key did not
     * sign stops it signing anything.
     */
    @Test
    void submit_storedCheckpointReplacedByOneTheLogKeyDidNotSign_signsNothingAndWritesNothing() throws Exception {
        submit(us, "message", message("ru", "before"), Visibility.PUBLIC, ++usSeq);
        long size = store.read(tx -> tx.size());
        byte[] stored = store.read(tx -> tx.read("checkpoint")).orElseThrow();
        Signer impostor = NoteKeys.parseSigner(NoteKeys.generate(ORIGIN, NoteKeys.TYPE_ED25519, rng).privateKey());
        byte[] forged = SignedNote.sign(SignedNote.parse(stored).text(), impostor).encode();
        store.write(tx -> {
            tx.putCheckpoint(forged);
            return null;
        });

        CompletableFuture<Receipt> f = submitAsync(us.sign("message", message("ru", "after"), Visibility.PUBLIC, List.of(), ++usSeq, T0));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        long after = store.read(tx -> tx.size());
        assertThat(after).isEqualTo(size);
        assertThat(store.read(tx -> tx.read("checkpoint")).orElseThrow()).isEqualTo(forged);
    }

    @Test
    void rebuild_afterTraffic_reachesTheLiveStateDigest() throws Exception {
        Receipt m = submit(us, "message", message("ru", "ask"), Visibility.named("ru", "us"), ++usSeq);
        submit(ru, "message.ack", obj().put("message", m.leafHash().base64()), Visibility.named("ru", "us"), ++ruSeq);
        for (int i = 0; i < 20; i++) {
            submit(ru, "message", message("us", "r" + i), Visibility.PARTIES, ++ruSeq);
        }
        var live = store.read(StateDigest::of);
        try (Store target = openStore("rebuilt")) {
            new Rebuild(Ledger.standard()).run(store, target, (done, total) -> { });
            assertThat(target.read(StateDigest::of)).isEqualTo(live);
            byte[] rebuilt = target.read(tx -> tx.read("checkpoint")).orElseThrow();
            byte[] original = store.read(tx -> tx.read("checkpoint")).orElseThrow();
            assertThat(rebuilt).isEqualTo(original);
        }
    }

    @Test
    void restart_sequencerOnSameStore_continuesTheLog() throws Exception {
        submit(us, "message", message("ru", "before"), Visibility.PUBLIC, ++usSeq);
        sequencer.close();
        sequencer = new Sequencer(store, Ledger.standard(), checkpointKey, Clock.fixed(T0, ZoneOffset.UTC),
                Sequencer.Options.DEFAULT);
        Receipt r = submit(us, "message", message("ru", "after"), Visibility.PUBLIC, ++usSeq);
        assertThat(r.index()).isEqualTo(4);
        assertAudits();
    }

    private long logSize() {
        return store.read(tx -> tx.size());
    }

    private void assertAudits() {
        AuditReport report = store.read(tx -> new Auditor(tx, checkpointKey.verifier()).audit(null, Auditor.Progress.NONE));
        assertThat(report).isInstanceOf(AuditReport.Verified.class);
    }
}
