-- +goose Up
-- The queue a reopen timer ("열리면 알려주세요") waits for. It travelled only
-- in the timer's message schedule, so a schedule lost with the JetStream
-- store could not be rebuilt; the overdue sweep now schedules it again from
-- the row. '' for the other kinds, and for reopen rows written before this
-- migration (the sweep uses escalation.queue for those).
ALTER TABLE timers ADD COLUMN queue TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE timers DROP COLUMN queue;
