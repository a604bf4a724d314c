package org.truce.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.Ledger;
import org.truce.core.ledger.Sequenced;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.Overlay;
import org.truce.core.state.StateView;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;

/**
 * A log in memory for tests: an operator key, party keys, a running index and a fixed clock. Every
 * entry goes the whole way a real one does: signed, written to the wire form and parsed back,
 * admitted, applied at the next index, and its changes fed into an {@link Overlay} over an empty
 * base. A refused entry changes nothing. Not thread-safe.
 */
public final class TestLog {
    /** The time every entry is written at (its {@code at}). */
    public static final Instant AT = Instant.parse("2016-09-20T08:00:00Z");
    /** The time the log receives every entry. */
    public static final Instant RECEIVED = Instant.parse("2016-09-20T08:00:01Z");

    /** A state with no documents at all. */
    public static final StateView EMPTY = new StateView() {
        @Override
        public Optional<Doc> get(String collection, String id) {
            return Optional.empty();
        }

        @Override
        public List<Doc> find(String collection, String key, @Nullable String afterId, int limit) {
            return List.of();
        }

        @Override
        public List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit) {
            return List.of();
        }

        @Override
        public List<Doc> inLogOrder(String collection, long afterIndex, String afterId, int limit) {
            return List.of();
        }
    };

    /** One entry as logged. */
    public record Logged(long index, Hash leaf, Sequenced entry, List<Change> changes) {
        /** The entry's id in the state: its leaf hash in base64. */
        public String id() {
            return leaf.base64();
        }
    }

    private final SecureRandom rng = new SecureRandom();
    private final Ledger ledger = Ledger.standard();
    private final Overlay state = new Overlay(EMPTY);
    private final List<Logged> logged = new ArrayList<>();
    private final Map<String, Long> lastSeq = new HashMap<>();

    public final EntrySigner operator = key(PartyId.OPERATOR);
    public final EntrySigner us = key("us");
    public final EntrySigner ru = key("ru");
    public final EntrySigner sy = key("sy");

    /** An empty log: no genesis, nobody registered. */
    public TestLog() {}

    /** A log with its genesis and the parties us, ru and sy registered with one key each. */
    public static TestLog started() throws EntryException {
        TestLog log = new TestLog();
        log.genesis();
        log.register(log.us);
        log.register(log.ru);
        log.register(log.sy);
        return log;
    }

    // ---- keys and bodies ----

    /** A fresh Ed25519 key for {@code party}. */
    public EntrySigner key(String party) {
        try {
            String privateKey = NoteKeys.generate(party, NoteKeys.TYPE_ED25519, rng).privateKey();
            return new EntrySigner(NoteKeys.parseSigner(privateKey), rng);
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }

    public static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The genesis body declaring the operator's entry key {@code entryKey}. */
    public ObjectNode genesisBody(String entryKey) {
        return obj().put("origin", "truce.example/log").put("name", "Joint centre")
                .put("checkpointKey", NoteKeys.generate("truce.example/log", NoteKeys.TYPE_ED25519, rng).vkey())
                .put("entryKey", entryKey);
    }

    /** A party registration body. */
    public static ObjectNode partyBody(String id, String role, String... vkeys) {
        ObjectNode b = obj().put("id", id).put("name", id.toUpperCase(java.util.Locale.ROOT));
        b.putArray("roles").add(role);
        ArrayNode keys = b.putArray("keys");
        for (String k : vkeys) {
            keys.add(k);
        }
        return b;
    }

    /** A hotline message body. */
    public static ObjectNode message(String subject, String... to) {
        ObjectNode b = obj().put("subject", subject).put("text", "text of " + subject);
        ArrayNode t = b.putArray("to");
        for (String p : to) {
            t.add(p);
        }
        return b;
    }

    /** A {@code party.key} body. */
    public static ObjectNode partyKey(String party, String action, String vkey) {
        return obj().put("party", party).put("action", action).put("vkey", vkey);
    }

    // ---- writing ----

    public Logged genesis() throws EntryException {
        return submit(operator, "genesis", genesisBody(operator.vkey()), Visibility.PUBLIC);
    }

    /** The operator registers {@code party} with its key and the role "party". */
    public Logged register(EntrySigner party) throws EntryException {
        return submit(operator, "party", partyBody(party.party(), "party", party.vkey()), Visibility.PUBLIC);
    }

    /** The seq after the last one this log accepted from {@code signer}'s key. */
    public long next(EntrySigner signer) {
        return lastSeq.getOrDefault(signer.keyRef(), 0L) + 1;
    }

    /** Signs with the next seq of the key and submits. */
    public Logged submit(EntrySigner signer, String kind, JsonNode body, Visibility visibility) throws EntryException {
        return submit(signer, kind, body, visibility, next(signer));
    }

    /** Signs at {@link #AT} and submits through the wire form. */
    public Logged submit(EntrySigner signer, String kind, JsonNode body, Visibility visibility, long seq)
            throws EntryException {
        return submit(sign(signer, kind, body, visibility, seq));
    }

    /** Signs with the next seq of the key, as written at {@code at}, and submits. */
    public Logged submitAt(EntrySigner signer, String kind, JsonNode body, Visibility visibility, Instant at)
            throws EntryException {
        return submit(signer.sign(kind, body, visibility, List.of(), next(signer), at));
    }

    /** Signs at {@link #AT} without refs. */
    public Submission sign(EntrySigner signer, String kind, JsonNode body, Visibility visibility, long seq) {
        return signer.sign(kind, body, visibility, List.of(), seq, AT);
    }

    public Logged submit(Submission s) throws EntryException {
        return submitWire(s.toJson());
    }

    /** Submits a wire form that may have been tampered with. */
    public Logged submitWire(JsonNode wire) throws EntryException {
        return submitWire(wire.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Parses, admits and applies untrusted wire bytes at the next index. */
    public Logged submitWire(byte[] wire) throws EntryException {
        Submission s = Submission.parse(wire);
        ledger.admit(state, s);
        long index = logged.size();
        Hash leaf = Rfc9162.leafHash(Leaf.encode(s.header(), RECEIVED));
        Sequenced e = new Sequenced(index, leaf, s.header(), s.body(), RECEIVED);
        List<Change> changes = ledger.apply(state, e);
        state.apply(changes);
        Logged l = new Logged(index, leaf, e, List.copyOf(changes));
        logged.add(l);
        lastSeq.merge(s.header().key(), s.header().seq(), Math::max);
        return l;
    }

    // ---- reading ----

    public Overlay state() {
        return state;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Every entry accepted so far, in log order. */
    public List<Logged> logged() {
        return List.copyOf(logged);
    }

    public Doc doc(String collection, String id) {
        return state.get(collection, id).orElseThrow(() -> new AssertionError("no document " + collection + "/" + id));
    }

    /** Replays every accepted entry, in order, into a fresh overlay with a fresh ledger. */
    public List<List<Change>> replay() throws EntryException {
        List<List<Change>> out = new ArrayList<>();
        replayInto(out);
        return out;
    }

    /** The state a replay of every accepted entry into an empty state with a fresh ledger reaches. */
    public Overlay replayState() throws EntryException {
        return replayInto(new ArrayList<>());
    }

    private Overlay replayInto(List<List<Change>> changes) throws EntryException {
        Ledger fresh = Ledger.standard();
        Overlay rebuilt = new Overlay(EMPTY);
        for (Logged l : logged) {
            List<Change> c = fresh.apply(rebuilt, l.entry());
            rebuilt.apply(c);
            changes.add(c);
        }
        return rebuilt;
    }

    // ---- refusals ----

    /** Runs {@code c}, which MUST be refused with an {@link EntryException}, and returns the exception. */
    public static EntryException refusal(ThrowingCallable c) {
        Throwable t = Assertions.catchThrowable(c);
        assertThat(t).as("the entry should have been refused").isInstanceOf(EntryException.class);
        return (EntryException) t;
    }
}
