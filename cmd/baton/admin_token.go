package main

import (
	"log/slog"
	"unicode/utf8"
)

// minAdminTokenLen is the length below which BATON_ADMIN_TOKEN is called
// weak: 24 random base64 characters are 144 bits.
const minAdminTokenLen = 24

// warnWeakAdminToken logs, without the token, that BATON_ADMIN_TOKEN is set
// but shorter than minAdminTokenLen. The token is the bootstrap master of
// the admin API and keys the access log's user subjects (an HMAC stored in
// baton.db), so a short one can be guessed offline by whoever holds a copy
// of the database. Accept/end links no longer depend on it (link.key).
func warnWeakAdminToken(log *slog.Logger, token string) {
	if token == "" || utf8.RuneCountInString(token) >= minAdminTokenLen {
		return
	}
	log.Warn("admin: BATON_ADMIN_TOKEN is short; use a long random value such as the output of `openssl rand -base64 32`",
		"length", utf8.RuneCountInString(token), "min", minAdminTokenLen)
}
