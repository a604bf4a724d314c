package org.truce.tlog.checkpoint;

import org.truce.tlog.FormatException;

/** A checkpoint text that does not follow C2SP tlog-checkpoint. */
public final class MalformedCheckpointException extends FormatException {
    private static final long serialVersionUID = 1L;

    public MalformedCheckpointException(String message) {
        super(message);
    }
}
