package org.truce.server.backup;

/** A backup that cannot be restored, with what in it is wrong. */
public final class BackupException extends Exception {
    private static final long serialVersionUID = 1L;

    public BackupException(String message) {
        super(message);
    }
}
