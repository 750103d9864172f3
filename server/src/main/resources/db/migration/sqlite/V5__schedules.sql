-- Schedules (cron, zone, what to back up, retention) and db-scheduler's execution table.
-- SQLite flavour (keep in step with ../postgresql). See docs/adr/0011-scheduler.md.

CREATE TABLE schedules (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT    NOT NULL,
    source_id          INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    project_id         INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    cron               TEXT    NOT NULL,           -- 5 fields (Unix) or 6 (seconds first)
    zone               TEXT    NOT NULL,           -- IANA zone id, e.g. Europe/Berlin
    backup_type        TEXT    NOT NULL CHECK (backup_type IN ('FULL', 'INCREMENTAL')),
    compression        TEXT    CHECK (compression IN ('OFF', 'FAST', 'DEFAULT', 'MAX')),  -- null: the source's
    enabled            INTEGER NOT NULL DEFAULT 1,
    missed_run_policy  TEXT    NOT NULL DEFAULT 'RUN_ONCE' CHECK (missed_run_policy IN ('RUN_ONCE', 'SKIP')),
    jitter_seconds     INTEGER NOT NULL DEFAULT 0,
    keep_last          INTEGER,
    keep_hourly        INTEGER,
    keep_daily         INTEGER,
    keep_weekly        INTEGER,
    keep_monthly       INTEGER,
    keep_yearly        INTEGER,
    keep_within        TEXT,                       -- restic duration, e.g. 1y6m or 30d
    retention_days     INTEGER,                    -- the seeds' "retention days": keep everything this many days
    retention_force    INTEGER NOT NULL DEFAULT 0, -- 1: apply even a policy that removes every backup
    next_run_at        INTEGER,
    last_fired_for     INTEGER,                    -- the scheduled instant of the last firing (idempotency)
    last_run_at        INTEGER,
    last_run_outcome   TEXT,                       -- what the last firing did, in words
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    CHECK ((source_id IS NULL) <> (project_id IS NULL))
);
CREATE INDEX schedules_source ON schedules (source_id);
CREATE INDEX schedules_project ON schedules (project_id);

-- Which job each firing queued: retention runs after those jobs succeed.
CREATE TABLE schedule_jobs (
    job_id       INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    schedule_id  INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    fired_for    INTEGER NOT NULL
);
CREATE INDEX schedule_jobs_schedule ON schedule_jobs (schedule_id, fired_for);

-- db-scheduler (com.github.kagkarlsson:db-scheduler): one row per pending execution.
CREATE TABLE scheduled_tasks (
    task_name            TEXT      NOT NULL,
    task_instance        TEXT      NOT NULL,
    task_data            BLOB,
    execution_time       TIMESTAMP NOT NULL,
    picked               BOOLEAN   NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP,
    last_failure         TIMESTAMP,
    consecutive_failures INTEGER,
    last_heartbeat       TIMESTAMP,
    version              BIGINT    NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);
