package org.truce.core.access;

import java.util.Optional;
import org.truce.core.entry.Visibility;
import org.truce.core.state.Doc;

/**
 * Who is reading: the public, or a signed-in party. The one visibility rule of Truce: public records
 * are for everyone; "parties" records for every registered party; named records for the parties
 * named and the author. Immutable.
 */
public sealed interface Reader {
    Reader PUBLIC = new Public();

    record Public() implements Reader {}

    /** A party that proved it holds one of its keys. */
    record Party(String id) implements Reader {}

    static Reader party(String id) {
        return new Party(id);
    }

    default Optional<String> partyId() {
        return this instanceof Party p ? Optional.of(p.id()) : Optional.empty();
    }

    /** Whether this reader may read something of {@code visibility} written by {@code author}. */
    default boolean mayRead(Visibility visibility, String author) {
        if (visibility instanceof Visibility.Public) {
            return true;
        }
        if (!(this instanceof Party p)) {
            return false;
        }
        if (visibility instanceof Visibility.Parties || p.id().equals(author)) {
            return true;
        }
        return ((Visibility.Named) visibility).parties().contains(p.id());
    }

    default boolean mayRead(Doc doc) {
        return mayRead(doc.visibility(), doc.owner());
    }
}
