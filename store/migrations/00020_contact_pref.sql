-- +goose Up
-- How the user asked to be answered instead of a call, said at a handoff
-- intake field or at a ticket's call-back number prompt ("문자로 주세요",
-- "문자도 괜찮아요", "카톡으로 주세요"): 'sms' (a text message to the
-- number), 'chat' (the answer in the KakaoTalk chat) or '' (nothing said,
-- and every row written before this migration). Not personal data: the
-- number itself stays sealed in handoff_intake or contacts.
ALTER TABLE handoffs ADD COLUMN contact_pref TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN contact_pref TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tickets DROP COLUMN contact_pref;
ALTER TABLE handoffs DROP COLUMN contact_pref;
