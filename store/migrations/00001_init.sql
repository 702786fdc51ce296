-- Baton's core tables. Times are UTC unix milliseconds (INTEGER); a zero Go
-- time is stored as NULL in the nullable columns.

-- +goose Up
CREATE TABLE users (
    key            TEXT PRIMARY KEY,
    bot_id         TEXT NOT NULL DEFAULT '',
    plusfriend_key TEXT NOT NULL DEFAULT '',
    app_user_id    TEXT NOT NULL DEFAULT '',
    is_friend      INTEGER NOT NULL DEFAULT 0,
    test           INTEGER NOT NULL DEFAULT 0,
    first_seen     INTEGER NOT NULL,
    last_seen      INTEGER NOT NULL,
    welcomed_at    INTEGER
);

CREATE TABLE conversations (
    user_key       TEXT PRIMARY KEY REFERENCES users(key) ON DELETE CASCADE,
    state          TEXT NOT NULL,
    menu_path      TEXT NOT NULL DEFAULT '[]', -- JSON array of menu ids
    faq_misses     INTEGER NOT NULL DEFAULT 0,
    clarify        TEXT NOT NULL DEFAULT '[]', -- JSON array of FAQ ids
    handoff_id     TEXT NOT NULL DEFAULT '',
    queue          TEXT NOT NULL DEFAULT '',
    state_since    INTEGER,
    last_turn_at   INTEGER,
    welcomed_at    INTEGER,
    config_version TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE turns (
    id        TEXT PRIMARY KEY, -- ULID
    user_key  TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    block     TEXT NOT NULL DEFAULT '',
    utterance TEXT NOT NULL DEFAULT '', -- masked
    kind      TEXT NOT NULL DEFAULT '',
    node      TEXT NOT NULL DEFAULT '',
    score     REAL NOT NULL DEFAULT 0,
    state     TEXT NOT NULL DEFAULT '',
    test      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX turns_user_at ON turns(user_key, at);

CREATE TABLE handoffs (
    id             TEXT PRIMARY KEY, -- ULID
    code           TEXT NOT NULL,
    user_key       TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    bot_id         TEXT NOT NULL DEFAULT '',
    plusfriend_key TEXT NOT NULL DEFAULT '',
    queue          TEXT NOT NULL DEFAULT '',
    target         TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    menu_path      TEXT NOT NULL DEFAULT '[]', -- JSON array of menu ids
    faq_misses     INTEGER NOT NULL DEFAULT 0,
    test           INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    accepted_at    INTEGER,
    ended_at       INTEGER,
    end_reason     TEXT NOT NULL DEFAULT ''
);
-- One open handoff per user.
CREATE UNIQUE INDEX handoffs_open_user ON handoffs(user_key) WHERE ended_at IS NULL;
CREATE INDEX handoffs_code ON handoffs(code);
CREATE INDEX handoffs_user_created ON handoffs(user_key, created_at);

CREATE TABLE outbox (
    id           TEXT PRIMARY KEY, -- ULID, the JetStream Msg-Id
    subject      TEXT NOT NULL,
    payload      BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER
);
-- The relay's scan of unpublished rows, oldest first.
CREATE INDEX outbox_unpublished ON outbox(created_at, id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox(published_at) WHERE published_at IS NOT NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE handoffs;
DROP TABLE turns;
DROP TABLE conversations;
DROP TABLE users;
