package org.truce.server.sequencer;

/** The sequencer's queue is full; the caller should retry after a short wait. */
public final class OverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message, null, false, false);
    }
}
