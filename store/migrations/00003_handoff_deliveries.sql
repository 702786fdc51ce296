-- +goose Up
-- Which notify sink or dealer has been told about a handoff: the router skips
-- a (handoff, target) pair already recorded when JetStream redelivers.
CREATE TABLE handoff_deliveries (
    handoff_id   TEXT NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,
    target       TEXT NOT NULL, -- "notify:<n>:<kind>" or "dealer:<name>" or "dealer:<name>:cancel"
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (handoff_id, target)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE handoff_deliveries;
