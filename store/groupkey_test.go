package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestGroupKeyRoundTrip: a group key splits back into its room and user,
// whatever ':' or '%' they hold, and a 1:1 key (a botUserKey) is none.
func TestGroupKeyRoundTrip(t *testing.T) {
	for _, c := range []struct{ chat, user string }{
		{"a1b2c3", "4f3e2d"},
		{"", "u1"},
		{"room:with:colons", "user:with:colons"},
		{"100%3A", "u%25"},
		{"%", ":"},
	} {
		k := GroupKey(c.chat, c.user)
		chat, user, ok := ParseGroupKey(k)
		if !ok || chat != c.chat || user != c.user {
			t.Errorf("ParseGroupKey(GroupKey(%q, %q) = %q) = %q, %q, %v", c.chat, c.user, k, chat, user, ok)
		}
	}
	if got := GroupKey("a1b2c3", "4f3e2d"); got != "g:a1b2c3:4f3e2d" {
		t.Errorf("GroupKey of hex ids: %q, want g:a1b2c3:4f3e2d", got)
	}
	for _, k := range []string{"4f3e2d", "", "g:", "g:room", "g:room:", "G:room:u"} {
		if _, _, ok := ParseGroupKey(k); ok {
			t.Errorf("ParseGroupKey(%q): ok, want not a group key", k)
		}
	}
}

// TestGroupKeys: GroupKeys lists exactly the group-room keys of a user: not
// the user's own key, not another user's whose key ends in ":" + theirs or
// who writes in a room named like it, and LIKE wildcards in a key match
// nothing but themselves.
func TestGroupKeys(t *testing.T) {
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	at := time.Now().UTC()
	const u = "u_1%"
	want := []string{GroupKey("room-a", u), GroupKey("room:b", u), GroupKey("", u)}
	others := []string{
		u,                             // the 1:1 row
		GroupKey("room-a", "x:"+u),    // a user whose key ends in ":" + u
		GroupKey("room-a", "x"+u),     // ... or in u
		GroupKey(u, "v"),              // another user in a room named u
		GroupKey("room-a", "u11%"),    // '_' is no wildcard
		GroupKey("room-a", "u_1%9"),   // '%' is none either
		GroupKey("room-a", u+":tail"), // u followed by more
	}
	for i, k := range append(slices.Clone(want), others...) {
		if err := db.Commit(ctx, testTurn(k, 0, at.Add(time.Duration(i)*time.Millisecond))); err != nil {
			t.Fatalf("commit %s: %v", k, err)
		}
	}
	got, err := db.GroupKeys(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("GroupKeys(%q) = %q, want %q", u, got, want)
	}
	if got, err := db.GroupKeys(ctx, "nobody"); err != nil || len(got) != 0 {
		t.Errorf("GroupKeys of an unknown user: %q, %v; want none", got, err)
	}
}
