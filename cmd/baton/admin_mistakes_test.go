package main

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestAdminCallerMistakesAre4xx sends every admin route the mistakes a
// caller makes — bad ids, bad query values, bad or trailing JSON, empty and
// blank bodies, unknown enum values, out-of-range limits — and checks each
// gets the 4xx that names it, never a 5xx, and never a 200 that quietly did
// something else (listed everything, cleared nothing, answered blank).
func TestAdminCallerMistakesAre4xx(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)
	ctx := context.Background()
	now := time.Now().UTC()
	hid := store.NewID(now)
	if err := m.DB.Commit(ctx, &store.TurnWrite{
		User: store.User{Key: "mistake-user", FirstSeen: now, LastSeen: now},
		Conv: fsm.Conversation{UserKey: "mistake-user", State: fsm.StateWaiting, Queue: "general", HandoffID: hid},
		Turn: store.Turn{ID: store.NewID(now), At: now, Block: "text", State: fsm.StateWaiting},
		OpenHandoff: &store.Handoff{ID: hid, Code: "M1S2", UserKey: "mistake-user", Queue: "general",
			Target: "notify", Reason: "keyword", CreatedAt: now},
		Ops: []store.Op{store.ScheduleTimerOp(store.Timer{Kind: store.TimerWaitTimeout, ID: hid,
			UserKey: "mistake-user", HandoffID: hid, DueAt: now.Add(time.Hour)})},
	}); err != nil {
		t.Fatal(err)
	}
	tk := store.Ticket{UserKey: "mistake-user", Queue: "general", Reason: "user_message", Status: store.TicketStatusOpen,
		CreatedAt: now, Code: "T7K3", Message: "배송 문의"}
	if _, err := m.DB.OpenTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	ts, err := m.DB.ListTickets(ctx, store.TicketFilter{Limit: 1})
	if err != nil || len(ts) != 1 {
		t.Fatalf("the ticket: got %v, %v", ts, err)
	}
	tid := ts[0].ID
	const noID = "01JD0000000000000000000000"

	for _, tc := range []struct {
		name, method, path, body string
		want                     int
		msg                      string // a part of the error
	}{
		// Bodies.
		{"no body for a token", "POST", "/admin/tokens", "", 400, "name is required"},
		{"cut JSON", "POST", "/admin/tokens", `{"name":"a"`, 400, "invalid JSON body"},
		{"JSON then more", "POST", "/admin/tokens", `{"name":"a","role":"manager"} {"role":"master"}`, 400, "more follows"},
		{"JSON then garbage", "POST", "/admin/tokens", `{"name":"a","role":"manager"} x`, 400, "more follows"},
		{"an array", "POST", "/admin/tokens", `[]`, 400, "invalid JSON body"},
		{"a wrong type", "POST", "/admin/tokens", `{"name":5,"role":"manager"}`, 400, "invalid JSON body"},
		{"an unknown field", "POST", "/admin/tokens", `{"name":"a","role":"manager","admin":true}`, 400, "unknown field"},
		{"an unknown role", "POST", "/admin/tokens", `{"name":"a","role":"owner"}`, 400, "role must be"},
		{"a blank name", "POST", "/admin/tokens", `{"name":"\u200b ","role":"manager"}`, 400, "name is required"},
		{"a body over 64 KB", "POST", "/admin/tokens", `{"name":"` + strings.Repeat("가", 30000) + `","role":"manager"}`, 413, "too large"},
		{"a blank assignee", "POST", "/admin/tickets/" + tid + "/assign", `{"assignee":"  "}`, 400, "assignee is required"},
		{"an answer of a zero-width space", "POST", "/admin/tickets/" + tid + "/answer", `{"answer":"\u200b"}`, 400, "answer is required"},
		{"an answer of a byte order mark", "POST", "/admin/tickets/" + tid + "/answer", `{"answer":"\ufeff\n"}`, 400, "answer is required"},
		{"an answer of a Hangul filler", "POST", "/admin/tickets/" + tid + "/answer", `{"answer":"\u3164"}`, 400, "answer is required"},
		{"an answer with garbage after it", "POST", "/admin/tickets/" + tid + "/answer", `{"answer":"네"}}`, 400, "more follows"},
		{"an unknown override mode", "POST", "/admin/hours/override", `{"queue":"*","mode":"shut"}`, 400, "mode must be"},
		{"an override until yesterday", "POST", "/admin/hours/override", `{"queue":"*","mode":"open","until":"2001-01-01T00:00:00Z"}`, 400, "in the past"},
		{"an override until no date", "POST", "/admin/hours/override", `{"queue":"*","mode":"open","until":"tomorrow"}`, 400, "RFC 3339"},
		{"an override of an unknown queue", "POST", "/admin/hours/override", `{"queue":"genral","mode":"open"}`, 404, "no such queue"},

		// A body where a route takes none: it would look recorded.
		{"a reason to close", "POST", "/admin/tickets/" + tid + "/close", `{"reason":"spam"}`, 400, "POST /admin/tickets/{id}/close takes no body (its fields: none); send none or {}, got the fields \"reason\""},
		{"a reason to end", "POST", "/admin/handoffs/" + hid + "/end", `{"reason":"spam"}`, 400, "POST /admin/handoffs/{id}/end takes no body (its fields: none)"},
		{"a reason to accept", "POST", "/admin/handoffs/" + hid + "/accept", `{"agent":"kim"}`, 400, "takes no body"},
		{"a ttl for links", "POST", "/admin/handoffs/" + hid + "/links", `{"ttl":"1d"}`, 400, "takes no body"},
		{"a path to reload", "POST", "/admin/reload", `{"path":"/etc/other.yaml"}`, 400, "POST /admin/reload takes no body"},
		{"a reason to erase", "DELETE", "/admin/users/mistake-user", `{"reason":"gdpr"}`, 400, "DELETE /admin/users/{key} takes no body"},
		{"a reason to revoke", "DELETE", "/admin/tokens/" + noID, `{"reason":"leaked"}`, 400, "takes no body"},
		{"a queue in the clear's body", "DELETE", "/admin/hours/override", `{"queue":"general"}`, 400, "DELETE /admin/hours/override takes no body"},
		{"a filter in a list's body", "GET", "/admin/tickets", `{"status":"open"}`, 400, "GET /admin/tickets takes no body"},
		{"a report's body", "GET", "/admin/report/unanswered", `{"since":"1d"}`, 400, "GET /admin/report/unanswered takes no body"},
		{"a body that is no object", "POST", "/admin/tickets/" + tid + "/close", `"now"`, 400, "got a body that is not a JSON object"},
		{"null for no body", "POST", "/admin/tickets/" + tid + "/close", `null`, 400, "takes no body"},
		{"{} then more", "POST", "/admin/tickets/" + tid + "/close", `{} {"reason":"spam"}`, 400, "more after the JSON object"},
		{"no body, over 64 KB", "POST", "/admin/tickets/" + tid + "/close", `{"reason":"` + strings.Repeat("가", 30000) + `"}`, 413, "too large"},

		// Ids.
		{"an unknown token id", "DELETE", "/admin/tokens/" + noID, "", 404, "no such"},
		{"an unknown handoff", "GET", "/admin/handoffs/" + noID, "", 404, "no such handoff"},
		{"a handoff id that is no ULID", "GET", "/admin/handoffs/%FF%00", "", 404, "no such handoff"},
		{"accept an unknown handoff", "POST", "/admin/handoffs/" + noID + "/accept", "", 404, "no such handoff"},
		{"end an unknown handoff", "POST", "/admin/handoffs/" + noID + "/end", "", 404, "no such handoff"},
		{"links of an unknown handoff", "POST", "/admin/handoffs/" + noID + "/links", "", 404, "no such handoff"},
		{"intake of an unknown handoff", "GET", "/admin/handoffs/" + noID + "/intake", "", 404, "no such handoff"},
		{"an unknown ticket", "GET", "/admin/tickets/" + noID, "", 404, "no such ticket"},
		{"assign an unknown ticket", "POST", "/admin/tickets/" + noID + "/assign", `{"assignee":"김상담"}`, 404, "no such ticket"},
		{"answer an unknown ticket", "POST", "/admin/tickets/" + noID + "/answer", `{"answer":"네"}`, 404, "no such ticket"},
		{"close an unknown ticket", "POST", "/admin/tickets/" + noID + "/close", "", 404, "no such ticket"},
		{"contact of an unknown ticket", "GET", "/admin/tickets/" + noID + "/contact", "", 404, "no such ticket"},
		{"contact of a ticket without one", "GET", "/admin/tickets/" + tid + "/contact", "", 404, "no contact"},
		{"an unknown user", "GET", "/admin/conversations/nobody", "", 404, "no such user"},
		{"clear the override of an unknown queue", "DELETE", "/admin/hours/override?queue=genral", "", 404, "no such queue"},
		{"clear the override of a queue name that cannot be", "DELETE", "/admin/hours/override?queue=Gen!", "", 400, "queue must be"},

		// Query values.
		{"an unknown handoff state", "GET", "/admin/handoffs?state=closed", "", 400, "state must be"},
		{"an unknown ticket status", "GET", "/admin/tickets?status=done", "", 400, "status must be"},
		{"limit 0", "GET", "/admin/handoffs?limit=0", "", 400, "limit must be"},
		{"limit 501", "GET", "/admin/tickets?limit=501", "", 400, "limit must be"},
		{"a limit past int64", "GET", "/admin/reloads?limit=99999999999999999999", "", 400, "limit must be"},
		{"a limit that is no number", "GET", "/admin/access-log?limit=ten", "", 400, "limit must be"},
		{"a transcript limit 0", "GET", "/admin/conversations/mistake-user?limit=0", "", 400, "limit must be"},
		{"an unknown order", "GET", "/admin/handoffs?order=newest", "", 400, "order must be"},
		{"a transcript oldest first", "GET", "/admin/conversations/mistake-user?order=asc", "", 400, "order"},
		{"a cursor that is none", "GET", "/admin/tickets?cursor=abc", "", 400, "cursor"},
		{"another list's cursor", "GET", "/admin/handoffs?cursor=eyJsIjoidGlja2V0cyIsIm8iOiJhc2MiLCJuIjoxLCJzIjoieCJ9", "", 400, "cursor"},
		{"before with a cursor", "GET", "/admin/handoffs?before=" + noID + "&cursor=eyJsIjoiaGFuZG9mZnMiLCJvIjoiZGVzYyIsInMiOiIwMUpEMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCJ9", "", 400, "before and cursor"},
		{"a handoffs before that is no id", "GET", "/admin/handoffs?before=last", "", 400, "before must be a handoff id"},
		{"a handoffs before past the ULID range", "GET", "/admin/handoffs?before=ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "", 400, "before must be a handoff id"},
		{"a handoffs before with a letter ULIDs lack", "GET", "/admin/handoffs?before=01JD000000000000000000000U", "", 400, "before must be a handoff id"},
		{"a handoffs before of all handoffs", "GET", "/admin/handoffs?state=all&before=" + noID + "0", "", 400, "before must be a handoff id"},
		{"an access log before that is no id", "GET", "/admin/access-log?before=last", "", 400, "before must be"},
		{"an access log before 0", "GET", "/admin/access-log?before=0", "", 400, "before must be"},
		{"an access log before below 0", "GET", "/admin/access-log?before=-5", "", 400, "before must be"},
		{"a cursor with a bad escape", "GET", "/admin/handoffs?cursor=%ZZ", "", 400, "query string"},
		{"a queue with a bad escape", "GET", "/admin/tickets?status=open&queue=vip%", "", 400, "query string"},
		{"a semicolon for an ampersand", "GET", "/admin/handoffs?state=all;queue=vip", "", 400, "query string"},
		{"a report since no duration", "GET", "/admin/report/unanswered?since=week", "", 400, "since must be"},
		{"a report since 0", "GET", "/admin/report/unanswered?since=0s", "", 400, "since must be"},
		{"a report since past time.Duration", "GET", "/admin/report/unanswered?since=99999999999d", "", 400, "since must be"},
		{"a report limit 0", "GET", "/admin/report/unanswered?limit=0", "", 400, "limit must be"},
		{"handoffs of a queue the config does not have", "GET", "/admin/handoffs?queue=genral", "", 400, `no queue "genral" in the config: its queues are general, vip`},
		{"tickets of a queue the config does not have", "GET", "/admin/tickets?status=open&queue=genral", "", 400, `no queue "genral"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, raw := adminRaw(t, m, e2eAdminToken, tc.method, tc.path, tc.body)
			var body map[string]any
			_ = json.Unmarshal(raw, &body)
			msg, _ := body["error"].(string)
			if code != tc.want || !strings.Contains(msg, tc.msg) {
				t.Errorf("%s %s %.80q: got %d %.300s, want %d with an error saying %q", tc.method, tc.path, tc.body, code, raw, tc.want, tc.msg)
			}
		})
	}

	// Nothing above changed the ticket or the handoff or left an override.
	got, ok, err := m.DB.TicketByID(ctx, tid)
	if err != nil || !ok || got.Status != store.TicketStatusOpen || got.Assignee != "" || got.Answer != "" {
		t.Errorf("the ticket after the mistakes: got %+v, %v, %v; want it open, unassigned and unanswered", got, ok, err)
	}
	if h, ok, err := m.DB.Handoff(ctx, hid); err != nil || !ok || !h.AcceptedAt.IsZero() || !h.EndedAt.IsZero() {
		t.Errorf("the handoff after the mistakes: got %+v, %v, %v; want it waiting", h, ok, err)
	}
	if code, body := adminAs(t, m, e2eAdminToken, http.MethodGet, "/admin/hours/override", ""); code != http.StatusOK || body["overrides"] == nil || len(body["overrides"].([]any)) != 0 {
		t.Errorf("overrides after the mistakes: got %d %v, want none", code, body)
	}
	// The same values, given right, work.
	for _, ok := range []struct{ method, path, body string }{
		{"GET", "/admin/access-log?before=1000", ""},
		{"GET", "/admin/handoffs?state=all&queue=general", ""},
		{"GET", "/admin/handoffs?queue=vip", ""}, // a queue of the config, nobody waiting
		{"GET", "/admin/tickets?queue=vip", ""},
		{"DELETE", "/admin/hours/override?queue=general", ""},
		{"GET", "/admin/report/unanswered?since=106751d", ""},
		{"POST", "/admin/tickets/" + tid + "/answer", "{\"answer\":\"\u200b내일 도착합니다.\"}\n"},
		{"POST", "/admin/tickets/" + tid + "/close", " {} \n"}, // no body, as some clients send it
		{"POST", "/admin/handoffs/" + hid + "/links", "\r\n"},
		{"DELETE", "/admin/hours/override?queue=vip", "{\n}"},
		{"GET", "/admin/whoami", "{}"},
	} {
		if code, raw := adminRaw(t, m, e2eAdminToken, ok.method, ok.path, ok.body); code != http.StatusOK {
			t.Errorf("%s %s: got %d %.300s, want 200", ok.method, ok.path, code, raw)
		}
	}
	// ?before= in lower case is the id it spells: the handoff is listed
	// before an id of an hour later, not before one of an hour earlier.
	for _, tc := range []struct {
		before time.Time
		want   int
	}{{now.Add(time.Hour), 1}, {now.Add(-time.Hour), 0}} {
		path := "/admin/handoffs?state=all&before=" + strings.ToLower(store.NewID(tc.before))
		code, body := adminAs(t, m, e2eAdminToken, http.MethodGet, path, "")
		if l, _ := body["handoffs"].([]any); code != http.StatusOK || len(l) != tc.want {
			t.Errorf("GET %s: got %d %v, want 200 with %d handoffs", path, code, body, tc.want)
		}
	}
	adminEraseSameTables(t, m, "mistake-user")
}

// adminEraseSameTables erases a user with a handoff (withHandoff), one
// with only a turn, and a key Baton never saw, and checks the three
// answers list the same tables, the unknown key's with 0 rows each: a tool
// can rely on the shape.
func adminEraseSameTables(t *testing.T, m *Main, withHandoff string) {
	t.Helper()
	now := time.Now().UTC()
	if err := m.DB.Commit(context.Background(), &store.TurnWrite{
		User: store.User{Key: "turn-only-user", FirstSeen: now, LastSeen: now},
		Conv: fsm.Conversation{UserKey: "turn-only-user", State: fsm.StateBot},
		Turn: store.Turn{ID: store.NewID(now), At: now, Block: "text", State: fsm.StateBot},
	}); err != nil {
		t.Fatal(err)
	}
	tables := func(key string, erased bool) (map[string]any, []string) {
		t.Helper()
		code, body := adminAs(t, m, e2eAdminToken, http.MethodDelete, "/admin/users/"+key, "")
		rows, _ := body["rows"].(map[string]any)
		if code != http.StatusOK || body["erased"] != erased || len(rows) == 0 {
			t.Fatalf("erase %s: got %d %v, want 200, erased %v and the rows per table", key, code, body, erased)
		}
		names := slices.Sorted(maps.Keys(rows))
		return rows, names
	}
	_, want := tables(withHandoff, true)
	if !slices.Contains(want, "handoff_deliveries") || !slices.Contains(want, "handoff_agents") {
		t.Fatalf("erase %s: tables %v, want the handoff tables among them", withHandoff, want)
	}
	if _, got := tables("turn-only-user", true); !slices.Equal(got, want) {
		t.Errorf("erase a user without handoffs: tables %v, want those of a user with one: %v", got, want)
	}
	rows, got := tables("nobody-ever-seen", false)
	if !slices.Equal(got, want) {
		t.Errorf("erase an unknown key: tables %v, want those of a known key: %v", got, want)
	}
	for table, n := range rows {
		if n != 0.0 {
			t.Errorf("erase an unknown key: %s %v rows, want 0", table, n)
		}
	}
}
