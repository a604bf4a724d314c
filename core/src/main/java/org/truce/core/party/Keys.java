package org.truce.core.party;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.state.Doc;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;

/**
 * Party keys in the state: one document per key reference {@code <party>+<hex key ID>} in the
 * {@code key} collection, public, with its vkey, status, the entry that added it, the entry that
 * revoked it, and the last seq sequenced under it.
 */
public final class Keys {
    public static final String COLLECTION = "key";
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    private Keys() {}

    /** A parsed party key: its reference and verifier. */
    public record PartyKey(String ref, String party, Verifier verifier) {}

    /** Parses a vkey that must belong to {@code party} (its key name is the party id). */
    public static PartyKey parse(String vkey, String party) throws EntryException {
        Verifier v;
        try {
            v = NoteKeys.parseVerifier(vkey);
        } catch (FormatException e) {
            throw new EntryException(Rejection.SCHEMA_VIOLATION, "bad key " + vkey + ": " + e.getMessage());
        }
        if (!v.name().equals(party) || !PartyId.isValid(v.name())) {
            throw new EntryException(Rejection.RULE_VIOLATION, "key " + vkey + " is named '" + v.name()
                    + "', not the party '" + party + "'");
        }
        if (!v.vkey().equals(vkey)) {
            throw new EntryException(Rejection.SCHEMA_VIOLATION, "key " + vkey + " is not in canonical form " + v.vkey());
        }
        return new PartyKey(EntrySigner.keyRef(party, v.keyId()), party, v);
    }

    /** The document of a newly added key. */
    public static Doc added(PartyKey k, long index) {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        b.put("ref", k.ref());
        b.put("party", k.party());
        b.put("vkey", k.verifier().vkey());
        b.put("status", ACTIVE);
        b.put("added", index);
        b.put("lastSeq", 0);
        return new Doc(COLLECTION, k.ref(), b, List.of("party:" + k.party()), Visibility.PUBLIC, k.party(), index);
    }
}
