-- +goose Up
-- Handoff intake answers (handoff.queues.<q>.intake): one row per answered
-- field, sealed with the contact key (AES-256-GCM, handoff id and field name
-- as additional data), kept for retention.contacts. A row is written in the
-- turn the user answers, under the handoff id reserved when the intake
-- started, so it exists before its handoffs row does (hence no foreign key);
-- an intake that ends without a handoff deletes its rows.
CREATE TABLE handoff_intake (
    handoff_id TEXT NOT NULL,
    name       TEXT NOT NULL,              -- the field: context.intake.<name>
    user_key   TEXT NOT NULL,
    ciphertext BLOB NOT NULL,
    pii        INTEGER NOT NULL DEFAULT 0, -- only notify sinks with pii: true get it
    created_at INTEGER NOT NULL,
    PRIMARY KEY (handoff_id, name)
);
CREATE INDEX handoff_intake_user ON handoff_intake(user_key);
CREATE INDEX handoff_intake_created ON handoff_intake(created_at);

-- +goose Down
DROP TABLE handoff_intake;
