package admin_test

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// listed is one page of a list endpoint as the client sees it.
type listed struct {
	ids  []string // the ids on the page, in order
	next string   // next_cursor; "" when absent
	link string   // the Link header
}

// getPage GETs path with token and returns the ids of the key list
// ("tickets", "handoffs", "entries"), next_cursor and the Link header; any
// status but 200 fails the test.
func (f *fixture) getPage(t *testing.T, path, token, key string) listed {
	t.Helper()
	code, header, raw := f.send(t, http.MethodGet, path, token, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: got %d %s, want 200", path, code, raw)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, raw)
	}
	var rows []struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(body[key], &rows); err != nil {
		t.Fatalf("GET %s: %s: %v", path, key, err)
	}
	p := listed{link: header.Get("Link")}
	for _, r := range rows {
		p.ids = append(p.ids, strings.Trim(string(r.ID), `"`))
	}
	if n, ok := body["next_cursor"]; ok {
		if err := json.Unmarshal(n, &p.next); err != nil || p.next == "" {
			t.Fatalf("GET %s: next_cursor %s is not a string", path, n)
		}
	}
	return p
}

// nextLink is the target of a Link rel="next" header, or "".
var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// checkLink checks that p's Link header points at path with p.next as its
// cursor (and none when there is no next page), and returns its target.
func checkLink(t *testing.T, path string, p listed) string {
	t.Helper()
	if p.next == "" {
		if p.link != "" {
			t.Errorf("GET %s: Link %q on the last page, want none", path, p.link)
		}
		return ""
	}
	m := nextLink.FindStringSubmatch(p.link)
	if m == nil {
		t.Fatalf("GET %s: Link got %q, want <...>; rel=\"next\"", path, p.link)
	}
	u, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if u.String() != m[1] {
		t.Errorf("GET %s: Link target %q is not escaped, want %q", path, m[1], u.String())
	}
	if got := u.Query().Get("cursor"); got != p.next {
		t.Errorf("GET %s: Link cursor got %q, want next_cursor %q", path, got, p.next)
	}
	return m[1]
}

// openTickets opens n user tickets for userKey in one transaction, created
// at from, from+step, ... (several tickets share a millisecond when step is
// below one), and returns them.
func openTickets(t *testing.T, db *store.DB, userKey string, n int, from time.Time, step time.Duration) []store.Ticket {
	t.Helper()
	out := make([]store.Ticket, 0, n)
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for i := range n {
			tk := store.Ticket{UserKey: userKey, Queue: "general", Code: "P4G3", Message: "문의 남깁니다",
				CreatedAt: from.Add(time.Duration(i) * step).Truncate(time.Millisecond)}
			op := store.OpenTicketOp(&tk)
			if _, err := tx.Exec(op.SQL, op.Args...); err != nil {
				return err
			}
			out = append(out, tk)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("open tickets: %v", err)
	}
	return out
}

// ticketOrder sorts ts as GET /admin/tickets lists them (oldest first)
// and returns their ids.
func ticketOrder(ts []store.Ticket, desc bool) []string {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b store.Ticket) int {
		c := cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
		if desc {
			return -c
		}
		return c
	})
	ids := make([]string, len(ts))
	for i, tk := range ts {
		ids[i] = tk.ID
	}
	return ids
}

