-- +goose Up
-- Lifecycle records of the hours issue: durable timers, pending
-- notifications (messages that need the Event API), user-left tickets with an
-- encrypted contact, and outbox headers (JetStream message schedules).

-- Outbox messages may carry NATS headers (Nats-Schedule, Nats-Schedule-Target),
-- stored as a JSON object of header name to value ('' = none).
ALTER TABLE outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';

-- A timer per (kind, id): wait_timeout.<handoff id>, after_hours.<user>,
-- reopen.<user>, idle.<handoff id>. The JetStream schedule fires it; this row
-- says whether it is still wanted (status pending) when it does.
CREATE TABLE timers (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    user_key   TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    handoff_id TEXT NOT NULL DEFAULT '',
    due_at     INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending', -- pending | fired | cancelled
    created_at INTEGER NOT NULL,
    done_at    INTEGER,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX timers_pending ON timers(due_at) WHERE status = 'pending';
CREATE INDEX timers_user ON timers(user_key);

-- Messages to a user that only the Event API can deliver (reopen, ticket
-- reply, wait-timeout apology, CSAT), recorded with their reason until sent.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,                  -- ULID; the Event API params carry it
    user_key   TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                     -- reopen | ticket_reply | wait_timeout | csat
    ref        TEXT NOT NULL DEFAULT '',          -- ticket or handoff id
    status     TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | skipped | stale | failed
    detail     TEXT NOT NULL DEFAULT '',          -- why skipped or failed; never personal data
    not_before INTEGER NOT NULL,                  -- earliest send time (staggering)
    created_at INTEGER NOT NULL,
    sent_at    INTEGER
);
CREATE INDEX notifications_pending ON notifications(not_before) WHERE status = 'pending';
CREATE INDEX notifications_user ON notifications(user_key);

-- Contact fields left with a ticket: AES-GCM ciphertext, short retention.
CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,                  -- ULID
    user_key   TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    ciphertext BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX contacts_user ON contacts(user_key);
CREATE INDEX contacts_created ON contacts(created_at);

-- Tickets gain the user's message and the admin workflow:
-- open -> assigned -> answered -> closed.
ALTER TABLE tickets ADD COLUMN message TEXT NOT NULL DEFAULT '';    -- masked
ALTER TABLE tickets ADD COLUMN contact_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN answer TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN answered_at INTEGER;
ALTER TABLE tickets ADD COLUMN closed_at INTEGER;
ALTER TABLE tickets ADD COLUMN updated_at INTEGER;
CREATE INDEX tickets_user ON tickets(user_key);

-- +goose Down
DROP INDEX tickets_user;
ALTER TABLE tickets DROP COLUMN updated_at;
ALTER TABLE tickets DROP COLUMN closed_at;
ALTER TABLE tickets DROP COLUMN answered_at;
ALTER TABLE tickets DROP COLUMN answer;
ALTER TABLE tickets DROP COLUMN assignee;
ALTER TABLE tickets DROP COLUMN contact_id;
ALTER TABLE tickets DROP COLUMN message;
DROP TABLE contacts;
DROP TABLE notifications;
DROP TABLE timers;
ALTER TABLE outbox DROP COLUMN headers;
