package org.truce.core.geo;

/** A footprint that is not well formed, with what is wrong and where. */
public final class FootprintException extends Exception {
    private static final long serialVersionUID = 1L;

    public FootprintException(String message) {
        super(message, null, false, false);
    }
}
