package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/store"
)

// TestReportMultilineQuestion: a question typed over several lines (as
// KakaoTalk allows) is one row of the text report, its line breaks shown
// as " ⏎ "; the JSON report keeps the text as stored. The text report used
// to print the question as stored, so its second line landed under the
// count column as if it were a row of its own.
func TestReportMultilineQuestion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := startBaton(t, exampleConfig, dir, nil)
	for _, u := range []string{"u-ml1", "u-ml2"} {
		tr := turn{User: u, Utterance: "우주선 렌탈 되나요\n화성까지 왕복이요"}
		if code, out := postSkill(t, m, tr.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn: %d %s", code, out)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "--data", dir, "--since", "1d"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("baton report: exit %d: %s", code, stderr.String())
	}
	row := false
	for l := range strings.SplitSeq(stdout.String(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "화성까지") {
			t.Errorf("a question's second line is printed as a line of its own:\n%s", stdout.String())
		}
		f := strings.Fields(l)
		row = row || len(f) > 4 && f[0] == "2" && f[1] == "2" && strings.HasSuffix(l, "우주선 렌탈 되나요 ⏎ 화성까지 왕복이요")
	}
	if !row {
		t.Errorf("no row \"2  2  <last>  우주선 렌탈 되나요 ⏎ 화성까지 왕복이요\":\n%s", stdout.String())
	}

	stdout.Reset()
	if code := run([]string{"report", "--data", dir, "--since", "1d", "--format", "json"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("baton report --format json: exit %d: %s", code, stderr.String())
	}
	var rep store.Unanswered
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	if len(rep.NoMatch) != 1 || rep.NoMatch[0].Text != "우주선 렌탈 되나요\n화성까지 왕복이요" {
		t.Errorf("JSON no-match questions: got %+v, want the one question with its line break", rep.NoMatch)
	}
}

// TestReportCell: line breaks of every kind become " ⏎ " and tabs and
// other control characters a space, so a cell never breaks the table.
func TestReportCell(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"a\nb":              "a ⏎ b",
		"a\r\nb\rc":         "a ⏎ b ⏎ c",
		"a\tb\x00c":         "a b c",
		"a\u2028b\fc\vd":    "a ⏎ b ⏎ c ⏎ d",
		"배송\n\n언제":          "배송 ⏎  ⏎ 언제",
		"emoji 😀 stays put": "emoji 😀 stays put",
	} {
		if got := reportCell(in); got != want {
			t.Errorf("reportCell(%q) = %q, want %q", in, got, want)
		}
	}
}
