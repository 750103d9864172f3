-- Prune per repository: its schedule (weekly by default; a missing row means the default) and each prune's
-- outcome. SQLite flavour (keep in step with ../postgresql).

CREATE TABLE prune_schedules (
    repository_id INTEGER PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    cron          TEXT    NOT NULL,
    zone          TEXT    NOT NULL,
    enabled       INTEGER NOT NULL DEFAULT 1,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE prunes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    repository_id   INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    trigger_kind    TEXT    NOT NULL CHECK (trigger_kind IN ('SCHEDULE', 'MANUAL')),
    requested_by    TEXT    NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    status          TEXT    NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    bytes_freed     INTEGER,
    packs_removed   INTEGER,
    snapshots       INTEGER,
    error           TEXT
);
CREATE INDEX prunes_repository ON prunes (repository_id, started_at);
