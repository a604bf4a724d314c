package org.truce.tlog;

/**
 * Well-formed input fails a cryptographic or structural check: a proof that does not lead to the
 * root, a signature that does not verify, a tile whose hashes disagree with the entries. The message
 * names the first thing that failed.
 */
public class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
