-- +goose Up
-- Tickets: work a human must pick up when the automatic path could not
-- (a dealer that failed for good, a message the router had to terminate, a
-- handoff no sink could announce). The hours issue adds user-left messages,
-- contact fields and assignment on top of this table.
CREATE TABLE tickets (
    id         TEXT PRIMARY KEY,                      -- ULID
    handoff_id TEXT NOT NULL DEFAULT '',
    user_key   TEXT REFERENCES users(key) ON DELETE CASCADE,
    queue      TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL,                         -- dealer_failed | router_poison | no_sink
    detail     TEXT NOT NULL DEFAULT '',              -- an error message; never personal data
    status     TEXT NOT NULL DEFAULT 'open',
    created_at INTEGER NOT NULL
);
-- A redelivered message must not open the same ticket twice.
CREATE UNIQUE INDEX tickets_handoff_reason ON tickets(handoff_id, reason) WHERE handoff_id <> '';
CREATE INDEX tickets_status ON tickets(status, created_at);

-- +goose Down
DROP TABLE tickets;