// TestTicketListPaging pages 250 tickets (several to a millisecond) through
// the admin API in pages of 100 while more tickets arrive between pages:
// oldest first every ticket is listed exactly once and in order, the new
// ones at the end; newest first every ticket that was there when paging
// started is listed exactly once, none shifted to a second page. Each
// page writes one read_ticket row per ticket on it.
func TestTicketListPaging(t *testing.T) {
	for _, tc := range []struct {
		name  string
		query string // the first page's
		desc  bool
		link  bool // follow the Link header rather than next_cursor
	}{
		{"oldest first by default, next_cursor", "?limit=100", false, false},
		{"oldest first, Link", "?limit=100&order=asc&status=open", false, true},
		{"newest first, next_cursor", "?order=desc&limit=100", true, false},
		{"newest first, Link", "?limit=100&order=desc", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := testutil.Store(t)
			f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
			manager, managerID := f.newToken(t, "상담팀", store.RoleManager)
			base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			u := testutil.SeedUser(t, db, "paging-user", base.Add(-time.Hour))
			// Drop the seeded tickets: this list is the 250 below.
			if err := db.Write(context.Background(), func(tx *sql.Tx) error {
				_, err := tx.Exec(`DELETE FROM tickets`)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			// Four tickets to a millisecond, and a page boundary inside one.
			all := openTickets(t, db, u.Key, 250, base.Add(500*time.Microsecond), 250*time.Microsecond)
			want := ticketOrder(all, tc.desc)

			var got []string
			path := "/admin/tickets" + tc.query
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatalf("more than 10 pages: got %d ids so far", len(got))
				}
				p := f.getPage(t, path, manager, "tickets")
				if len(p.ids) > 100 {
					t.Fatalf("GET %s: got %d tickets, want at most 100", path, len(p.ids))
				}
				got = append(got, p.ids...)
				if pages == 0 {
					if n := readTicketRows(t, db, managerID); n != len(p.ids) {
						t.Errorf("read_ticket rows after the first page: got %d, want %d (the page's tickets)", n, len(p.ids))
					}
				}
				link := checkLink(t, path, p)
				if p.next == "" {
					break
				}
				// Three newer tickets arrive between pages.
				later := openTickets(t, db, u.Key, 3, base.Add(time.Duration(pages+1)*time.Second), time.Millisecond)
				if !tc.desc {
					all = append(all, later...)
					want = ticketOrder(all, false)
				}
				if tc.link {
					path = link
				} else {
					path = "/admin/tickets?limit=100&cursor=" + url.QueryEscape(p.next)
				}
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("ticket ids paged (-want +got):\n%s", diff)
			}
			var distinct int
			if err := db.ReadDB().QueryRow(`SELECT count(DISTINCT ticket_id) FROM access_log
				WHERE action = ? AND token_id = ?`, store.AccessReadTicket, managerID).Scan(&distinct); err != nil {
				t.Fatal(err)
			}
			if rows := readTicketRows(t, db, managerID); rows != len(got) || distinct != len(got) {
				t.Errorf("read_ticket rows: got %d for %d tickets, want one per ticket listed (%d)", rows, distinct, len(got))
			}
		})
	}
}

