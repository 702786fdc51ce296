package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

const e2eAdminToken = "e2e-admin-master-3f9c"

// readyVersion returns the config version /readyz reports.
func readyVersion(t *testing.T, m *Main) string {
	t.Helper()
	resp, err := http.Get("http://" + m.AdminAddrBound() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body["config_version"]
}

// writeConfig writes the example config with edit applied to path.
func writeConfig(t *testing.T, path string, edit func(string) string) {
	t.Helper()
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(b))), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAdminReload(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.yaml")
	withExtra := func(s string) string {
		return strings.Replace(s, "    vip: {target:", "    extra: {target: notify}\n    vip: {target:", 1)
	}
	writeConfig(t, path, withExtra)
	m := startBatonEnv(t, path, t.TempDir(), nil, env)
	v0 := readyVersion(t, m)

	// A handoff waits in the queue the new config drops.
	now := time.Now().UTC()
	w := &store.TurnWrite{
		User: store.User{Key: "reload-user", FirstSeen: now, LastSeen: now},
		Conv: fsm.Conversation{UserKey: "reload-user", State: fsm.StateWaiting, Queue: "extra", HandoffID: "01RELOADHANDOFF"},
		Turn: store.Turn{ID: store.NewID(now), At: now, Block: "text", State: fsm.StateWaiting},
		OpenHandoff: &store.Handoff{ID: "01RELOADHANDOFF", Code: "R2D2", UserKey: "reload-user", Queue: "extra",
			Target: "notify", Reason: "keyword", CreatedAt: now},
		// As the pipeline would: a waiting conversation has its wait timer.
		Ops: []store.Op{store.ScheduleTimerOp(store.Timer{Kind: store.TimerWaitTimeout, ID: "01RELOADHANDOFF",
			UserKey: "reload-user", HandoffID: "01RELOADHANDOFF", DueAt: now.Add(time.Hour)})},
	}
	if err := m.DB.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	const newWelcome = "반갑습니다! 새 설정의 샘플몰입니다."
	// The new config also carries a warning (a label two menus' options
	// share for different actions), which the reload history keeps.
	writeConfig(t, path, func(s string) string {
		s = strings.Replace(s, "label: 택배사 전화번호, text:", "label: 배송비, text:", 1)
		return strings.Replace(s, "text: 안녕하세요! 샘플몰 고객센터예요.", "text: "+newWelcome, 1)
	})

	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if code != http.StatusConflict || !strings.Contains(body["error"].(string), "extra (1 open)") {
		t.Fatalf("reload dropping a queue with an open handoff: got %d %v, want 409 naming extra", code, body)
	}
	if got := readyVersion(t, m); got != v0 {
		t.Errorf("config version after a refused reload: got %s, want %s", got, v0)
	}
	// The refusal says how to go on, and its routes do what it says: the
	// listing finds the handoff and the end call closes it.
	const hint = "GET /admin/handoffs?queue=extra lists them, POST /admin/handoffs/{id}/end ends one"
	if msg, _ := body["error"].(string); !strings.Contains(msg, hint) || !strings.Contains(msg, "add the new name first") {
		t.Errorf("refused reload: got %q, want the way on (%q)", msg, hint)
	}
	if code, raw := adminSend(t, m, http.MethodGet, "/admin/handoffs?queue=extra", ""); code != http.StatusOK || !strings.Contains(raw, "01RELOADHANDOFF") {
		t.Fatalf("GET /admin/handoffs?queue=extra: got %d %s, want the open handoff", code, raw)
	}
	if code, raw := adminSend(t, m, http.MethodPost, "/admin/handoffs/01RELOADHANDOFF/end", ""); code != http.StatusOK {
		t.Fatalf("POST /admin/handoffs/01RELOADHANDOFF/end: got %d %s, want 200", code, raw)
	}
	code, body = adminCall(t, m, http.MethodPost, "/admin/reload")
	if code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
	v1 := readyVersion(t, m)
	if v1 == v0 || v1 == "" {
		t.Errorf("config version after reload: got %q, want a new one (was %s)", v1, v0)
	}
	_, out := postSkill(t, m, turn{User: "fresh-after-reload", Block: "웰컴 블록"}.payload(), nil)
	if !bytes.Contains(out, []byte(newWelcome)) {
		t.Errorf("welcome after reload: got %s, want the new text %q", out, newWelcome)
	}

	// An invalid file is refused and changes nothing.
	if err := os.WriteFile(path, []byte("bot: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Reload(ctx, "SIGHUP"); err == nil {
		t.Errorf("reload of an invalid file: got nil, want an error")
	}
	if got := readyVersion(t, m); got != v1 {
		t.Errorf("config version after an invalid reload: got %s, want %s", got, v1)
	}

	_, body = adminCall(t, m, http.MethodGet, "/admin/reloads")
	var results []string
	for _, r := range body["reloads"].([]any) {
		r := r.(map[string]any)
		results = append(results, r["result"].(string)+"/"+r["by"].(string))
		if r["result"] == "ok" {
			detail, _ := r["detail"].(string)
			if !regexp.MustCompile(`(?m)^warning: \d+:\d+: label "배송비" is also the label of option 3 of menu "shipping"`).MatchString(detail) {
				t.Errorf("detail of the ok reload: got %q, want the label warning", detail)
			}
		}
	}
	if want := "invalid/SIGHUP,ok/bootstrap,refused/bootstrap"; strings.Join(results, ",") != want {
		t.Errorf("reload history: got %v, want %s", results, want)
	}
}

func TestAdminEraseThroughServe(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	m := startBatonEnv(t, exampleConfig, t.TempDir(), nil, env)
	const user = "erase-via-serve-7c1d"
	for _, tr := range []turn{{User: user, Block: "웰컴 블록"}, {User: user, Utterance: "배송 조회는 어떻게 하나요?"}} {
		if code, _ := postSkill(t, m, tr.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn: got %d", code)
		}
	}
	if hits := testutil.FindInTables(t, m.DB.ReadDB(), user); len(hits) == 0 {
		t.Fatalf("seeded user not found in any table")
	}
	code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+user)
	if code != http.StatusOK || body["erased"] != true {
		t.Fatalf("erase: got %d %v", code, body)
	}
	for _, needle := range []string{user, "pf-" + user} {
		if hits := testutil.FindInTables(t, m.DB.ReadDB(), needle); len(hits) > 0 {
			t.Errorf("after erase, %q still in %v", needle, hits)
		}
	}
	// The next turn of that key is a first visit again.
	if code, _ := postSkill(t, m, turn{User: user, Block: "웰컴 블록"}.payload(), nil); code != http.StatusOK {
		t.Fatalf("turn after erase: got %d", code)
	}
	if n, err := m.DB.CountTurns(context.Background(), user); err != nil || n != 1 {
		t.Errorf("turns after erase and one new turn: got %d (%v), want 1", n, err)
	}
}

