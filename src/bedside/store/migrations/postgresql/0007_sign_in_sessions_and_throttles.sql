-- Server-side sign-in sessions and shared throttles (docs/web.md, "Security").
--
-- The session cookie carries a random token; only its SHA-256 is kept here, so a copy of the
-- database signs no one in. The CSRF token of a signed-in member belongs to the session row,
-- not to the cookie. Logout, a password change, a role change and disabling end every session
-- of the user (ended_at), which replaces users.sessions_valid_after.
CREATE TABLE sign_in_sessions (
    token_hash text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (user_id),
    csrf_token text NOT NULL,
    started_at text COLLATE "C" NOT NULL,
    seen_at text COLLATE "C" NOT NULL,
    ended_at text COLLATE "C"
);
CREATE INDEX sign_in_sessions_by_user ON sign_in_sessions (user_id, ended_at);

-- Events counted by the rate limits (questions and sign-in attempts per client address) and the
-- sign-in back-off (failures per account): in the database, so every worker on it shares them.
-- Rows live only as long as the window that counts them.
CREATE TABLE throttle_events (
    scope text NOT NULL,
    key text NOT NULL,
    at double precision NOT NULL
);
CREATE INDEX throttle_events_by_key ON throttle_events (scope, key, at);

ALTER TABLE users DROP COLUMN sessions_valid_after;
