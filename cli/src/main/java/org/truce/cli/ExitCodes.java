package org.truce.cli;

/** The exit codes of the {@code truce} command, as listed in its help. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int VERIFICATION_FAILED = 1;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int STORAGE = 4;

    private ExitCodes() {}
}
