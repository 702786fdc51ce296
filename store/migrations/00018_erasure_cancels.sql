-- +goose Up
-- A dealer cancel owed for a handoff of a user being erased (DELETE
-- /admin/users/{key}): what the cancel body needs, written before the
-- erasure deletes the handoff rows and kept until the router has sent it.
-- No user_key or handoff_id column on purpose: the erasure deletes rows by
-- those columns, and these rows must outlive it. A handoff id and its code
-- are ULID and short code, nothing of the user.
CREATE TABLE erasure_cancels (
    id         TEXT PRIMARY KEY, -- ULID, the payload of its outbox message
    handoff    TEXT NOT NULL,    -- the erased handoff's id (the dealer's Idempotency-Key)
    code       TEXT NOT NULL,
    dealer     TEXT NOT NULL,    -- dealer name (target "dealer:<name>")
    reason     TEXT NOT NULL,    -- the cancel's reason
    at         INTEGER NOT NULL, -- unix ms: the cancel's "at"
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX erasure_cancels_handoff ON erasure_cancels(handoff);

-- +goose Down
DROP TABLE erasure_cancels;
