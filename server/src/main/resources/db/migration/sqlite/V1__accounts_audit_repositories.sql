-- Metadata schema, SQLite flavour (keep in step with ../postgresql). Times are epoch milliseconds (UTC).

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT    NOT NULL,
    username_key        TEXT    NOT NULL UNIQUE,          -- lower-cased: one account per name, whatever the case
    password_hash       TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER')),
    enabled             INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    last_login_at       INTEGER
);

-- At most one row, ever: the database, not the page, makes first-run setup one-shot.
CREATE TABLE setup (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    admin_id     INTEGER NOT NULL REFERENCES users (id),
    completed_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('PERSONAL', 'ACCESS', 'REFRESH')),
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,                 -- SHA-256 of the token; the token itself is never stored
    prefix       TEXT    NOT NULL,                        -- first characters, to recognise a token in lists
    family       TEXT,                                    -- one API login: its access and refresh tokens
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, kind);
CREATE INDEX api_tokens_family ON api_tokens (family);

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor      TEXT    NOT NULL,                          -- username, or 'anonymous' / 'system'
    action     TEXT    NOT NULL,                          -- e.g. user.created, auth.login.failed
    target     TEXT,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
    details    TEXT,
    client_ip  TEXT
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_action ON audit_events (action, at);

CREATE TABLE repositories (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    name                 TEXT    NOT NULL UNIQUE,
    kind                 TEXT    NOT NULL CHECK (kind IN ('LOCAL')),
    location             TEXT    NOT NULL,
    password_sealed      TEXT    NOT NULL,                -- sealed with the key file (see io.cairn.server.secret)
    created_at           INTEGER NOT NULL,
    recovery_kit_seen_at INTEGER
);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
