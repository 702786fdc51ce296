-- +goose Up
-- 00013 linked each user's turns in the order of their times (at, then
-- rowid) and took the latest by time as conversations.last_turn. Where the
-- wall clock had stepped back between two turns of a user, that made a link
-- that goes forward (prev >= rowid), which the chain walk never follows
-- (store/delivery.go chainLinkSQL): the turns past it dropped out of the
-- user's transcripts, of every later turn's chain and of the users-retention
-- prune. The writer links a turn to the one taken before it, the user's
-- largest rowid, so only those users' chains are rebuilt here, in rowid
-- order (the order the single writer appended them), and their last_turn is
-- their largest rowid. Users without such a link are left as they are.
CREATE TEMP TABLE chain_fix AS
    SELECT DISTINCT user_key FROM turns WHERE prev > 0 AND prev >= rowid;
UPDATE turns SET prev = c.p
FROM (SELECT rowid AS r, coalesce(lag(rowid) OVER (PARTITION BY user_key ORDER BY rowid), 0) AS p
      FROM turns WHERE user_key IN (SELECT user_key FROM chain_fix)) AS c
WHERE turns.rowid = c.r AND turns.prev <> c.p;
UPDATE conversations SET last_turn = coalesce(
    (SELECT max(t.rowid) FROM turns t WHERE t.user_key = conversations.user_key), 0)
WHERE user_key IN (SELECT user_key FROM chain_fix);
DROP TABLE chain_fix;

-- +goose Down
-- Nothing to undo: the chains stay in the order the turns were taken.
SELECT 1;
