-- +goose Up
-- Admin API (DESIGN §8): tokens, the access log of transcript reads and
-- erasures, and the history of config reloads.

-- Admin tokens other than the BATON_ADMIN_TOKEN bootstrap master. Only the
-- hex SHA-256 of a token is stored, never the token itself.
CREATE TABLE admin_tokens (
    id           TEXT PRIMARY KEY,             -- ULID
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('master', 'manager')),
    hash         TEXT NOT NULL UNIQUE,         -- hex SHA-256 of the secret
    created_by   TEXT NOT NULL DEFAULT '',     -- token id of the creator
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- Who read which user's transcript, or erased a user. subject is an
-- HMAC-SHA256 (hex) of the user key, never the key itself, so an erased user
-- leaves nothing readable here while the audit trail stays.
CREATE TABLE access_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    token_id TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,                    -- read_conversation | read_ticket | erase_user
    subject  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_subject ON access_log(subject, at);

-- Config reloads (admin API and SIGHUP), newest last.
CREATE TABLE reloads (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    by      TEXT NOT NULL,                     -- token id or "SIGHUP"
    version TEXT NOT NULL DEFAULT '',          -- config version loaded ('' when invalid)
    result  TEXT NOT NULL,                     -- ok | invalid | refused | failed
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reloads_at ON reloads(at);

-- +goose Down
DROP TABLE reloads;
DROP TABLE access_log;
DROP TABLE admin_tokens;
