-- +goose Up
-- Dealer events already applied (dealer contract v1): a redelivered event id
-- is answered 200 without a second effect. Rows older than 24 h are pruned.
CREATE TABLE dealer_events (
    dealer      TEXT NOT NULL,
    id          TEXT NOT NULL, -- the dealer's event id
    received_at INTEGER NOT NULL,
    PRIMARY KEY (dealer, id)
) WITHOUT ROWID;
CREATE INDEX dealer_events_received ON dealer_events(received_at);

-- The dealer's agent on a handoff (agent.assigned, session.started).
CREATE TABLE handoff_agents (
    handoff_id  TEXT PRIMARY KEY REFERENCES handoffs(id) ON DELETE CASCADE,
    agent_id    TEXT NOT NULL DEFAULT '',
    agent_name  TEXT NOT NULL DEFAULT '',
    assigned_at INTEGER NOT NULL
);

-- Dealer events without a handoff id are matched by plusfriend user key.
CREATE INDEX users_plusfriend ON users(plusfriend_key, last_seen) WHERE plusfriend_key <> '';

-- +goose Down
DROP INDEX users_plusfriend;
DROP TABLE handoff_agents;
DROP TABLE dealer_events;
