-- Sessions come from UserSignedIn events and are found by the SHA-256 of
-- their bearer token. Rows of the earlier design came from no event (a
-- rebuild lost them) and had no token: they are dropped.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN token_hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS sessions_token ON sessions (token_hash);