// readTicketRows counts the read_ticket rows of token id.
func readTicketRows(t *testing.T, db *store.DB, id string) int {
	t.Helper()
	var n int
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM access_log WHERE action = ? AND token_id = ?`,
		store.AccessReadTicket, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTicketListDefaultPage keeps the answer of a caller that passes none of
// the paging parameters: the 100 oldest tickets under "tickets", now with a
// next_cursor when more follow.
func TestTicketListDefaultPage(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	u := testutil.SeedUser(t, db, "paging-default", base.Add(-time.Hour))
	all := append(openTickets(t, db, u.Key, 130, base, time.Millisecond), store.Ticket{ID: u.TicketIDs[0], CreatedAt: base.Add(-time.Hour)},
		store.Ticket{ID: u.TicketIDs[1], CreatedAt: base.Add(-time.Hour)})
	p := f.getPage(t, "/admin/tickets", bootToken, "tickets")
	if diff := gocmp.Diff(ticketOrder(all, false)[:100], p.ids); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	if p.next == "" {
		t.Errorf("no next_cursor with 132 tickets on a page of 100")
	}
	p = f.getPage(t, "/admin/tickets?cursor="+url.QueryEscape(p.next), bootToken, "tickets")
	if diff := gocmp.Diff(ticketOrder(all, false)[100:], p.ids); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
	if p.next != "" || p.link != "" {
		t.Errorf("last page: got next_cursor %q, Link %q; want neither", p.next, p.link)
	}
}

// TestListPagingBadParameters answers 400 naming the parameter for a cursor
// that is not one, one of another list or order, and a limit or order out
// of range.
func TestListPagingBadParameters(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	u := testutil.SeedUser(t, db, "paging-bad", base)
	openTickets(t, db, u.Key, 3, base, time.Millisecond)
	openHandoffs(t, db, u.Key, 3, base)
	tickets := f.getPage(t, "/admin/tickets?limit=1", bootToken, "tickets").next
	handoffs := f.getPage(t, "/admin/handoffs?state=all&limit=1", bootToken, "handoffs").next
	if tickets == "" || handoffs == "" {
		t.Fatalf("no cursors to misuse: tickets %q, handoffs %q", tickets, handoffs)
	}
	for _, tc := range []struct{ path, word string }{
		{"/admin/tickets?cursor=not-a-cursor", "cursor"},
		{"/admin/tickets?cursor=" + url.QueryEscape(tickets+"x"), "cursor"},
		{"/admin/tickets?cursor=e30", "cursor"}, // {}
		{"/admin/tickets?cursor=" + url.QueryEscape(handoffs), "cursor"},
		{"/admin/handoffs?state=all&cursor=" + url.QueryEscape(tickets), "cursor"},
		{"/admin/tickets?order=desc&cursor=" + url.QueryEscape(tickets), "order"},
		{"/admin/tickets?order=newest", "order"},
		{"/admin/tickets?limit=0", "limit"},
		{"/admin/tickets?limit=501", "limit"},
		{"/admin/tickets?limit=ten", "limit"},
		{"/admin/handoffs?state=all&before=01ZZ&cursor=" + url.QueryEscape(handoffs), "before"},
		{"/admin/handoffs?state=all&before=01ZZ&order=asc", "before"},
		{"/admin/access-log?cursor=" + url.QueryEscape(handoffs), "cursor"},
	} {
		code, body := f.call(t, http.MethodGet, tc.path, bootToken, nil)
		msg, _ := body["error"].(string)
		if code != http.StatusBadRequest || !strings.Contains(msg, tc.word) {
			t.Errorf("GET %s: got %d %v, want 400 naming %s", tc.path, code, body, tc.word)
		}
	}
}

// openHandoffs stores n ended handoffs of userKey, one a second from from,
// and returns their ids (oldest first).
func openHandoffs(t *testing.T, db *store.DB, userKey string, n int, from time.Time) []string {
	t.Helper()
	var ids []string
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for i := range n {
			at := from.Add(time.Duration(i) * time.Second)
			id := store.NewID(at)
			if _, err := tx.Exec(`INSERT INTO handoffs (id, code, user_key, queue, created_at, ended_at, end_reason)
				VALUES (?, ?, ?, 'general', ?, ?, 'agent_link')`, id, fmt.Sprintf("H%03d", i), userKey, at.UnixMilli(), at.UnixMilli()); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("open handoffs: %v", err)
	}
	return ids
}

// pageAll follows the Link rel="next" header from path and returns every
// id listed.
func (f *fixture) pageAll(t *testing.T, path, token, key string) []string {
	t.Helper()
	var got []string
	next := path
	for range 20 {
		p := f.getPage(t, next, token, key)
		got = append(got, p.ids...)
		if next = checkLink(t, next, p); next == "" {
			return got
		}
	}
	t.Fatalf("GET %s: more than 20 pages", path)
	return nil
}

// TestHandoffAccessLogAndReloadPaging pages the handoff list, the access
// log and the reload history with the same cursor as the tickets, both
// orders.
func TestHandoffAccessLogAndReloadPaging(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	u := testutil.SeedUser(t, db, "paging-handoffs", base.Add(-time.Hour))
	asc := append([]string{u.HandoffID}, openHandoffs(t, db, u.Key, 7, base)...)
	desc := slices.Clone(asc)
	slices.Reverse(desc)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/admin/handoffs?state=all&limit=3", desc},
		{"/admin/handoffs?state=all&limit=3&order=desc", desc},
		{"/admin/handoffs?state=all&limit=3&order=asc", asc},
		{"/admin/handoffs?state=all&limit=2&queue=general&order=asc", asc},
		{"/admin/handoffs?state=all&limit=3&before=" + asc[6], desc[2:]},
	} {
		if diff := gocmp.Diff(tc.want, f.pageAll(t, tc.path, bootToken, "handoffs")); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tc.path, diff)
		}
	}

	var rows []string
	for i := range 7 {
		if err := db.LogAccess(context.Background(), store.AccessEntry{At: base.Add(time.Duration(i) * time.Second),
			TokenID: "bootstrap", Role: store.RoleMaster, Action: store.AccessReadConversation, Subject: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := db.ReadDB().Query(`SELECT id FROM access_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id string
		if err := r.Scan(&id); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, id)
	}
	r.Close()
	rdesc := slices.Clone(rows)
	slices.Reverse(rdesc)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/admin/access-log?limit=3", rdesc},
		{"/admin/access-log?limit=2&order=asc", rows},
		{"/admin/access-log?limit=3&subject=s&order=asc", rows},
	} {
		if diff := gocmp.Diff(tc.want, f.pageAll(t, tc.path, bootToken, "entries")); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tc.path, diff)
		}
	}

	var reloads []string
	for i := range 5 {
		if _, err := db.RecordReload(context.Background(), store.Reload{At: base.Add(time.Duration(i) * time.Second),
			By: "SIGHUP", Result: store.ReloadOK}); err != nil {
			t.Fatal(err)
		}
		reloads = append(reloads, fmt.Sprint(i+1))
	}
	rdesc = slices.Clone(reloads)
	slices.Reverse(rdesc)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/admin/reloads?limit=2", rdesc},
		{"/admin/reloads?limit=2&order=asc", reloads},
	} {
		if diff := gocmp.Diff(tc.want, f.pageAll(t, tc.path, bootToken, "reloads")); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tc.path, diff)
		}
	}
}

