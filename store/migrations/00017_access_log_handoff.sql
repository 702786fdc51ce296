-- +goose Up
-- The access log names the handoff a read was about (read_intake: an admin
-- read of a handoff's intake answers, decrypted from handoff_intake). '' for
-- rows about no handoff. A handoff id is a ULID, nothing of the user, so
-- erasure leaves these rows as they are.
ALTER TABLE access_log ADD COLUMN handoff_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE access_log DROP COLUMN handoff_id;
