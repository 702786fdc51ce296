-- +goose Up
-- The latest session.ended a dealer reported for a user (dealer contract
-- §3.1): an event that would open an external handoff (session.started,
-- agent.assigned) and is not dated after that end is late news about the
-- ended session (say a retry of an event Baton answered 500, delivered
-- after the dealer's session.ended) and opens nothing, so no external
-- handoff is left open that no session.ended will ever close. Kept for the
-- dealer events' 24 h dedupe window (pruned with dealer_events); a user's
-- rows go with the user (erasure, users retention).
CREATE TABLE dealer_session_ends (
    dealer      TEXT NOT NULL,
    user_key    TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    ended_at    INTEGER NOT NULL, -- unix ms: the event's "at", else when Baton received it
    received_at INTEGER NOT NULL, -- unix ms: when Baton received it (the window, pruning)
    PRIMARY KEY (user_key, dealer) -- user first: the erasure and the users' cascade delete by user_key
) WITHOUT ROWID;
CREATE INDEX dealer_session_ends_received ON dealer_session_ends(received_at);

-- +goose Down
DROP TABLE dealer_session_ends;
