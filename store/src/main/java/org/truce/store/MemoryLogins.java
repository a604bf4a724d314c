package org.truce.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.truce.tlog.merkle.Hash;

/** {@link Logins} in two concurrent maps of this process. Thread-safe. */
final class MemoryLogins implements Logins {
    private final Map<Hash, Instant> challenges = new ConcurrentHashMap<>();
    private final Map<Hash, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public boolean challenge(Hash challenge, Instant expires, int max) {
        if (challenges.size() >= max) {
            return false;
        }
        challenges.put(challenge, expires);
        return true;
    }

    @Override
    public Optional<Instant> take(Hash challenge) {
        return Optional.ofNullable(challenges.remove(challenge));
    }

    @Override
    public void open(Hash token, Session session) {
        sessions.put(token, session);
    }

    @Override
    public Optional<Session> session(Hash token) {
        return Optional.ofNullable(sessions.get(token));
    }

    @Override
    public void end(Hash token) {
        sessions.remove(token);
    }

    @Override
    public void purge(Instant now) {
        challenges.values().removeIf(now::isAfter);
        sessions.values().removeIf(s -> now.isAfter(s.expires()));
    }
}
