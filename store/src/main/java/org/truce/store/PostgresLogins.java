package org.truce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.truce.tlog.merkle.Hash;

/**
 * {@link Logins} in the tables {@code login_challenges} and {@code sessions} (PostgreSQL migration V7),
 * each call committed on its own on a connection of the {@link Shared} pool. A challenge is taken by
 * {@code DELETE … RETURNING}, which only one of several concurrent callers can do. Thread-safe.
 */
final class PostgresLogins implements Logins {
    private final DataSource pool;

    PostgresLogins(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public boolean challenge(Hash challenge, Instant expires, int max) {
        return on("keep a login challenge", "INSERT INTO login_challenges (hash, expires) SELECT ?, ?"
                + " WHERE (SELECT count(*) FROM login_challenges) < ?", s -> {
                    s.setBytes(1, challenge.bytes());
                    s.setObject(2, time(expires));
                    s.setInt(3, max);
                    return s.executeUpdate() == 1;
                });
    }

    @Override
    public Optional<Instant> take(Hash challenge) {
        return on("take a login challenge", "DELETE FROM login_challenges WHERE hash = ? RETURNING expires", s -> {
            s.setBytes(1, challenge.bytes());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
            }
        });
    }

    @Override
    public void open(Hash token, Session session) {
        on("open a session", "INSERT INTO sessions (token_hash, party, key_ref, expires) VALUES (?, ?, ?, ?)", s -> {
            s.setBytes(1, token.bytes());
            s.setString(2, session.party());
            s.setString(3, session.keyRef());
            s.setObject(4, time(session.expires()));
            return s.executeUpdate();
        });
    }

    @Override
    public Optional<Session> session(Hash token) {
        return on("read a session", "SELECT party, key_ref, expires FROM sessions WHERE token_hash = ?", s -> {
            s.setBytes(1, token.bytes());
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(new Session(r.getString(1), r.getString(2), r.getObject(3, OffsetDateTime.class).toInstant()))
                        : Optional.empty();
            }
        });
    }

    @Override
    public void end(Hash token) {
        on("end a session", "DELETE FROM sessions WHERE token_hash = ?", s -> {
            s.setBytes(1, token.bytes());
            return s.executeUpdate();
        });
    }

    @Override
    public void purge(Instant now) {
        for (String table : new String[] {"login_challenges", "sessions"}) {
            on("purge expired " + table, "DELETE FROM " + table + " WHERE expires < ?", s -> {
                s.setObject(1, time(now));
                return s.executeUpdate();
            });
        }
    }

    /** A statement's work on a prepared statement. */
    @FunctionalInterface
    private interface Statement<T> {
        T run(PreparedStatement s) throws SQLException;
    }

    private <T> T on(String what, String sql, Statement<T> work) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            return work.run(s);
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime time(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
