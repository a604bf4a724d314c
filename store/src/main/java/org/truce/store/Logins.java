package org.truce.store;

import java.time.Instant;
import java.util.Optional;
import org.truce.tlog.merkle.Hash;

/**
 * Where the login challenges and signed-in sessions of a log's HTTP API are kept, each by the SHA-256 of
 * its challenge or bearer token, so that a token itself is never stored. On SQLite one process serves
 * the log and keeps them in its memory ({@link #inMemory}); instances that share a PostgreSQL database
 * keep them in it ({@link Shared#logins}), so that a party signed in on one instance is signed in on
 * every other, and a challenge handed out by one is answered on any.
 *
 * <p>Implementations MUST let each kept challenge be {@link #take taken} once only, whichever instance
 * asks and however many ask at once. Expiry is the caller's: lookups answer what is kept, expired or not,
 * and {@link #purge} deletes what expired. Thread-safe.
 */
public interface Logins {
    /** A signed-in party, the key it proved it holds, and when its session ends. */
    record Session(String party, String keyRef, Instant expires) {}

    /** Challenges and sessions in this process's memory only: a restart signs everyone out. */
    static Logins inMemory() {
        return new MemoryLogins();
    }

    /**
     * Keeps a challenge until {@code expires}, unless {@code max} challenges are kept already; answers
     * whether it was kept. The bound is approximate when several instances add at once.
     */
    boolean challenge(Hash challenge, Instant expires, int max);

    /** Takes a kept challenge away, answering its expiry: once for each challenge, on any instance. */
    Optional<Instant> take(Hash challenge);

    /** Keeps a session under the hash of its token. */
    void open(Hash token, Session session);

    /** The session kept under the hash of a token, expired or not. */
    Optional<Session> session(Hash token);

    /** Ends the session kept under the hash of a token, if any. */
    void end(Hash token);

    /** Deletes the challenges and sessions that expired before {@code now}. */
    void purge(Instant now);
}
