-- Sources, projects, backup jobs with logs and telemetry. SQLite flavour (keep in step with ../postgresql).

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE sources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL UNIQUE,
    type            TEXT    NOT NULL CHECK (type IN ('POSTGRESQL', 'MYSQL', 'REDIS', 'MONGODB', 'SQLITE', 'PATH')),
    project_id      INTEGER REFERENCES projects (id) ON DELETE SET NULL,
    repository_id   INTEGER NOT NULL REFERENCES repositories (id),
    host            TEXT,
    port            INTEGER,
    database_name   TEXT,                     -- null: every database (where the type allows it)
    username        TEXT,
    password_sealed TEXT,                     -- sealed with the secret key; null when none is set
    tls_mode        TEXT    NOT NULL DEFAULT 'PREFER' CHECK (tls_mode IN ('DISABLE', 'PREFER', 'REQUIRE', 'VERIFY_FULL')),
    path            TEXT,                     -- SQLITE: the database file; PATH: the folder or file
    includes        TEXT    NOT NULL DEFAULT '',   -- newline-separated globs (PATH)
    excludes        TEXT    NOT NULL DEFAULT '',
    compression     TEXT    NOT NULL DEFAULT 'DEFAULT' CHECK (compression IN ('OFF', 'FAST', 'DEFAULT', 'MAX')),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX sources_project ON sources (project_id);

CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    repository_id   INTEGER NOT NULL REFERENCES repositories (id),
    project_id      INTEGER REFERENCES projects (id) ON DELETE SET NULL,
    backup_type     TEXT    NOT NULL CHECK (backup_type IN ('FULL', 'INCREMENTAL')),
    status          TEXT    NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    trigger_kind    TEXT    NOT NULL CHECK (trigger_kind IN ('MANUAL', 'API', 'CLI', 'SCHEDULE')),
    requested_by    TEXT    NOT NULL,
    verify          INTEGER NOT NULL DEFAULT 0,
    compression     TEXT,
    queued_at       INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER,
    phase           TEXT,
    bytes_total     INTEGER,                  -- known for paths, unknown (null) for dumps
    bytes_read      INTEGER NOT NULL DEFAULT 0,
    bytes_added     INTEGER NOT NULL DEFAULT 0,
    files           INTEGER NOT NULL DEFAULT 0,
    snapshot_id     TEXT,
    error           TEXT,
    contents        TEXT,                     -- JSON: what the backup holds (version, tables and row counts, top folders)
    performance     TEXT,                     -- JSON: the telemetry rollup (peak/avg/min speed, duration, chart points)
    deleted_at      INTEGER
);
CREATE INDEX jobs_source ON jobs (source_id, queued_at);
CREATE INDEX jobs_status ON jobs (status, queued_at);
CREATE INDEX jobs_queued ON jobs (queued_at);

CREATE TABLE job_logs (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id  INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    level   TEXT    NOT NULL CHECK (level IN ('INFO', 'WARN', 'ERROR')),
    line    TEXT    NOT NULL
);
CREATE INDEX job_logs_job ON job_logs (job_id, id);

-- Samples taken while a job runs; rolled up into jobs.performance when it ends, then deleted.
CREATE TABLE job_telemetry_snapshots (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id            INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at                INTEGER NOT NULL,
    bytes_transferred INTEGER NOT NULL,
    speed_bps         INTEGER NOT NULL,
    progress_percent  REAL,
    phase             TEXT
);
CREATE INDEX job_telemetry_job ON job_telemetry_snapshots (job_id, at);