// TestAdminUnansweredReport asks a question the FAQ cannot answer twice and
// finds it at the top of the admin API's unanswered-questions report, masked.
func TestAdminUnansweredReport(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	for _, u := range []string{"u-report-1", "u-report-2"} {
		s := newSession(t, m, clock, u)
		s.welcome()
		s.say("우주선 대여도 하나요 010-2222-3333")
		if u == "u-report-1" {
			s.welcome() // the welcome block again (recorded as the menu it shows): no user turn
		}
	}
	// Three users ask for a human on the general queue: one is taken after
	// 3 s and back, rates the session 4; one is taken after 23 s and back,
	// does not rate it; one cancels the wait.
	rated := newSession(t, m, clock, "u-report-3")
	rated.welcome()
	rated.tap("주문/배송")
	toWaiting(rated)
	rated.apply(fsm.EventAccepted)
	rated.say("배송비 얼마에요") // back from the human: the CSAT question rides on the answer
	rated.wantText("1점(아쉬워요)")
	rated.say("4점")
	unrated := newSession(t, m, clock, "u-report-4")
	unrated.welcome()
	toWaiting(unrated)
	clock.Advance(20 * time.Second)
	unrated.apply(fsm.EventAccepted)
	unrated.say("배송비 얼마에요")
	unrated.wantText("1점(아쉬워요)")
	cancelled := newSession(t, m, clock, "u-report-5")
	cancelled.welcome()
	toWaiting(cancelled)
	cancelled.tap("상담 취소")

	code, body := adminSend(t, m, http.MethodGet, "/admin/report/unanswered?since=1d&limit=5", "")
	if code != http.StatusOK {
		t.Fatalf("report: got %d %s, want 200", code, body)
	}
	var rep store.Unanswered
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("report: %v in %s", err, body)
	}
	if len(rep.NoMatch) == 0 || !strings.Contains(rep.NoMatch[0].Text, "우주선 대여") || rep.NoMatch[0].Count != 2 || rep.NoMatch[0].Users != 2 {
		t.Fatalf("report no_match: got %+v, want the spaceship question twice from 2 users", rep.NoMatch)
	}
	if strings.Contains(body, "2222-3333") || strings.Contains(body, "u-report-1") {
		t.Errorf("report leaks a phone number or a user key: %s", body)
	}
	// What the users typed (8) and tapped (5); the six welcome blocks are
	// not a user's turn.
	if rep.Turns != 13 || rep.TypedTurns != 8 || rep.TappedTurns != 5 || rep.NotUserTurns != 6 || rep.TurnsCounted != store.TurnsCounted {
		t.Errorf("report turns: got %d (%d typed, %d tapped, %d others, %q), want 13 (8 typed, 5 tapped, 6 others)",
			rep.Turns, rep.TypedTurns, rep.TappedTurns, rep.NotUserTurns, rep.TurnsCounted)
	}
	three, twentyThree, four := int64(3), int64(23), 4.0
	wantQueues := []store.QueueFigures{{Queue: "general", Requested: 3, Accepted: 2, EndedUnaccepted: map[string]int{"user_cancel": 1},
		WaitMedianSeconds: &three, WaitP90Seconds: &twentyThree,
		CSAT: store.CSATFigures{SessionsEnded: 2, Asked: 2, Answered: 1, Scores: [5]int{0, 0, 0, 1, 0}, Mean: &four}}}
	if diff := cmp.Diff(wantQueues, rep.Handoffs); diff != "" {
		t.Errorf("report handoffs (-want +got):\n%s", diff)
	}
	// Times in the config's zone (the example's hours: Asia/Seoul), RFC 3339
	// with the offset, as baton report --format json shows them; not UTC.
	var times struct {
		Since, Until string
		NoMatch      []struct {
			LastAt string `json:"last_at"`
		} `json:"no_match"`
	}
	if err := json.Unmarshal([]byte(body), &times); err != nil || len(times.NoMatch) == 0 {
		t.Fatalf("report times: %v in %s", err, body)
	}
	for _, ts := range []string{times.Since, times.Until, times.NoMatch[0].LastAt} {
		if at, err := time.Parse(time.RFC3339, ts); err != nil || !strings.HasSuffix(ts, "+09:00") || at.Before(mondayMorning.Add(-25*time.Hour)) {
			t.Errorf("report time %q: want RFC 3339 with the config's offset +09:00", ts)
		}
	}
	if code, _ := adminSend(t, m, http.MethodGet, "/admin/report/unanswered?since=-3d", ""); code != http.StatusBadRequest {
		t.Errorf("report with a negative since: got %d, want 400", code)
	}
}
