-- +goose Up
-- turns loses its index by time (00013): every commit of a turn wrote a page
-- of it. Turns are appended by the single writer, so rowid order is the order
-- they were taken in (but for the wall clock stepping back): retention walks
-- the expired turns from the oldest rowid and stops at the first young one,
-- and the unanswered-questions report reads its window as a range of the id
-- index, a turn's id being a ULID of its time (store/retention.go,
-- store/report.go).
DROP INDEX turns_at;

-- +goose Down
CREATE INDEX turns_at ON turns(at);
