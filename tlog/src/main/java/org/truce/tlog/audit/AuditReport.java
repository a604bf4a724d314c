package org.truce.tlog.audit;

import org.jspecify.annotations.Nullable;
import org.truce.tlog.checkpoint.Checkpoint;

/** The outcome of an audit: the log verified, or the first place where it did not. */
public sealed interface AuditReport {
    /**
     * Every entry, tile and the checkpoint agree.
     *
     * @param checkpoint the verified checkpoint
     * @param staleTilesChecked partial tiles of earlier sizes that were also checked
     * @param trusted the previously trusted checkpoint the log was shown consistent with, if any
     */
    record Verified(Checkpoint.Signed checkpoint, int staleTilesChecked, @Nullable Checkpoint trusted)
            implements AuditReport {}

    /**
     * The audit stopped at the first mismatch.
     *
     * @param resource the path of the tile, bundle or checkpoint at fault
     * @param entry the index of the first entry concerned, or -1 when none is
     * @param problem what is wrong, for a user
     */
    record Failed(String resource, long entry, String problem) implements AuditReport {
        @Override
        public String toString() {
            return resource + (entry >= 0 ? " (entry " + entry + ")" : "") + ": " + problem;
        }
    }
}
