-- +goose Up
-- What the reports need to tell a team lead apart (baton report, GET
-- /admin/report/unanswered).
--
-- turns.source: how the user's side of the turn came in (fsm.InputKind):
-- text, tap, knowledge and mapped are a user's turns; welcome, returned (a
-- dealer's end-with-bot block) and event (an Event API block) are not. ''
-- for turns written before this migration: the report then goes by the
-- turn's kind.
ALTER TABLE turns ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- handoffs.csat_asked: 'reply' when the user's turn that ended the human
-- session asked the CSAT question in its reply; '' otherwise (a question
-- sent by the Event API is its notifications row, kind csat).
ALTER TABLE handoffs ADD COLUMN csat_asked TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE handoffs DROP COLUMN csat_asked;
ALTER TABLE turns DROP COLUMN source;