// talk commits n turns of key, one a second from from, through the store's
// turn path (the user's chain of turns), and returns their ids, oldest
// first.
func talk(t *testing.T, db *store.DB, key string, n int, from time.Time) []string {
	t.Helper()
	var ids []string
	var version int64
	if _, conv, found, err := db.Load(context.Background(), key); err != nil {
		t.Fatal(err)
	} else if found {
		version = conv.Version
	}
	for i := range n {
		at := from.Add(time.Duration(i) * time.Second)
		w := &store.TurnWrite{
			User: store.User{Key: key, BotID: "bot-1!", PlusfriendKey: "pf-" + key, IsFriend: true, FirstSeen: from, LastSeen: at},
			Conv: fsm.Conversation{UserKey: key, State: fsm.StateBot, MenuPath: []string{"main"}, StateSince: from,
				LastTurnAt: at, ConfigVersion: "cfg-1", Version: version},
			Turn: store.Turn{ID: store.NewID(at), UserKey: key, At: at, Block: "text",
				Utterance: fmt.Sprintf("질문 %d", i), Kind: "faq", State: fsm.StateBot},
		}
		if err := db.Commit(context.Background(), w); err != nil {
			t.Fatalf("turn %d: %v", i, err)
		}
		version = w.Conv.Version
		ids = append(ids, w.Turn.ID)
	}
	return ids
}

// TestConversationTurnPaging pages a transcript of 120 turns back from the
// newest, 50 (the default) to a page, shown oldest first within a page,
// while the user keeps talking: every turn is shown exactly once, the new
// ones on no page, and each page is a logged transcript read.
func TestConversationTurnPaging(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{})
	manager, managerID := f.newToken(t, "상담팀", store.RoleManager)
	from := time.Now().Add(-3 * time.Hour).UTC().Truncate(time.Second)
	key := "paging talker+1/ü" // the Link escapes the path as the request did
	want := talk(t, db, key, 120, from)
	other := talk(t, db, "paging-other", 3, from)

	base := "/admin/conversations/" + url.PathEscape(key)
	path := base
	var pages [][]string
	for len(pages) < 10 {
		p := f.getPage(t, path, manager, "turns")
		pages = append(pages, p.ids)
		if path = checkLink(t, path, p); path == "" {
			break
		}
		talk(t, db, key, 2, time.Now().UTC()) // newer turns: on no page of this walk
	}
	if got := []int{len(pages[0]), len(pages[1]), len(pages[2])}; len(pages) != 3 || got[0] != 50 || got[1] != 50 || got[2] != 20 {
		t.Fatalf("pages: got %d pages of %v, want 50, 50, 20", len(pages), got)
	}
	var got []string
	for i := len(pages) - 1; i >= 0; i-- {
		got = append(got, pages[i]...)
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("turns paged back, reassembled oldest first (-want +got):\n%s", diff)
	}
	var reads int
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM access_log WHERE action = ? AND token_id = ?`,
		store.AccessReadConversation, managerID).Scan(&reads); err != nil {
		t.Fatal(err)
	}
	if reads != 3 {
		t.Errorf("read_conversation rows: got %d, want 3 (one per page)", reads)
	}

	// limit sets the page; a cursor of another user's transcript shows none of theirs.
	p := f.getPage(t, base+"?limit=7", manager, "turns")
	if len(p.ids) != 7 || p.next == "" {
		t.Fatalf("limit=7: got %d turns, next %q; want 7 and a cursor", len(p.ids), p.next)
	}
	if q := f.getPage(t, "/admin/conversations/paging-other?cursor="+url.QueryEscape(p.next), manager, "turns"); len(q.ids) != 0 {
		t.Errorf("another user's cursor: got turns %v, want none (theirs are %v)", q.ids, other)
	}
	tickets := cursorOf(t, "tickets")
	for _, tc := range []struct{ query, word string }{
		{"?order=asc", "order"},
		{"?cursor=" + url.QueryEscape(tickets), "cursor"},
		{"?limit=501", "limit"},
	} {
		code, body := f.call(t, http.MethodGet, base+tc.query, manager, nil)
		if msg, _ := body["error"].(string); code != http.StatusBadRequest || !strings.Contains(msg, tc.word) {
			t.Errorf("GET %s: got %d %v, want 400 naming %s", tc.query, code, body, tc.word)
		}
	}
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM access_log WHERE action = ? AND token_id = ?`,
		store.AccessReadConversation, managerID).Scan(&reads); err != nil {
		t.Fatal(err)
	}
	if reads != 5 {
		t.Errorf("read_conversation rows: got %d, want 5 (a refused request reads nothing)", reads)
	}
}

// cursorOf makes a well-formed cursor of list, as a page of it would give.
func cursorOf(t *testing.T, list string) string {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"l": list, "o": "asc", "n": 1, "s": "01ZZ"})
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}
