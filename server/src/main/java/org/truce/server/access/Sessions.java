package org.truce.server.access;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.party.Keys;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;

/**
 * Signed login: the server hands out a random challenge; a party signs
 * {@code "truce-login\n" ‖ challenge} with one of its active keys and receives a short-lived session
 * token. Challenges are single-use. Both live in memory only: a restart signs everyone out.
 * Thread-safe.
 */
public final class Sessions {
    public static final Duration CHALLENGE_TTL = Duration.ofMinutes(2);
    public static final Duration SESSION_TTL = Duration.ofMinutes(15);
    private static final int MAX_PENDING = 10_000;
    private static final byte[] CONTEXT = "truce-login\n".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> challenges = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /** A signed-in party until {@code expires}. */
    public record Session(String party, Instant expires) {}

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new challenge, base64. */
    public String challenge() {
        purge();
        if (challenges.size() >= MAX_PENDING) {
            throw new IllegalStateException("too many logins in progress");
        }
        String c = token();
        challenges.put(c, clock.instant().plus(CHALLENGE_TTL));
        return c;
    }

    /** The bytes a party signs to log in with {@code challenge}. */
    public static byte[] signedMessage(String challenge) {
        byte[] c = challenge.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[CONTEXT.length + c.length];
        System.arraycopy(CONTEXT, 0, m, 0, CONTEXT.length);
        System.arraycopy(c, 0, m, CONTEXT.length, c.length);
        return m;
    }

    /**
     * Checks a signed challenge against the key the state registers, and opens a session.
     *
     * @return the session token, or empty if the challenge, key or signature does not check
     */
    public Optional<String> login(StateView state, String keyRef, String challenge, byte[] signature) {
        Instant expires = challenges.remove(challenge);
        if (expires == null || clock.instant().isAfter(expires)) {
            return Optional.empty();
        }
        Optional<Doc> key = state.get(Keys.COLLECTION, keyRef);
        if (key.isEmpty() || !Keys.ACTIVE.equals(key.get().body().path("status").asText())) {
            return Optional.empty();
        }
        Verifier v;
        try {
            v = NoteKeys.parseVerifier(key.get().body().path("vkey").asText());
        } catch (FormatException e) {
            return Optional.empty();
        }
        if (!v.verify(signedMessage(challenge), signature)) {
            return Optional.empty();
        }
        String token = token();
        sessions.put(token, new Session(key.get().body().path("party").asText(), clock.instant().plus(SESSION_TTL)));
        return Optional.of(token);
    }

    /** The reader a token stands for: a party while its session lasts, otherwise the public. */
    public Reader reader(@Nullable String token) {
        if (token == null) {
            return Reader.PUBLIC;
        }
        Session s = sessions.get(token);
        if (s == null || clock.instant().isAfter(s.expires())) {
            if (s != null) {
                sessions.remove(token);
            }
            return Reader.PUBLIC;
        }
        return Reader.party(s.party());
    }

    /** Ends the session of {@code token}; nothing happens for an unknown or null token. */
    public void logout(@Nullable String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    private void purge() {
        Instant now = clock.instant();
        challenges.values().removeIf(t -> now.isAfter(t));
        sessions.values().removeIf(s -> now.isAfter(s.expires()));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
