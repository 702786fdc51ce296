package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

func TestReportReadsTheServersDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := startBaton(t, exampleConfig, dir, nil)
	// Two users ask the same thing the FAQ cannot answer (one with a phone
	// number that must come out masked), a test user asks something else.
	for _, tr := range []turn{
		{User: "u-r1", Utterance: "우주선 렌탈 가능한가요 010-1111-2222"},
		{User: "u-r2", Utterance: "우주선 렌탈 가능한가요 010-3333-4444"},
		{User: "u-r3", Utterance: "우주선 렌탈 가능한가요?"},
		{User: "u-rt", Utterance: "테스트 전용 질문 화성", Test: true},
	} {
		if code, out := postSkill(t, m, tr.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn: %d %s", code, out)
		}
	}

	// While serve runs: the report opens the file read-only beside it.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "--data", dir, "--format", "json", "--since", "1d"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("baton report: exit %d: %s", code, stderr.String())
	}
	var rep store.Unanswered
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	if rep.NoMatchTurns != 3 || len(rep.NoMatch) != 2 {
		t.Fatalf("report: got %d no-match turns in %d groups, want 3 in 2 (phone-masked and plain): %s", rep.NoMatchTurns, len(rep.NoMatch), stdout.String())
	}
	for _, secret := range []string{"1111", "2222", "3333", "4444", "화성"} {
		if strings.Contains(stdout.String(), secret) {
			t.Errorf("report holds %q: %s", secret, stdout.String())
		}
	}

	stdout.Reset()
	if code := run([]string{"report", "--data", dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("baton report (text): exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "우주선 렌탈 가능한가요 010-****-****") || !strings.Contains(stdout.String(), "3 user turns, 3 without an answer") ||
		!strings.Contains(stdout.String(), "User turns: "+store.TurnsCounted+" (3 typed, 0 tapped; 0 others left out)") {
		t.Errorf("text report:\n%s", stdout.String())
	}

	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"report", "--format", "xml", "--data", dir}, 2},
		{[]string{"report", "--since", "a week", "--data", dir}, 2},
		{[]string{"report", "--data", filepath.Join(dir, "nope")}, 1},
	} {
		if code := run(c.args, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.code)
		}
	}
}

// TestReportUsage: a usage error (a bad flag value included) names its problem before the usage line,
// without opening any database. A bare directory ("baton report ./data")
// is the data directory given without --data, as `baton validate FILE` is a
// file given without --config.
func TestReportUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{dir}, "baton report: name the data directory with --data: baton report --data " + dir},
		{[]string{"--since", "1d", "./data"}, "baton report: name the data directory with --data: baton report --data ./data"},
		{[]string{"--data", dir, "more"}, `baton report: unexpected argument "more"`},
		{[]string{dir, "more"}, fmt.Sprintf("baton report: unexpected argument %q", dir)},
		{[]string{"--format", "xml", "--data", dir}, `baton report: --format "xml": want text or json`},
		{[]string{"--since", "0s", "--data", dir}, `baton report: --since "0s" must be longer than 0`},
		// --limit 0 used to mean 20 without a word; the admin API's limit has
		// the same bounds.
		{[]string{"--limit", "0", "--data", dir}, `baton report: --limit 0: want 1 to 500 entries per list`},
		{[]string{"--limit", "-3", "--data", dir}, `baton report: --limit -3: want 1 to 500 entries per list`},
		{[]string{"--limit", "501", "--data", dir}, `baton report: --limit 501: want 1 to 500 entries per list`},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"report"}, tc.args...), nil, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		want := tc.want + "\n" + reportUsage + "\n"
		if stderr.String() != want || stdout.Len() != 0 {
			t.Errorf("%v: got stderr %q, stdout %q; want stderr %q", tc.args, stderr.String(), stdout.String(), want)
		}
	}
	var stderr bytes.Buffer
	if code := run([]string{"report", "--since", "a week"}, nil, &bytes.Buffer{}, &stderr); code != 2 ||
		!strings.HasPrefix(stderr.String(), "baton report: --since: ") {
		t.Errorf("--since \"a week\": exit %d, stderr %q; want 2 and the --since problem named", code, stderr.String())
	}
}

