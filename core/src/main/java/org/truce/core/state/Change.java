package org.truce.core.state;

/** A change to the derived state that applying an entry makes. */
public sealed interface Change {
    /** Creates or replaces a document. */
    record Put(Doc doc) implements Change {}

    /** Removes a document if present. */
    record Delete(String collection, String id) implements Change {}
}
