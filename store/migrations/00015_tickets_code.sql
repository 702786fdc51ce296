-- +goose Up
-- Agents find a ticket by the code the user was shown (GET /admin/tickets?code=),
-- as they find handoffs (handoffs_code). Codes are not unique.
CREATE INDEX tickets_code ON tickets(code);

-- +goose Down
DROP INDEX tickets_code;
