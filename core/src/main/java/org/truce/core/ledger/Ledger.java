package org.truce.core.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.core.actor.ActorRules;
import org.truce.core.agreement.AgreementRules;
import org.truce.core.hotline.HotlineRules;
import org.truce.core.kind.Kinds;
import org.truce.core.party.Keys;
import org.truce.core.party.PartyRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;

/**
 * The gate and the projection of the log: which entries are admitted, and how each changes the
 * state. {@link #admit} checks what does not depend on order (kind, schema, signature) and may run
 * on many threads; {@link #apply} runs in the sequencer's single-writer order and checks what does
 * (key still valid, seq above the last, the capability's rules). Thread-safe.
 */
public final class Ledger {
    private static final int MAX_CACHED_KEYS = 10_000;

    private final Kinds kinds;
    private final Map<String, KindRules> rules = new HashMap<>();
    private final Map<String, Verifier> verifiers = new ConcurrentHashMap<>();

    public Ledger(Kinds kinds, List<KindRules> all) {
        this.kinds = kinds;
        for (KindRules r : all) {
            for (String k : r.kinds()) {
                if (rules.put(k, r) != null) {
                    throw new IllegalArgumentException("two rule sets for kind " + k);
                }
            }
        }
        for (String k : kinds.names()) {
            if (!rules.containsKey(k)) {
                throw new IllegalArgumentException("no rules for kind " + k);
            }
        }
    }

    /** The kinds and rules of this version of Truce. */
    public static Ledger standard() {
        return new Ledger(Kinds.standard(), List.of(new PartyRules(), new HotlineRules(), new ActorRules(),
                new AgreementRules(), new org.truce.core.incident.IncidentRules(), new org.truce.core.notification.NotificationRules(), new org.truce.core.volume.VolumeRules(), new org.truce.core.area.AreaRules()));
    }

    public Kinds kinds() {
        return kinds;
    }

    /**
     * Checks a submission against its kind's schema and verifies its signature with the key the state
     * registers for it (or, for the genesis entry, the key it declares).
     */
    public void admit(StateView state, Submission s) throws EntryException {
        EntryHeader h = s.header();
        kinds.validate(h.kind(), s.body());
        String vkey;
        if (h.kind().equals(PartyRules.GENESIS)) {
            vkey = PartyRules.genesisKey(state, h, s.body());
        } else {
            Doc key = state.get(Keys.COLLECTION, h.key())
                    .orElseThrow(() -> new EntryException(Rejection.UNKNOWN_KEY, "key " + h.key()
                            + " is not registered"));
            vkey = key.body().get("vkey").textValue();
        }
        if (!verifier(vkey).verify(h.signingBytes(), h.signature())) {
            throw new EntryException(Rejection.BAD_SIGNATURE, "the signature does not verify with key " + h.key());
        }
    }

    /**
     * Applies an admitted entry at its place in the log: the key must still be valid and the seq above
     * the last one of the key, then the kind's rules decide.
     */
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        EntryHeader h = e.header();
        KindRules r = rules.get(h.kind());
        if (r == null) {
            throw new EntryException(Rejection.UNKNOWN_KIND, "'" + h.kind() + "' is not a kind this log records");
        }
        List<Change> changes = new ArrayList<>();
        if (!h.kind().equals(PartyRules.GENESIS)) {
            Doc key = state.get(Keys.COLLECTION, h.key()).orElseThrow(() -> new EntryException(
                    Rejection.UNKNOWN_KEY, "key " + h.key() + " is not registered"));
            ObjectNode kb = key.body();
            if (!kb.path("party").asText().equals(h.author())) {
                throw new EntryException(Rejection.UNKNOWN_KEY, "key " + h.key() + " is not " + h.author() + "'s");
            }
            if (!Keys.ACTIVE.equals(kb.path("status").asText())) {
                throw new EntryException(Rejection.REVOKED_KEY, "key " + h.key() + " was revoked at entry "
                        + kb.path("revoked").asLong());
            }
            long last = kb.path("lastSeq").asLong(0);
            if (h.seq() <= last) {
                throw new EntryException(Rejection.REPLAYED_SEQ, "seq " + h.seq() + " is not above " + last
                        + ", the last seq sequenced for key " + h.key());
            }
            kb.put("lastSeq", h.seq());
            changes.add(new Change.Put(new Doc(key.collection(), key.id(), kb, key.keys(), key.visibility(),
                    key.owner(), key.index())));
        }
        // The kind's rules see the key with its new seq, so a later change to that key keeps the seq.
        org.truce.core.state.Overlay view = new org.truce.core.state.Overlay(state);
        view.apply(changes);
        changes.addAll(r.apply(view, e));
        return changes;
    }

    /** Looks a party up. */
    public static Optional<Doc> party(StateView state, String id) {
        return PartyId.isValid(id) ? state.get(PartyRules.COLLECTION, id) : Optional.empty();
    }

    private Verifier verifier(String vkey) throws EntryException {
        Verifier v = verifiers.get(vkey);
        if (v != null) {
            return v;
        }
        try {
            v = NoteKeys.parseVerifier(vkey);
        } catch (FormatException e) {
            throw new EntryException(Rejection.UNKNOWN_KEY, "the registered key is unusable: " + e.getMessage());
        }
        if (verifiers.size() < MAX_CACHED_KEYS) {
            verifiers.put(vkey, v);
        }
        return v;
    }
}
