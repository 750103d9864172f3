-- Restore operations: who restored which backup where, how far it got and what it restored.
-- SQLite flavour (keep in step with ../postgresql).

CREATE TABLE restores (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id          INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,   -- the backup restored
    source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    target_kind     TEXT    NOT NULL CHECK (target_kind IN ('DATABASE', 'FOLDER')),
    target          TEXT    NOT NULL,          -- where, in words: "PostgreSQL 127.0.0.1:5432, database shop_restored"
    request         TEXT    NOT NULL,          -- JSON: the request as resolved (no secrets)
    overwrites      INTEGER NOT NULL DEFAULT 0, -- 1 when the user confirmed replacing existing data
    status          TEXT    NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    requested_by    TEXT    NOT NULL,
    queued_at       INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER,
    step            TEXT,                      -- the step running now (or the last one)
    step_number     INTEGER NOT NULL DEFAULT 0,
    step_count      INTEGER NOT NULL DEFAULT 0,
    progress_current INTEGER NOT NULL DEFAULT 0, -- bytes restored so far
    progress_total  INTEGER,                   -- bytes to restore, when known
    result          TEXT,                      -- JSON: counts (databases, tables, rows, files, bytes) and warnings
    error           TEXT
);
CREATE INDEX restores_job ON restores (job_id, queued_at);
CREATE INDEX restores_queued ON restores (queued_at);
CREATE INDEX restores_status ON restores (status);
