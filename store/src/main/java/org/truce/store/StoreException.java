package org.truce.store;

import java.sql.SQLException;
import java.util.Optional;

/** A failure of the database under the store; the message names the operation, the cause is kept. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure of the storage itself rather than of what was asked of it: it passes once the operator
     * gives space back, makes the storage writable or brings the database back, and what was refused
     * may then be sent again.
     */
    public enum Fault {
        /** The disk or the database's space is full (SQLITE_FULL, PostgreSQL 53100). */
        FULL,
        /** The files or the database are read-only (SQLITE_READONLY, PostgreSQL 25006). */
        READ_ONLY,
        /**
         * The storage cannot be reached or failed an operation (SQLITE_IOERR and SQLITE_CANTOPEN, a
         * broken connection, a database shutting down or out of resources).
         */
        UNAVAILABLE
    }

    private final @org.jspecify.annotations.Nullable Fault reported;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.reported = null;
    }

    public StoreException(String message) {
        super(message);
        this.reported = null;
    }

    /** A storage fault reported by another instance, which saw the database's own error. */
    public StoreException(String message, Fault fault) {
        super(message);
        this.reported = fault;
    }

    /** The storage fault this failure comes from, if it is one; empty for anything else. */
    public Optional<Fault> fault() {
        if (reported != null) {
            return Optional.of(reported);
        }
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                Optional<Fault> f = fault(s);
                if (f.isPresent()) {
                    return f;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Fault> fault(SQLException s) {
        if (s instanceof org.sqlite.SQLiteException) {
            // sqlite-jdbc gives the extended result code; its low byte is the primary one.
            return switch (s.getErrorCode() & 0xff) {
                case 13 -> Optional.of(Fault.FULL); // SQLITE_FULL
                case 8 -> Optional.of(Fault.READ_ONLY); // SQLITE_READONLY
                case 10, 14 -> Optional.of(Fault.UNAVAILABLE); // SQLITE_IOERR, SQLITE_CANTOPEN
                default -> Optional.empty();
            };
        }
        String state = s.getSQLState();
        if (state == null) {
            return Optional.empty();
        }
        if (state.equals("53100")) {
            return Optional.of(Fault.FULL);
        }
        if (state.equals("25006")) {
            return Optional.of(Fault.READ_ONLY);
        }
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.startsWith("58")) {
            return Optional.of(Fault.UNAVAILABLE);
        }
        return Optional.empty();
    }
}
