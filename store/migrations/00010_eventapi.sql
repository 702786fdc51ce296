-- +goose Up
-- Event API bookkeeping: every call Baton made (a "send": one event name, one
-- bot id, up to 100 users), which notification went out in which send, the
-- day's spend, and the answers users gave to the CSAT question. A restart
-- reads these rows, so it neither resends a message nor forgets money spent.

CREATE TABLE eventapi_sends (
    id            TEXT PRIMARY KEY,                 -- ULID; the Event API params carry it (baton_id)
    bot_id        TEXT NOT NULL,                    -- as the users' payloads carried it
    event         TEXT NOT NULL,                    -- the block's event name
    day           TEXT NOT NULL,                    -- Asia/Seoul date the spend is booked on
    users         INTEGER NOT NULL,                 -- recipients in the call
    reserved_won  INTEGER NOT NULL,                 -- users x price, held against the budget until the task is final
    status        TEXT NOT NULL DEFAULT 'sending',  -- sending | accepted | succeeded | failed | unknown
    task_id       TEXT NOT NULL DEFAULT '',
    success_count INTEGER NOT NULL DEFAULT 0,
    won           INTEGER NOT NULL DEFAULT 0,       -- spend counted on task-status success
    detail        TEXT NOT NULL DEFAULT '',         -- why failed; never personal data
    created_at    INTEGER NOT NULL,
    checked_at    INTEGER,                          -- last task-status poll
    done_at       INTEGER
);
CREATE INDEX eventapi_sends_open ON eventapi_sends(status) WHERE status IN ('sending', 'accepted');

-- Which notification went out in which send (one row per attempt).
CREATE TABLE eventapi_items (
    send_id         TEXT NOT NULL REFERENCES eventapi_sends(id) ON DELETE CASCADE,
    notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_key        TEXT NOT NULL,
    PRIMARY KEY (send_id, user_key)
) WITHOUT ROWID;
CREATE INDEX eventapi_items_notification ON eventapi_items(notification_id);
CREATE INDEX eventapi_items_user ON eventapi_items(user_key);

-- Spend per Asia/Seoul day: reserved while tasks are open, spent once the
-- task status says how many messages succeeded.
CREATE TABLE eventapi_spend (
    day          TEXT PRIMARY KEY,
    reserved_won INTEGER NOT NULL DEFAULT 0,
    spent_won    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- CSAT answers after a human session (one per handoff; the first tap wins).
CREATE TABLE csat (
    id         TEXT PRIMARY KEY,                    -- ULID
    user_key   TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    handoff_id TEXT NOT NULL DEFAULT '',            -- the session rated ('' when unknown)
    score      INTEGER NOT NULL,                    -- 1..5
    source     TEXT NOT NULL,                       -- reply (the return turn) | event (Event API)
    test       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX csat_handoff ON csat(handoff_id) WHERE handoff_id <> '';
CREATE INDEX csat_user ON csat(user_key);

-- +goose Down
DROP TABLE csat;
DROP TABLE eventapi_spend;
DROP TABLE eventapi_items;
DROP TABLE eventapi_sends;
