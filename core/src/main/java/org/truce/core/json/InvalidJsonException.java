package org.truce.core.json;

/** Untrusted bytes that are not acceptable JSON; the message says why. */
public final class InvalidJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidJsonException(String message) {
        super(message);
    }
}
