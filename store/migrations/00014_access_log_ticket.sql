-- +goose Up
-- The access log names the ticket a read was about (read_ticket,
-- read_contact): who read which ticket's contact number is the audit trail of
-- a decryption. '' for rows about no ticket. A ticket id is a ULID, nothing of
-- the user, so erasure leaves these rows as they are.
ALTER TABLE access_log ADD COLUMN ticket_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE access_log DROP COLUMN ticket_id;
