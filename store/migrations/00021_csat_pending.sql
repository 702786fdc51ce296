-- +goose Up
-- The CSAT question the last reply asked (its source, "reply"), so that the
-- next turn may type its score: '' = none. It rode as the only entry
-- "csat:<source>" of the clarify list before; that entry moves here, from
-- the conversations rows and from journal rows a crash left unapplied
-- (replayed after the migrations).
ALTER TABLE conversations ADD COLUMN csat_pending TEXT NOT NULL DEFAULT '';
UPDATE conversations
SET csat_pending = substr(json_extract(clarify, '$[0]'), 6), clarify = '[]'
WHERE CASE WHEN json_valid(clarify) THEN
    json_type(clarify) = 'array' AND json_array_length(clarify) = 1
    AND json_type(clarify, '$[0]') = 'text' AND substr(json_extract(clarify, '$[0]'), 1, 5) = 'csat:'
ELSE 0 END;
UPDATE conv_journal
SET conv = json_set(conv, '$.c', json('[]'), '$.cp', substr(json_extract(conv, '$.c[0]'), 6))
WHERE CASE WHEN json_valid(conv) THEN
    json_type(conv, '$.c') = 'array' AND json_array_length(conv, '$.c') = 1
    AND json_type(conv, '$.c[0]') = 'text' AND substr(json_extract(conv, '$.c[0]'), 1, 5) = 'csat:'
ELSE 0 END;

-- +goose Down
UPDATE conversations SET clarify = json_array('csat:' || csat_pending)
WHERE csat_pending != '' AND clarify = '[]';
UPDATE conv_journal
SET conv = json_remove(json_set(conv, '$.c', json_array('csat:' || json_extract(conv, '$.cp'))), '$.cp')
WHERE CASE WHEN json_valid(conv) THEN
    coalesce(json_extract(conv, '$.cp'), '') != '' AND json_array_length(conv, '$.c') = 0
ELSE 0 END;
UPDATE conv_journal SET conv = json_remove(conv, '$.cp') WHERE json_valid(conv);
ALTER TABLE conversations DROP COLUMN csat_pending;
