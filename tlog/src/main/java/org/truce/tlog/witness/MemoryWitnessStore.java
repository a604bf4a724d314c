package org.truce.tlog.witness;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.note.SignedNote;

/** A {@link WitnessStore} in memory. Thread-safe. */
final class MemoryWitnessStore implements WitnessStore {
    private final ConcurrentMap<String, SignedNote> latest = new ConcurrentHashMap<>();

    @Override
    public Optional<SignedNote> latest(String origin) {
        return Optional.ofNullable(latest.get(origin));
    }

    @Override
    public boolean replace(String origin, long expectedSize, SignedNote next) {
        boolean[] done = {false};
        latest.compute(origin, (o, current) -> {
            long size = current == null ? 0 : Checkpoints.size(current);
            if (size != expectedSize) {
                return current;
            }
            done[0] = true;
            return next;
        });
        return done[0];
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "memory witness store";
    }

    /** Sizes of checkpoints already verified once, so re-parsing them cannot fail. */
    static final class Checkpoints {
        private Checkpoints() {}

        static long size(SignedNote note) {
            try {
                return Checkpoint.parse(note.text()).size();
            } catch (org.truce.tlog.checkpoint.MalformedCheckpointException e) {
                throw new org.truce.tlog.TlogException("a stored checkpoint does not parse: " + e.getMessage(), e);
            }
        }
    }
}
