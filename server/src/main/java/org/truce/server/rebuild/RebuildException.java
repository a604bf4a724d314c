package org.truce.server.rebuild;

/** A log that does not replay; names the first entry at fault, or -1 when none is. */
public final class RebuildException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long index;

    public RebuildException(long index, String message) {
        super((index >= 0 ? "entry " + index + ": " : "") + message, null, false, false);
        this.index = index;
    }

    public long index() {
        return index;
    }
}
