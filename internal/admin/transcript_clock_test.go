package admin_test

import (
	"net/url"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestTranscriptShowsTurnsAfterAClockStepBack: a transcript's first page is
// the user's newest turns whatever the clock says now. Turns stamped later
// than the server's clock (it stepped back since, or another node's ran
// ahead) used to be on no page: the first page took the turns up to now.
func TestTranscriptShowsTurnsAfterAClockStepBack(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{})
	manager, _ := f.newToken(t, "상담팀", store.RoleManager)
	key := "clock-talker"
	want := talk(t, db, key, 3, time.Now().Add(time.Hour).UTC().Truncate(time.Second))
	p := f.getPage(t, "/admin/conversations/"+url.PathEscape(key), manager, "turns")
	if diff := gocmp.Diff(want, p.ids); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
}
