-- +goose Up
-- Where a user was when they left a message (user_message tickets): the
-- bot reply that offered 메시지 남기기 or why the conversation went to
-- after_hours — 'faq', 'no_match', 'menu', 'complaint', 'keyword',
-- 'wait_timeout', 'max_waiting', 'after_hours' (fsm.TicketOrigin*). ''
-- on every other reason's ticket and on every row written before this
-- migration: the origin is unknown there, and readers show none.
ALTER TABLE tickets ADD COLUMN origin TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tickets DROP COLUMN origin;
