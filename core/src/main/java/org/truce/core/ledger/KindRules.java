package org.truce.core.ledger;

import java.util.List;
import org.truce.core.entry.EntryException;
import org.truce.core.state.Change;
import org.truce.core.state.StateView;

/**
 * The rules and projection of one capability's kinds: checks an entry against the current state and
 * returns the changes applying it makes. Implementations MUST be pure functions of (state, entry):
 * no clock, no I/O, no randomness, so that replaying the log rebuilds the same state.
 */
public interface KindRules {
    /** The kinds these rules handle. */
    List<String> kinds();

    /**
     * Checks the entry and computes its changes.
     *
     * @throws EntryException if the entry breaks a rule; the state is then left as it was
     */
    List<Change> apply(StateView state, Sequenced entry) throws EntryException;
}
