-- +goose Up
-- User-left tickets: the intake in progress rides on the conversation, each
-- ticket gets the 접수번호 the user was shown, the router records which sink
-- was told about which ticket, and the waiting ETA reads recent acceptances.

-- A ticket intake in progress (after_hours): '' = none, else a JSON object
-- {"step": "message"|"contact", "message": <masked text held for the contact step>}.
ALTER TABLE conversations ADD COLUMN intake TEXT NOT NULL DEFAULT '';

-- The short code shown to the user ("접수번호 A7K2") and to agents.
ALTER TABLE tickets ADD COLUMN code TEXT NOT NULL DEFAULT '';
-- Bot-test / development-channel traffic (told to sinks as "test": true).
ALTER TABLE tickets ADD COLUMN test INTEGER NOT NULL DEFAULT 0;

-- Which notify sink has been told about a ticket: the router skips a
-- (ticket, target) pair already recorded when JetStream redelivers.
CREATE TABLE ticket_deliveries (
    ticket_id    TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    target       TEXT NOT NULL, -- "notify:<n>:<kind>"
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, target)
) WITHOUT ROWID;

-- Recent acceptances per queue (waiting ETA; covering) and the sessions a
-- human holds now.
CREATE INDEX handoffs_accepted ON handoffs(queue, accepted_at, created_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX handoffs_serving ON handoffs(queue, accepted_at) WHERE accepted_at IS NOT NULL AND ended_at IS NULL;

-- +goose Down
DROP INDEX handoffs_serving;
DROP INDEX handoffs_accepted;
DROP TABLE ticket_deliveries;
ALTER TABLE tickets DROP COLUMN test;
ALTER TABLE tickets DROP COLUMN code;
ALTER TABLE conversations DROP COLUMN intake;
