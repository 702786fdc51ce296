-- +goose Up
-- A turn's write is append-only: the turn row and a journal row with the
-- conversation (and, when it changed, the user) as they stand after the turn.
-- The users and conversations rows are written from the writer's cache a few
-- seconds later, once per user however many turns came in between, and the
-- journal rows are deleted then; at open, journal rows left by a crash are
-- applied first. So a turn dirties the last pages of two tables instead of
-- random pages of five b-trees.
CREATE TABLE conv_journal (
    seq      INTEGER PRIMARY KEY,
    user_key TEXT NOT NULL,
    version  INTEGER NOT NULL,  -- the conversation's version after the turn
    conv     TEXT NOT NULL,     -- JSON: the conversation row's columns
    user     TEXT               -- JSON: the users row's columns, when they changed
);

-- turns loses its (user_key, at) index and its foreign key (every turn dirtied
-- a random index page; erasure and retention delete turns themselves). A
-- user's turns form a chain instead: prev is the rowid of the user's previous
-- turn, and conversations.last_turn the rowid of the latest.
CREATE TABLE turns_new (
    id        TEXT PRIMARY KEY, -- ULID
    user_key  TEXT NOT NULL,
    at        INTEGER NOT NULL,
    block     TEXT NOT NULL DEFAULT '',
    utterance TEXT NOT NULL DEFAULT '', -- masked
    kind      TEXT NOT NULL DEFAULT '',
    node      TEXT NOT NULL DEFAULT '',
    score     REAL NOT NULL DEFAULT 0,
    state     TEXT NOT NULL DEFAULT '',
    test      INTEGER NOT NULL DEFAULT 0,
    prev      INTEGER NOT NULL DEFAULT 0  -- rowid of the user's previous turn (0: none)
);
INSERT INTO turns_new (rowid, id, user_key, at, block, utterance, kind, node, score, state, test, prev)
SELECT rowid, id, user_key, at, block, utterance, kind, node, score, state, test,
    coalesce(lag(rowid) OVER (PARTITION BY user_key ORDER BY at, rowid), 0)
FROM turns;
DROP TABLE turns;
ALTER TABLE turns_new RENAME TO turns;
-- Retention and the unanswered-questions report read turns by time.
CREATE INDEX turns_at ON turns(at);

ALTER TABLE conversations ADD COLUMN last_turn INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET last_turn = coalesce(
    (SELECT t.rowid FROM turns t WHERE t.user_key = conversations.user_key ORDER BY t.at DESC, t.rowid DESC LIMIT 1), 0);

-- +goose Down
ALTER TABLE conversations DROP COLUMN last_turn;
CREATE TABLE turns_old (
    id        TEXT PRIMARY KEY,
    user_key  TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    block     TEXT NOT NULL DEFAULT '',
    utterance TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',
    node      TEXT NOT NULL DEFAULT '',
    score     REAL NOT NULL DEFAULT 0,
    state     TEXT NOT NULL DEFAULT '',
    test      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO turns_old (rowid, id, user_key, at, block, utterance, kind, node, score, state, test)
SELECT rowid, id, user_key, at, block, utterance, kind, node, score, state, test FROM turns
WHERE user_key IN (SELECT key FROM users);
DROP TABLE turns;
ALTER TABLE turns_old RENAME TO turns;
CREATE INDEX turns_user_at ON turns(user_key, at);
DROP TABLE conv_journal;
