package org.truce.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who may read an entry's body: everyone, every registered party, or the named parties (the author
 * always may). Serialised as {@code "public"}, {@code "parties"} or a sorted array of
 * party ids.
 */
public sealed interface Visibility {
    int MAX_NAMED = 32;

    record Public() implements Visibility {}

    record Parties() implements Visibility {}

    record Named(SortedSet<String> parties) implements Visibility {
        public Named {
            if (parties.isEmpty() || parties.size() > MAX_NAMED) {
                throw new IllegalArgumentException("a named visibility lists 1 to " + MAX_NAMED + " parties");
            }
            for (String p : parties) {
                if (!PartyId.isValid(p)) {
                    throw new IllegalArgumentException("'" + p + "' is not a party id");
                }
            }
            parties = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(parties));
        }
    }

    Visibility PUBLIC = new Public();
    Visibility PARTIES = new Parties();

    static Visibility named(String... parties) {
        return new Named(new TreeSet<>(List.of(parties)));
    }

    /** Whether bodies of this visibility are stored with a random salt (every restricted one). */
    default boolean restricted() {
        return !(this instanceof Public);
    }

    default JsonNode toJson() {
        if (this instanceof Public) {
            return TextNode.valueOf("public");
        }
        if (this instanceof Parties) {
            return TextNode.valueOf("parties");
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        ((Named) this).parties().forEach(a::add);
        return a;
    }

    /** Parses the JSON form strictly: a named list must be sorted, without duplicates. */
    static Visibility fromJson(JsonNode n) throws EntryException {
        if (n.isTextual()) {
            switch (n.textValue()) {
                case "public":
                    return PUBLIC;
                case "parties":
                    return PARTIES;
                default:
                    break;
            }
        } else if (n.isArray() && n.size() >= 1 && n.size() <= MAX_NAMED) {
            List<String> ids = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual() || !PartyId.isValid(e.textValue())) {
                    throw new EntryException(Rejection.MALFORMED, "visibility lists something that is not a party id");
                }
                ids.add(e.textValue());
            }
            TreeSet<String> set = new TreeSet<>(ids);
            if (!new ArrayList<>(set).equals(ids)) {
                throw new EntryException(Rejection.MALFORMED, "visibility's parties must be sorted and distinct");
            }
            return new Named(set);
        }
        throw new EntryException(Rejection.MALFORMED,
                "visibility is \"public\", \"parties\" or a sorted array of 1 to " + MAX_NAMED + " party ids");
    }
}
