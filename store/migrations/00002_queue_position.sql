-- +goose Up
-- Queue positions: open handoffs not yet taken by a human, per queue, oldest first.
CREATE INDEX handoffs_waiting ON handoffs(queue, created_at, id) WHERE ended_at IS NULL AND accepted_at IS NULL;

-- +goose Down
DROP INDEX handoffs_waiting;
