package org.truce.core.party;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Genesis, parties and their keys. The operator writes the genesis entry, which declares its own
 * entry key, and registers parties with their roles and first keys; a party (or the operator) adds
 * and revokes the party's keys. A revoked key signs nothing from its revocation onward.
 */
public final class PartyRules implements KindRules {
    public static final String GENESIS = "genesis";
    public static final String PARTY = "party";
    public static final String PARTY_KEY = "party.key";
    public static final String COLLECTION = "party";
    public static final String LOG = "log";

    @Override
    public List<String> kinds() {
        return List.of(GENESIS, PARTY, PARTY_KEY);
    }

    /**
     * The vkey that must have signed a genesis entry: the entry key it declares. Only the operator
     * writes it, and only into an empty log.
     */
    public static String genesisKey(StateView state, EntryHeader h, JsonNode body) throws EntryException {
        if (!h.author().equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "only the operator writes the genesis entry");
        }
        if (state.get(LOG, GENESIS).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "the log already has its genesis entry");
        }
        String vkey = body.path("entryKey").asText();
        Keys.PartyKey k = Keys.parse(vkey, PartyId.OPERATOR);
        if (!k.ref().equals(h.key())) {
            throw new EntryException(Rejection.UNKNOWN_KEY, "the genesis entry is signed with " + h.key()
                    + ", not the entry key it declares, " + k.ref());
        }
        return vkey;
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        return switch (e.header().kind()) {
            case GENESIS -> genesis(state, e);
            case PARTY -> party(state, e);
            case PARTY_KEY -> partyKey(state, e);
            default -> throw new IllegalArgumentException(e.header().kind());
        };
    }

    private List<Change> genesis(StateView state, Sequenced e) throws EntryException {
        JsonNode b = e.body();
        genesisKey(state, e.header(), b);
        if (e.index() != 0) {
            throw new EntryException(Rejection.RULE_VIOLATION, "the genesis entry must be the log's first");
        }
        Keys.PartyKey k = Keys.parse(b.get("entryKey").textValue(), PartyId.OPERATOR);
        List<Change> out = new ArrayList<>();
        ObjectNode log = JsonNodeFactory.instance.objectNode();
        log.put("origin", b.get("origin").textValue());
        log.put("name", b.get("name").textValue());
        log.put("checkpointKey", b.get("checkpointKey").textValue());
        log.put("entryKey", k.verifier().vkey());
        out.add(put(new Doc(LOG, GENESIS, log, List.of(), Visibility.PUBLIC, PartyId.OPERATOR, e.index())));
        ObjectNode party = JsonNodeFactory.instance.objectNode();
        party.put("id", PartyId.OPERATOR);
        party.put("name", b.get("name").textValue());
        party.putArray("roles").add("operator");
        party.put("registered", e.index());
        out.add(put(partyDoc(party, e.index())));
        ObjectNode key = Keys.added(k, e.index()).body();
        key.put("lastSeq", e.header().seq());
        out.add(put(new Doc(Keys.COLLECTION, k.ref(), key, List.of("party:" + PartyId.OPERATOR),
                Visibility.PUBLIC, PartyId.OPERATOR, e.index())));
        return out;
    }

    private List<Change> party(StateView state, Sequenced e) throws EntryException {
        if (!e.header().author().equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "only the operator registers parties");
        }
        JsonNode b = e.body();
        String id = b.get("id").textValue();
        if (id.equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.RULE_VIOLATION, "the operator is registered by the genesis entry");
        }
        List<Change> out = new ArrayList<>();
        ObjectNode party = JsonNodeFactory.instance.objectNode();
        party.put("id", id);
        party.put("name", b.get("name").textValue());
        ArrayNode roles = party.putArray("roles");
        b.get("roles").forEach(r -> roles.add(r.textValue()));
        party.put("registered", state.get(COLLECTION, id).map(d -> d.body().path("registered").asLong())
                .orElse(e.index()));
        party.put("updated", e.index());
        out.add(put(partyDoc(party, e.index())));
        for (JsonNode v : b.get("keys")) {
            Keys.PartyKey k = Keys.parse(v.textValue(), id);
            var existing = state.get(Keys.COLLECTION, k.ref());
            if (existing.isPresent()) {
                if (!existing.get().body().path("vkey").asText().equals(k.verifier().vkey())) {
                    throw new EntryException(Rejection.RULE_VIOLATION, "key " + k.ref()
                            + " is registered with another public key");
                }
                continue;
            }
            out.add(put(Keys.added(k, e.index())));
        }
        return out;
    }

    private List<Change> partyKey(StateView state, Sequenced e) throws EntryException {
        JsonNode b = e.body();
        String party = b.get("party").textValue();
        String author = e.header().author();
        if (!author.equals(party) && !author.equals(PartyId.OPERATOR)) {
            throw new EntryException(Rejection.NOT_ALLOWED, author + " may not change the keys of " + party);
        }
        if (state.get(COLLECTION, party).isEmpty()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "party " + party + " is not registered");
        }
        Keys.PartyKey k = Keys.parse(b.get("vkey").textValue(), party);
        var existing = state.get(Keys.COLLECTION, k.ref());
        if (b.get("action").textValue().equals("add")) {
            if (existing.isPresent()) {
                throw new EntryException(Rejection.RULE_VIOLATION, "key " + k.ref() + " is already "
                        + existing.get().body().path("status").asText());
            }
            return List.of(put(Keys.added(k, e.index())));
        }
        Doc d = existing.orElseThrow(() -> new EntryException(Rejection.RULE_VIOLATION,
                "key " + k.ref() + " is not registered"));
        ObjectNode kb = d.body();
        if (!kb.path("vkey").asText().equals(k.verifier().vkey())) {
            throw new EntryException(Rejection.RULE_VIOLATION, "key " + k.ref() + " is registered with another public key");
        }
        if (!Keys.ACTIVE.equals(kb.path("status").asText())) {
            throw new EntryException(Rejection.RULE_VIOLATION, "key " + k.ref() + " is already revoked");
        }
        kb.put("status", Keys.REVOKED);
        kb.put("revoked", e.index());
        if (b.has("reason")) {
            kb.put("reason", b.get("reason").textValue());
        }
        return List.of(put(new Doc(d.collection(), d.id(), kb, d.keys(), d.visibility(), d.owner(), e.index())));
    }

    private static Doc partyDoc(ObjectNode party, long index) {
        List<String> keys = new ArrayList<>();
        party.get("roles").forEach(r -> keys.add("role:" + r.textValue()));
        return new Doc(COLLECTION, party.get("id").textValue(), party, keys, Visibility.PUBLIC, PartyId.OPERATOR, index);
    }

    private static Change put(Doc d) {
        return new Change.Put(d);
    }
}
