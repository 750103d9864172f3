-- Browse sessions ("mounts"): a user reading one backup's files. SQLite flavour (keep in step with ../postgresql).
-- The session id is random (128 bits) but not a credential: every request also needs its owner or an admin.
-- Expiry slides: each use moves expires_at to one idle timeout later. Expired rows are deleted lazily.

CREATE TABLE browse_sessions (
    id           TEXT    PRIMARY KEY,
    job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    username     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX browse_sessions_user ON browse_sessions (user_id, job_id);
CREATE INDEX browse_sessions_expires ON browse_sessions (expires_at);
