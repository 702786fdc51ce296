package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
)

// TestBlankAdminTokenSignsNoLinks: the admin API reads BATON_ADMIN_TOKEN
// trimmed (an env file's stray space or newline), so a token of blanks is
// no bootstrap master. serve reads it trimmed once and uses that value
// everywhere: handoff.LinkKey (the key of links signed before link.key, and
// of the access log's subjects) derives a key from any non-empty string,
// and one derived from "   " is a key anyone can compute. With a blank
// token nothing is keyed by it, so an accept link signed with
// HMAC("   ", ...) is ErrBadLink.
func TestBlankAdminTokenSignsNoLinks(t *testing.T) {
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = "   "
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.DiscardHandler), env.configure)
	key := hmac.New(sha256.New, []byte("   "))
	key.Write([]byte("baton link key v1"))
	forged := handoff.NewLinks(key.Sum(nil), "").Token("01JBLANKADMINTOKENFORGED1", handoff.LinkAccept, time.Now().Add(time.Hour))
	if id, _, err := m.Links.Parse(forged); !errors.Is(err, handoff.ErrBadLink) {
		t.Errorf("accept link signed with a key derived from a blank BATON_ADMIN_TOKEN: got handoff %q, err %v; want ErrBadLink (the admin API treats the blank token as unset, so nothing should be keyed by it)", id, err)
	}
}
