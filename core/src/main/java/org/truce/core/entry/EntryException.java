package org.truce.core.entry;

/** An entry refused before sequencing; the reason is a {@link Rejection} and the message says what exactly. */
public final class EntryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Rejection reason;

    public EntryException(Rejection reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Rejection reason() {
        return reason;
    }
}
