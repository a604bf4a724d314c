package org.truce.server.sequencer;

/**
 * The server cannot take this now (the sequencer's queue is full, too many logins are in progress);
 * the caller should retry after a short wait. The API answers it 503 with Retry-After.
 */
public final class OverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message, null, false, false);
    }
}
