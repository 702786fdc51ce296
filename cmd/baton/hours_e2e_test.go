package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
)

// getAdmin fetches path from the admin address.
func getAdmin(t *testing.T, m *Main, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + m.AdminAddrBound() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestServeHolidays runs the example config on 설날 2026: the queue is
// closed with the right next opening, an admin "open now" opens it, and
// /readyz reports the calendar as complete. While it is closed, the welcome
// and the no-match reply offer 메시지 남기기, whose tap leaves a ticket on
// general.
func TestServeHolidays(t *testing.T) {
	t.Parallel()
	seollal := time.Date(2026, 2, 17, 10, 0, 0, 0, kst) // Tuesday, office hours, 설날
	clock := &testClock{t: seollal}
	m := startBaton(t, shippedExample, t.TempDir(), clock)
	if got, want := m.Holidays.Dir(), filepath.Join("..", "..", "configs", "holidays"); got != want {
		t.Fatalf("holidays dir: got %s, want %s", got, want)
	}

	s := newSession(t, m, clock, "u-seollal")
	s.welcome()
	if !s.hasQuickReply("메시지 남기기") {
		t.Fatalf("welcome out of hours: got %s, want 메시지 남기기", s.raw)
	}
	s.say("블라블라 테스트")
	s.wantText("질문을 이해하지 못했어요")
	s.tap("메시지 남기기")
	s.wantState(fsm.StateAfterHours)
	s.say("연휴 끝나고 연락 주세요")
	s.say("건너뛰기")
	if tk := s.userTicket(); tk.Queue != "general" {
		t.Fatalf("got a ticket on %q, want one on general", tk.Queue)
	}
	s.say("상담원")
	s.wantState(fsm.StateAfterHours)
	s.wantText("2월 19일") // 설 연휴 ends Wednesday: Thursday 09:00

	if err := m.Hours.SetOverride(context.Background(), "general", handoff.OverrideOpen, seollal.Add(2*time.Hour), "e2e"); err != nil {
		t.Fatal(err)
	}
	s2 := newSession(t, m, clock, "u-seollal-open")
	s2.welcome()
	s2.say("상담원")
	s2.wantState(fsm.StateConfirm) // open now: the usual confirm question

	code, body := getAdmin(t, m, "/readyz")
	if code != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"holidays":"ok"`) {
		t.Fatalf("/readyz: got %d %s, want ok with holidays ok", code, body)
	}
	if _, body := getAdmin(t, m, "/metrics"); !strings.Contains(body, `baton_holiday_calendar_years_missing{calendar="kr"} 0`) {
		t.Fatalf("/metrics lacks the calendar gauge at 0:\n%s", body)
	}
}

// TestServeHolidaysReadinessWarning serves with a calendar directory that
// lacks next year: /readyz stays ok with a holidays warning, the gauge says
// one year is missing, and a company calendar the config names must exist.
func TestServeHolidaysReadinessWarning(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kr.yaml"), []byte("years: [2026]\nholidays:\n  - {date: \"2026-02-17\", name: 설날, kind: lunar}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, kst)}
	m := NewMain()
	if err := m.ParseFlags([]string{"--config", exampleConfig, "--holidays", dir, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--data", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	m.Logger, m.Now = discardLogger(), clock.Now
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		http.DefaultClient.CloseIdleConnections()
		_ = m.Close()
	})
	code, body := getAdmin(t, m, "/readyz")
	if code != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, "has no 2027") {
		t.Fatalf("/readyz: got %d %s, want status ok and a holidays warning about 2027", code, body)
	}
	if _, body := getAdmin(t, m, "/metrics"); !strings.Contains(body, `baton_holiday_calendar_years_missing{calendar="kr"} 1`) {
		t.Fatalf("/metrics lacks the calendar gauge at 1:\n%s", body)
	}

	// A company calendar the config names but the directory lacks: serve
	// refuses to start, naming the file it looked for.
	raw, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	withAcme := strings.Replace(string(raw), "holidays: [kr]", "holidays: [kr, acme]", 1)
	if withAcme == string(raw) {
		t.Fatal("the example config no longer names holidays: [kr]")
	}
	cfgDir := t.TempDir()
	cfgPath := filepath.Join(cfgDir, "baton.yaml")
	if err := os.WriteFile(cfgPath, []byte(withAcme), 0o644); err != nil {
		t.Fatal(err)
	}
	m2 := NewMain()
	m2.ConfigPath, m2.DataDir = cfgPath, t.TempDir()
	m2.Addr, m2.AdminAddr, m2.Logger = "127.0.0.1:0", "127.0.0.1:0", discardLogger()
	err = m2.Run(context.Background())
	_ = m2.Close()
	want := filepath.Join(cfgDir, "holidays", "acme.yaml")
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("serve without acme.yaml: got %v, want an error naming %s", err, want)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestAdminHoursOverride drives the admin API's hours override against the
// real overrides: "open now" on 설날 lets an escalation through, the list
// shows it, clearing it closes the queue again, and an unknown queue is 404.
func TestAdminHoursOverride(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	seollal := time.Date(2026, 2, 17, 10, 0, 0, 0, kst)
	clock := &testClock{t: seollal}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)

	until := seollal.Add(3 * time.Hour).UTC().Format(time.RFC3339)
	if code, body := adminSend(t, m, http.MethodPost, "/admin/hours/override",
		`{"queue":"general","mode":"open","until":"`+until+`"}`); code != http.StatusOK {
		t.Fatalf("set override: got %d %s, want 200", code, body)
	}
	s := newSession(t, m, clock, "u-override-open")
	s.welcome()
	s.say("상담원")
	s.wantState(fsm.StateConfirm)

	code, body := adminSend(t, m, http.MethodGet, "/admin/hours/override", "")
	if code != http.StatusOK || !strings.Contains(body, `"queue":"general"`) || !strings.Contains(body, `"mode":"open"`) {
		t.Fatalf("list overrides: got %d %s, want the general override", code, body)
	}
	if strings.Contains(body, "env_override") {
		t.Errorf("list overrides without BATON_HOURS_OVERRIDE: got %s, want no env_override", body)
	}
	if code, body := adminSend(t, m, http.MethodDelete, "/admin/hours/override?queue=general", ""); code != http.StatusOK && code != http.StatusNoContent {
		t.Fatalf("clear override: got %d %s, want success", code, body)
	}
	s2 := newSession(t, m, clock, "u-override-cleared")
	s2.welcome()
	s2.say("상담원")
	s2.wantState(fsm.StateAfterHours)

	if code, body := adminSend(t, m, http.MethodPost, "/admin/hours/override", `{"queue":"nope","mode":"closed"}`); code != http.StatusNotFound {
		t.Errorf("override of an unknown queue: got %d %s, want 404", code, body)
	}
}

// TestAdminHoursOverrideShowsTheEnvironment: BATON_HOURS_OVERRIDE=closed
// closes every queue in office hours; the admin list, which has no admin
// override to show, says so (env_override) instead of an empty list an
// operator would read as "the hours apply".
func TestAdminHoursOverrideShowsTheEnvironment(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	env["BATON_HOURS_OVERRIDE"] = "closed"
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, kst) // inside the example's office hours
	clock := &testClock{t: monday}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)

	s := newSession(t, m, clock, "u-env-closed")
	s.welcome()
	s.say("상담원")
	s.wantState(fsm.StateAfterHours)

	code, body := adminSend(t, m, http.MethodGet, "/admin/hours/override", "")
	if code != http.StatusOK || !strings.Contains(body, `"overrides":[]`) || !strings.Contains(body, `"env_override":"closed"`) {
		t.Fatalf("list overrides: got %d %s, want no admin override and env_override closed", code, body)
	}
}
