-- +goose Up
-- Admin overrides of business hours ("open now" / "closed until T"), per
-- queue or for every queue ('*'). They survive a restart and stop applying at
-- `until` (NULL: until cleared); expired rows are ignored, then pruned.
CREATE TABLE hours_overrides (
    queue  TEXT PRIMARY KEY,                               -- a queue name or '*'
    mode   TEXT NOT NULL CHECK (mode IN ('open', 'closed')),
    until  INTEGER,                                        -- unix ms, exclusive
    set_by TEXT NOT NULL DEFAULT '',                       -- admin token name, never a secret
    set_at INTEGER NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE hours_overrides;
