package org.truce.tlog;

/**
 * Untrusted input does not follow the format it claims to have: a note, checkpoint, tile, bundle or
 * proof that cannot be parsed. The message names what is wrong and is safe to show to a user.
 */
public class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
