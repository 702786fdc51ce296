-- +goose Up
-- Lifecycle metrics read handoffs by when they were opened, taken and ended
-- (a scan every minute on the read pool), and the retention job finds ended
-- handoffs by ended_at; without these each read walks the whole table.
CREATE INDEX handoffs_created ON handoffs(created_at);
CREATE INDEX handoffs_accepted_at ON handoffs(accepted_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX handoffs_ended ON handoffs(ended_at) WHERE ended_at IS NOT NULL;

-- +goose Down
DROP INDEX handoffs_ended;
DROP INDEX handoffs_accepted_at;
DROP INDEX handoffs_created;
