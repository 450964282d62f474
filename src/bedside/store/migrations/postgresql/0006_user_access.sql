-- Revoking sign-in sessions and disabling accounts (docs/review.md). A session cookie carries
-- the time it was issued; one issued before `sessions_valid_after` is no longer a session, so
-- logout, a password change, a role change or disabling revokes every session of that user at
-- once, server-side.
ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN sessions_valid_after text NOT NULL DEFAULT '';
