package org.truce.server.access;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.party.Keys;
import org.truce.core.state.Doc;
import org.truce.store.Logins;
import org.truce.store.Store;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Verifier;

/**
 * Signed login: the server hands out a random challenge; a party signs
 * {@code "truce-login\n" ‖ challenge} with one of its active keys and receives a short-lived session
 * token. Challenges are single-use. Both are kept by their SHA-256 in {@link Logins}: in this process's
 * memory on SQLite (a restart signs everyone out), in the database shared by every instance on
 * PostgreSQL. A session ends when it expires, at logout, or as soon as the state shows the key it was
 * opened with revoked. Thread-safe.
 */
public final class Sessions {
    public static final Duration CHALLENGE_TTL = Duration.ofMinutes(2);
    public static final Duration SESSION_TTL = Duration.ofMinutes(15);
    /** The most challenges handed out and not yet answered or expired. */
    private static final int MAX_PENDING = 10_000;
    private static final byte[] CONTEXT = "truce-login\n".getBytes(StandardCharsets.US_ASCII);

    private final Store store;
    private final Logins logins;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** A session opened: its bearer token and the party it signs in. */
    public record Login(String token, String party) {}

    /** Sessions whose keys are those of {@code store}'s state, kept in {@code logins}. */
    public Sessions(Store store, Logins logins, Clock clock) {
        this.store = store;
        this.logins = logins;
        this.clock = clock;
    }

    /** A new challenge, base64. */
    public String challenge() {
        Instant now = clock.instant();
        logins.purge(now);
        String c = token();
        if (!logins.challenge(hash(c), now.plus(CHALLENGE_TTL), MAX_PENDING)) {
            throw new org.truce.server.sequencer.OverloadedException("too many logins in progress; try again in a moment");
        }
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
     * Checks a signed challenge against the key the state registers, and opens a session. The challenge
     * is used up whether the rest checks or not.
     *
     * @return the session opened, or empty if the challenge, key or signature does not check
     */
    public Optional<Login> login(String keyRef, String challenge, byte[] signature) {
        Optional<Instant> expires = logins.take(hash(challenge));
        if (expires.isEmpty() || clock.instant().isAfter(expires.get())) {
            return Optional.empty();
        }
        Optional<Doc> key = activeKey(keyRef);
        if (key.isEmpty()) {
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
        String party = key.get().body().path("party").asText();
        logins.open(hash(token), new Logins.Session(party, keyRef, clock.instant().plus(SESSION_TTL)));
        return Optional.of(new Login(token, party));
    }

    /**
     * The reader a token stands for: a party while its session lasts and the key it signed in with is
     * active in the state, otherwise the public. A session found expired or of a revoked key is ended.
     */
    public Reader reader(@Nullable String token) {
        if (token == null) {
            return Reader.PUBLIC;
        }
        Hash h = hash(token);
        Optional<Logins.Session> s = logins.session(h);
        if (s.isEmpty()) {
            return Reader.PUBLIC;
        }
        if (clock.instant().isAfter(s.get().expires()) || activeKey(s.get().keyRef()).isEmpty()) {
            logins.end(h);
            return Reader.PUBLIC;
        }
        return Reader.party(s.get().party());
    }

    /** Ends the session of {@code token}; nothing happens for an unknown or null token. */
    public void logout(@Nullable String token) {
        if (token != null) {
            logins.end(hash(token));
        }
    }

    /** The state's document of a key, if the key is active. */
    private Optional<Doc> activeKey(String keyRef) {
        return store.read(tx -> tx.get(Keys.COLLECTION, keyRef))
                .filter(k -> Keys.ACTIVE.equals(k.body().path("status").asText()));
    }

    /** What a challenge or token is kept under: its SHA-256, so that a stored session cannot be used. */
    private static Hash hash(String token) {
        return Hash.of(Rfc9162.newDigest().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
