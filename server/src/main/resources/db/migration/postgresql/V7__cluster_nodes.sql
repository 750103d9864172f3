-- Several servers sharing one metadata database (docs/adr/0013-server-nodes-and-takeover.md): each server
-- is a node that registers itself and beats; jobs, restores and prunes record the node that runs them, so
-- the work of a node that stopped beating is settled by another (and a backup retried once), and a cancel
-- reaches the node that runs the work. PostgreSQL flavour (keep in step with ../sqlite).

CREATE TABLE cluster_nodes (
    name          TEXT    PRIMARY KEY,      -- cairn.cluster.node-name: unique among the servers sharing this database
    instance      TEXT    NOT NULL,         -- random per process: tells a restart, or a second process with the same name
    version       TEXT    NOT NULL,
    started_at    BIGINT NOT NULL,
    heartbeat_at  BIGINT NOT NULL,
    stopped_at    BIGINT                    -- set by a clean shutdown
);

ALTER TABLE jobs ADD COLUMN runner_node TEXT;          -- the node running (or that ran) the job
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN retry_of BIGINT REFERENCES jobs (id) ON DELETE SET NULL;

ALTER TABLE restores ADD COLUMN runner_node TEXT;
ALTER TABLE restores ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;

ALTER TABLE prunes ADD COLUMN runner_node TEXT;
