package org.truce.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.truce.tlog.merkle.Hash;

/**
 * What instances of Truce that share one PostgreSQL database use between them: the sequencer role,
 * held by one instance at a time through a session-scoped advisory lock, the queue of admitted
 * submissions that any instance adds to and the role holder sequences, with each one's outcome, and
 * the login challenges and sessions of the HTTP API.
 *
 * <p>The role is only as good as its fence: the holder MUST call {@link #fence} at the start of each
 * write transaction in which it sequences, so that an instance that lost the role (its session ended,
 * and another took the lock) cannot commit after that. Writes of the log stay serialised by the
 * store's own transaction lock whatever the role does. Thread-safe.
 */
public interface Shared extends AutoCloseable {
    /** What a notification on the queue announces. */
    enum Signal {
        /** A submission was queued. */
        QUEUED,
        /** Submissions were settled. */
        SETTLED
    }

    /**
     * A queued submission.
     *
     * @param key the entry's header hash, or a hash naming a group
     * @param group whether the payload holds entries to sequence together in a transaction of their own
     * @param dryRun whether that group is to be rolled back after its answers are known
     */
    record Queued(Hash key, boolean group, boolean dryRun, byte[] payload) {
        public Queued {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Queued q && q.key.equals(key) && q.group == group && q.dryRun == dryRun
                    && Arrays.equals(q.payload, payload);
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }

        @Override
        public String toString() {
            return "Queued[" + key + (group ? ", group" : "") + (dryRun ? ", dry run" : "") + "]";
        }
    }

    /**
     * The sharing of a PostgreSQL store's database, on connections of its own.
     *
     * @throws StoreException if the store is not on PostgreSQL, or the database cannot be reached
     */
    static Shared of(Store store) {
        if (!(store instanceof PostgresStore p)) {
            throw new StoreException("only instances on PostgreSQL can share a database; this store is " + store.engine());
        }
        return p.share();
    }

    // ---- the role ----

    /**
     * Takes the sequencer role if no other instance holds it, or keeps it; answers whether this
     * instance holds it now. A database that cannot be reached answers false.
     */
    boolean tryLead();

    /** Whether this instance held the role when it last looked; {@link #fence} is the check that counts. */
    boolean leads();

    /** Gives up the role, if held. */
    void resign();

    /**
     * Inside a write transaction of the store: throws unless this instance still holds the role, so
     * that the transaction ends without committing.
     *
     * @throws StoreException if the role is lost
     */
    void fence(WriteTx tx);

    // ---- the queue, for the role holder inside its write transaction ----

    /** The oldest unsettled submissions, in order of arrival, at most {@code limit}. */
    List<Queued> queued(WriteTx tx, int limit);

    /**
     * Records the outcomes of queued submissions, and tells every instance when the transaction
     * commits; a submission settled already keeps its first outcome.
     */
    void settle(WriteTx tx, Map<Hash, byte[]> outcomes);

    // ---- the queue, for any instance, each call committed on its own ----

    /**
     * Queues a submission unless one with its key is waiting already; one with its key that was
     * settled is queued again (a refused entry may pass later, and one already in the log is answered
     * as a duplicate).
     */
    void enqueue(Queued q);

    /** The outcomes recorded for those of {@code keys} that are settled. */
    Map<Hash, byte[]> outcomes(Collection<Hash> keys);

    /** Deletes the submissions settled longer ago than {@code age}; returns how many. */
    int purge(Duration age);

    /**
     * Waits at most {@code max} for a notification, returning at once if one came since the last wait
     * for it. Notifications are only a wake-up: callers MUST look at the queue after a timeout too,
     * since one can be lost while the listening connection is replaced.
     */
    void await(Signal signal, Duration max) throws InterruptedException;

    // ---- logins, for any instance ----

    /**
     * The login challenges and signed-in sessions of every instance, in the database, on this sharing's
     * connections: valid as long as it is open.
     */
    Logins logins();

    /** Gives up the role and closes every connection. */
    @Override
    void close();
}
