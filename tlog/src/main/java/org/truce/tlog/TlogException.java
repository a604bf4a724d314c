package org.truce.tlog;

/**
 * An infrastructure failure of the log: storage that cannot be read or written, or a state the log
 * must never reach, such as being asked to sign a checkpoint inconsistent with one it already signed.
 */
public class TlogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlogException(String message) {
        super(message);
    }

    public TlogException(String message, Throwable cause) {
        super(message, cause);
    }
}
