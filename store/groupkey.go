package store

import (
	"context"
	"fmt"
	"strings"
)

// GroupKeyPrefix begins every group-room key (GroupKey). Kakao's
// botUserKeys are hex strings without a ':' (spec §2.4), and the skill
// server refuses a user id that begins with it, so no 1:1 user's key is
// ever one.
const GroupKeyPrefix = "g:"

// GroupKey is the key under which a group (team-chat) turn of userKey (the
// botUserKey) in chat room chatID (userRequest.chat) keeps its user row,
// conversation and turns: "g:" + chatID + ":" + userKey. A group bot's
// botUserKey is per bot, not per room, so the room is part of the key: one
// conversation per user and room, apart from the user's 1:1 chat with the
// same bot (whose key is the botUserKey itself). A ':' or '%' in chatID is
// written %3A or %25 (Kakao's ids are hex: never in practice), so the key
// splits at its second ':' back into the two (ParseGroupKey).
func GroupKey(chatID, userKey string) string {
	if strings.ContainsAny(chatID, ":%") {
		chatID = strings.NewReplacer("%", "%25", ":", "%3A").Replace(chatID)
	}
	return GroupKeyPrefix + chatID + ":" + userKey
}

// ParseGroupKey splits a GroupKey back into its chat id and botUserKey; ok
// is false for any other key (a 1:1 user's).
func ParseGroupKey(key string) (chatID, userKey string, ok bool) {
	rest, ok := strings.CutPrefix(key, GroupKeyPrefix)
	if !ok {
		return "", "", false
	}
	chatID, userKey, ok = strings.Cut(rest, ":")
	if !ok || userKey == "" {
		return "", "", false
	}
	if strings.Contains(chatID, "%") {
		chatID = strings.NewReplacer("%25", "%", "%3A", ":").Replace(chatID)
	}
	return chatID, userKey, true
}

// GroupKeys lists the group-room keys (GroupKey) of userKey that have a
// users row, in key order: what erasing userKey must erase besides userKey
// itself (every row a group turn writes is the user row's, or goes with it
// on a retention delete). The SQL only narrows the search to the group keys
// ending in userKey (a range of the users primary key, and instr, which has
// no wildcards); each candidate is then parsed, so a key of another user
// whose botUserKey merely ends in ":" + userKey is never listed.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) GroupKeys(ctx context.Context, userKey string) ([]string, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: group keys: %w", ErrClosed)
	}
	if userKey == "" {
		return nil, nil
	}
	// Keys from "g:" up to (not including) "g;": ';' follows ':' in ASCII.
	hi := GroupKeyPrefix[:len(GroupKeyPrefix)-1] + ";"
	cands, err := queryStrings(ctx, db.r, `SELECT key FROM users WHERE key >= ? AND key < ?
		AND instr(key, ?) > 0 ORDER BY key`, GroupKeyPrefix, hi, ":"+userKey)
	if err != nil {
		return nil, fmt.Errorf("store: group keys: %w", err)
	}
	var out []string
	for _, k := range cands {
		if _, u, ok := ParseGroupKey(k); ok && u == userKey {
			out = append(out, k)
		}
	}
	return out, nil
}