// TestReportTimesInConfigZone: the report shows its times in the time zone
// of the config's handoff.hours, with the offset — in the text header and
// in the JSON (RFC 3339) — not in UTC. Without --config (and no default
// file) it is Asia/Seoul, the default zone.
func TestReportTimesInConfigZone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := startBaton(t, exampleConfig, dir, nil)
	if code, out := postSkill(t, m, turn{User: "u-tz", Utterance: "우주선 렌탈 가능한가요"}.payload(), nil); code != http.StatusOK {
		t.Fatalf("turn: %d %s", code, out)
	}
	src, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	kolkata := filepath.Join(t.TempDir(), "kolkata.yaml")
	if err := os.WriteFile(kolkata, bytes.ReplaceAll(src, []byte("timezone: Asia/Seoul"), []byte("timezone: Asia/Kolkata")), 0o600); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "--data", dir, "--config", kolkata, "--format", "json"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("baton report: exit %d: %s", code, stderr.String())
	}
	var rep struct {
		Since   string `json:"since"`
		Until   string `json:"until"`
		NoMatch []struct {
			LastAt string `json:"last_at"`
		} `json:"no_match"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || len(rep.NoMatch) != 1 {
		t.Fatalf("report JSON: %v\n%s", err, stdout.String())
	}
	for _, ts := range []string{rep.Since, rep.Until, rep.NoMatch[0].LastAt} {
		if _, err := time.Parse(time.RFC3339, ts); err != nil || !strings.HasSuffix(ts, "+05:30") || strings.Contains(ts, ".") {
			t.Errorf("JSON time %q: want RFC 3339 to the second with the config's offset +05:30", ts)
		}
	}

	for _, args := range [][]string{{"--config", exampleConfig}, nil} {
		stdout.Reset()
		if code := run(append([]string{"report", "--data", dir}, args...), nil, &stdout, &stderr); code != 0 {
			t.Fatalf("baton report %v: exit %d: %s", args, code, stderr.String())
		}
		now := time.Now().In(time.FixedZone("KST", 9*3600))
		header := fmt.Sprintf("– %s", now.Format("2006-01-02 15"))
		if !strings.Contains(stdout.String(), header) || !strings.Contains(stdout.String(), " (Asia/Seoul, UTC+09:00)\n") ||
			!strings.Contains(stdout.String(), now.Format("01-02 15:")) {
			t.Errorf("text report %v: want %q… (Asia/Seoul, UTC+09:00) and the last time in KST:\n%s", args, header, stdout.String())
		}
	}

	if code := run([]string{"report", "--data", dir, "--config", filepath.Join(dir, "missing.yaml")}, nil, &stdout, &stderr); code != 1 {
		t.Errorf("a named config that is missing: exit %d, want 1", code)
	}
}

// TestReportTextHandoffs: the text report lists each queue's handoff and
// CSAT figures, "-" where there is no figure.
func TestReportTextHandoffs(t *testing.T) {
	ten, ninety, mean := int64(10), int64(90), 3.5
	rep := store.Unanswered{Since: mondayMorning.Add(-24 * time.Hour), Until: mondayMorning, Handoffs: []store.QueueFigures{
		{Queue: "general", Requested: 5, Accepted: 2, Waiting: 1, EndedUnaccepted: map[string]int{"wait_timeout": 1, "user_cancel": 1},
			WaitMedianSeconds: &ten, WaitP90Seconds: &ninety,
			CSAT: store.CSATFigures{SessionsEnded: 3, Asked: 2, Answered: 2, Scores: [5]int{0, 1, 0, 0, 1}, Mean: &mean}},
		{Queue: "vip", Requested: 1, Waiting: 1, EndedUnaccepted: map[string]int{}},
	}}
	var out bytes.Buffer
	writeReportText(&out, rep)
	for _, want := range []string{
		"queue    requested  accepted  waiting  ended unaccepted               wait median  wait p90\n" +
			"general  5          2         1        user_cancel 1, wait_timeout 1  10s          1m30s\n" +
			"vip      1          0         1        -                              -            -\n",
		"queue    sessions ended  asked  answered  mean  scores 1/2/3/4/5\n" +
			"general  3               2      2         3.50  0/1/0/0/1\n" +
			"vip      0               0      0         -     0/0/0/0/0\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text report lacks\n%s\ngot:\n%s", want, out.String())
		}
	}
}
