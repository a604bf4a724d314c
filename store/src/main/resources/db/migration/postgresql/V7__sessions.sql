-- Signed-in sessions kept in the database, so that every instance behind a load balancer answers a
-- party that signed in on another one. Both tables are keyed by a SHA-256: of the challenge
-- handed out, and of the session's bearer token, which itself is never stored. Expiry times are those of
-- the instance that wrote them; rows that expired are deleted by whichever instance hands out a challenge.

-- Login challenges handed out and not yet answered. The login that answers one deletes it, so a
-- challenge is answered once whichever instance is asked.
CREATE TABLE login_challenges (
    hash    BYTEA       PRIMARY KEY,
    expires TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_challenges_expires ON login_challenges (expires);

-- Sessions, with the key the party signed in with, so that revoking the key ends them.
CREATE TABLE sessions (
    token_hash BYTEA       PRIMARY KEY,
    party      TEXT        NOT NULL,
    key_ref    TEXT        NOT NULL,
    expires    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires);
