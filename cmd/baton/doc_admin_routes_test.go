package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/fsm"
)

// docAdminRoute is one row of the route table of docs/admin-api.md.
type docAdminRoute struct {
	route string // "METHOD /admin/path/{param}"
	role  string // the role column: "master", or "any" (and more words)
}

var docRouteRE = regexp.MustCompile("^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^`?\\s]*)[^|]*\\| ([^|]*)\\|")

// docAdminRoutes returns the rows of the "## Routes" table of
// docs/admin-api.md.
func docAdminRoutes(t *testing.T) []docAdminRoute {
	t.Helper()
	var out []docAdminRoute
	for _, line := range strings.Split(docSection(t, "docs/admin-api.md", "## Routes"), "\n") {
		// A \| inside a cell is a literal pipe (state=open\|all).
		if m := docRouteRE.FindStringSubmatch(strings.ReplaceAll(line, `\|`, "/")); m != nil {
			out = append(out, docAdminRoute{route: m[1] + " " + m[2], role: strings.TrimSpace(m[3])})
		}
	}
	if len(out) < 20 {
		t.Fatalf("docs/admin-api.md: found %d routes in the table, want every route", len(out))
	}
	return out
}

// TestAdminRoutesAsDocumented calls every route of the table in
// docs/admin-api.md on the real server, with the documented method, as the
// documented role, and checks the documented status and answer fields; a
// manager gets 403 from the master-only routes, and nobody gets in without
// a token. The table and the server's admin routes are the same set.
func TestAdminRoutesAsDocumented(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, shippedExample, t.TempDir(), clock, env)
	// A user's ticket with a number, left out of hours; then, in office
	// hours, a vip handoff with an intake answer.
	asker := newSession(t, m, clock, "u-doc-admin-ticket")
	ticket := asker.leaveTicket("환불 문의드려요", "010-1234-5678")
	clock.Advance(mondayMorning.Sub(clock.Now()))
	s := newSession(t, m, clock, "u-doc-admin-vip")
	s.welcome()
	s.tap("회원/계정")
	s.tap("VIP 전용 상담")
	s.tap("네, 연결해 주세요")
	s.say("A-1001")
	s.wantState(fsm.StateWaiting)
	hid, _, _, _ := s.handoff()
	var hcode string
	if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, hid).Scan(&hcode); err != nil {
		t.Fatal(err)
	}

	code, tok := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/tokens", `{"name":"상담팀","role":"manager"}`)
	manager, _ := tok["token"].(string)
	if code != http.StatusCreated || manager == "" {
		t.Fatalf("create manager token: got %d %v", code, tok)
	}
	code, tok = adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/tokens", `{"name":"spare","role":"manager"}`)
	spareID, _ := tok["id"].(string) // a token to revoke
	if code != http.StatusCreated || spareID == "" {
		t.Fatalf("create spare token: got %d %v", code, tok)
	}

	type row struct {
		route   string // as in the doc
		path    string
		body    string
		want    int
		keys    []string // dotted paths that must be in the answer
		noStore bool     // Cache-Control: no-store
		check   func(t *testing.T, got map[string]any)
	}
	rows := []row{
		{route: "GET /admin/whoami", path: "/admin/whoami", want: 200, keys: []string{"id", "name", "role"}},
		{route: "POST /admin/tokens", path: "/admin/tokens", body: `{"name":"운영","role":"master"}`, want: 201, keys: []string{"token", "id"}},
		{route: "GET /admin/tokens", path: "/admin/tokens", want: 200, keys: []string{"tokens"},
			check: func(t *testing.T, got map[string]any) {
				for _, x := range got["tokens"].([]any) {
					if _, ok := x.(map[string]any)["token"]; ok {
						t.Errorf("a token's secret is listed: %v", x)
					}
				}
			}},
		{route: "DELETE /admin/tokens/{id}", path: "/admin/tokens/" + spareID, want: 200},
		{route: "GET /admin/handoffs", path: "/admin/handoffs?state=open&queue=vip&limit=5", want: 200, keys: []string{"handoffs"}},
		{route: "GET /admin/handoffs", path: "/admin/handoffs?code=" + strings.ToLower(hcode), want: 200, keys: []string{"handoffs"},
			check: func(t *testing.T, got map[string]any) {
				if !docListHas(got["handoffs"], map[string]any{"id": hid, "code": hcode}) {
					t.Errorf("handoffs by code in lower case: got %v, want %s", got, hid)
				}
			}},
		{route: "GET /admin/handoffs/{id}", path: "/admin/handoffs/" + hid, want: 200, keys: []string{"handoff", "deliveries", "intake_fields"},
			check: func(t *testing.T, got map[string]any) {
				if f := got["intake_fields"]; !cmp.Equal(f, []any{"order"}) {
					t.Errorf("intake_fields: got %v, want [order]", f)
				}
			}},
		{route: "GET /admin/handoffs/{id}/intake", path: "/admin/handoffs/" + hid + "/intake", want: 200, keys: []string{"handoff_id", "intake", "withheld"}, noStore: true,
			check: func(t *testing.T, got map[string]any) {
				want := []any{map[string]any{"name": "order", "value": "A-1001", "pii": false}}
				if !cmp.Equal(got["intake"], want) {
					t.Errorf("intake: got %v, want %v", got["intake"], want)
				}
			}},
		{route: "POST /admin/handoffs/{id}/links", path: "/admin/handoffs/" + hid + "/links", want: 200, keys: []string{"handoff_id", "code", "accept", "end", "expires_at"}, noStore: true},
		{route: "POST /admin/handoffs/{id}/accept", path: "/admin/handoffs/" + hid + "/accept", want: 200, keys: []string{"handoff.state"},
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "handoff.state", "human") }},
		{route: "POST /admin/handoffs/{id}/end", path: "/admin/handoffs/" + hid + "/end", want: 200, keys: []string{"handoff.state"},
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "handoff.state", "ended") }},
		{route: "POST /admin/handoffs/{id}/links", path: "/admin/handoffs/" + hid + "/links", want: 409, keys: []string{"error"}},
		{route: "POST /admin/handoffs/{id}/accept", path: "/admin/handoffs/" + hid + "/accept", want: 409, keys: []string{"error", "handoff.state"},
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "handoff.state", "ended") }},
		{route: "POST /admin/handoffs/{id}/end", path: "/admin/handoffs/01ZZZZZZZZZZZZZZZZZZZZZZZZ/end", want: 404, keys: []string{"error"}},
		{route: "GET /admin/tickets", path: "/admin/tickets?status=open&queue=general&code=" + strings.ToLower(ticket.Code), want: 200, keys: []string{"tickets"},
			check: func(t *testing.T, got map[string]any) {
				if l, _ := got["tickets"].([]any); len(l) != 1 {
					t.Errorf("tickets by code in lower case: got %v, want the one ticket", got)
				}
			}},
		{route: "GET /admin/tickets/{id}", path: "/admin/tickets/" + ticket.ID, want: 200, keys: []string{"ticket"}},
		{route: "POST /admin/tickets/{id}/assign", path: "/admin/tickets/" + ticket.ID + "/assign", body: `{"assignee":"김상담"}`, want: 200, keys: []string{"ticket"}},
		{route: "POST /admin/tickets/{id}/answer", path: "/admin/tickets/" + ticket.ID + "/answer", body: `{"answer":"환불은 3영업일 안에 처리됩니다."}`, want: 200,
			keys: []string{"ticket.status", "delivery", "delivery_reason"},
			check: func(t *testing.T, got map[string]any) {
				docWantField(t, got, "ticket.status", "answered")
				docWantField(t, got, "delivery", "not_deliverable")
				docWantField(t, got, "delivery_reason", "event_api_disabled")
			}},
		{route: "POST /admin/tickets/{id}/answer", path: "/admin/tickets/" + ticket.ID + "/answer", body: `{"answer":"  "}`, want: 400, keys: []string{"error"}},
		{route: "POST /admin/tickets/{id}/answer", path: "/admin/tickets/" + ticket.ID + "/answer", body: `{"answer":"` + strings.Repeat("가", 3001) + `"}`, want: 422, keys: []string{"error"}},
		{route: "POST /admin/tickets/{id}/close", path: "/admin/tickets/" + ticket.ID + "/close", want: 200, keys: []string{"ticket"}},
		{route: "POST /admin/tickets/{id}/assign", path: "/admin/tickets/" + ticket.ID + "/assign", body: `{"assignee":"김상담"}`, want: 409, keys: []string{"error"}},
		{route: "GET /admin/tickets/{id}/contact", path: "/admin/tickets/" + ticket.ID + "/contact", want: 200, keys: []string{"ticket_id", "contact_id", "contact"}, noStore: true,
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "contact", "01012345678") }},
		{route: "GET /admin/conversations/{key}", path: "/admin/conversations/" + s.user, want: 200, keys: []string{"user", "conversation", "turns"}},
		{route: "GET /admin/access-log", path: "/admin/access-log?user=" + s.user + "&limit=10", want: 200, keys: []string{"entries"}},
		{route: "GET /admin/hours/override", path: "/admin/hours/override", want: 200, keys: []string{"overrides"}},
		{route: "POST /admin/hours/override", path: "/admin/hours/override", body: `{"queue":"vip","mode":"closed","until":"` + time.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `"}`, want: 200},
		{route: "DELETE /admin/hours/override", path: "/admin/hours/override?queue=vip", want: 200},
		{route: "POST /admin/reload", path: "/admin/reload", want: 200},
		{route: "GET /admin/reloads", path: "/admin/reloads?limit=5", want: 200, keys: []string{"reloads"}},
		{route: "GET /admin/report/unanswered", path: "/admin/report/unanswered?since=7d&limit=20", want: 200},
		{route: "DELETE /admin/users/{key}", path: "/admin/users/" + asker.user, want: 200, keys: []string{"erased", "rows"},
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "erased", true) }},
		{route: "GET /admin/tickets/{id}/contact", path: "/admin/tickets/" + ticket.ID + "/contact", want: 404, keys: []string{"error"},
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "error", "no such ticket") }},
		{route: "DELETE /admin/users/{key}", path: "/admin/users/nobody-at-all", want: 200,
			check: func(t *testing.T, got map[string]any) { docWantField(t, got, "erased", false) }},
	}

	doc := docAdminRoutes(t)
	var docNames, rowNames []string
	roles := map[string]string{}
	for _, d := range doc {
		docNames = append(docNames, d.route)
		roles[d.route] = d.role
	}
	for _, r := range rows {
		rowNames = append(rowNames, r.route)
	}
	slices.Sort(docNames)
	slices.Sort(rowNames)
	rowNames = slices.Compact(rowNames)
	if diff := cmp.Diff(docNames, rowNames); diff != "" {
		t.Errorf("routes (-docs/admin-api.md +this test):\n%s", diff)
	}

	// Nobody gets in without a token; a manager not into master-only
	// routes (checked before anything changes, with ids that exist).
	for _, r := range rows {
		method, _, _ := strings.Cut(r.route, " ")
		if code, body := adminRaw(t, m, "", method, r.path, r.body); code != http.StatusUnauthorized {
			t.Errorf("%s without a token: got %d %s, want 401", r.route, code, body)
		}
		if roles[r.route] == "master" {
			if code, body := adminRaw(t, m, manager, method, r.path, r.body); code != http.StatusForbidden {
				t.Errorf("%s as a manager: got %d %s, want 403", r.route, code, body)
			}
		}
	}
	for _, r := range rows {
		t.Run(r.route, func(t *testing.T) {
			method, _, _ := strings.Cut(r.route, " ")
			token := e2eAdminToken
			if roles[r.route] != "master" && method == http.MethodGet {
				token = manager // the documented role "any" includes managers
			}
			req, err := http.NewRequest(method, "http://"+m.AdminAddrBound()+r.path, strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			if r.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("answer is not a JSON object: %v", err)
			}
			if resp.StatusCode != r.want {
				t.Fatalf("got %d %v, want %d", resp.StatusCode, got, r.want)
			}
			for _, k := range r.keys {
				if _, ok := docField(got, k); !ok {
					t.Errorf("answer lacks %q: %v", k, got)
				}
			}
			if cc := resp.Header.Get("Cache-Control"); r.noStore && cc != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", cc)
			}
			if r.check != nil {
				r.check(t, got)
			}
		})
	}

	// The server's admin routes are the documented ones (a second admin
	// handler over the same Main, only listed).
	h, err := m.adminHandler()
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, ri := range h.(*echo.Echo).Router().Routes() {
		if strings.HasPrefix(ri.Path, "/admin/") && !strings.Contains(ri.Method, "not_found") {
			served = append(served, ri.Method+" "+regexp.MustCompile(`:(\w+)`).ReplaceAllString(ri.Path, "{$1}"))
		}
	}
	slices.Sort(served)
	if diff := cmp.Diff(docNames, served); diff != "" {
		t.Errorf("admin routes (-docs/admin-api.md +served):\n%s", diff)
	}
}

// docField returns the value at the dotted path k of an answer.
func docField(got map[string]any, k string) (any, bool) {
	var v any = got
	for _, part := range strings.Split(k, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[part]; !ok {
			return nil, false
		}
	}
	return v, true
}

// docWantField checks the value at the dotted path k of an answer.
func docWantField(t *testing.T, got map[string]any, k string, want any) {
	t.Helper()
	if v, _ := docField(got, k); v != want {
		t.Errorf("%s: got %v, want %v (answer %v)", k, v, want, fmt.Sprint(got))
	}
}
