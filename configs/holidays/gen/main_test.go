package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	for name, want := range map[string]string{
		"설날":           "lunar",
		"부처님 오신 날":     "lunar",
		"대체공휴일(추석)":    "substitute",
		"임시공휴일":        "temporary",
		"임시공휴일(대통령선거)": "election",
		"제22대국회의원선거":   "election",
		"전국동시지방선거":     "election",
		"노동절":          "fixed",
		"제헌절":          "fixed",
	} {
		if got, err := kindOf(name); err != nil || got != want {
			t.Errorf("kindOf(%q): got %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := kindOf("새로운 공휴일"); err == nil {
		t.Error("an unknown name got a kind")
	}
}

func TestRunWritesSortedYAML(t *testing.T) {
	in := filepath.Join(t.TempDir(), "holidays.json")
	body := `{"2026": {"2026-02-17": ["설날"], "2026-01-01": ["1월 1일"]}, "2027": {"2027-02-09": ["대체공휴일(설날)"]}}`
	if err := os.WriteFile(in, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run([]string{"-in", in, "-from", "2026", "-to", "2027", "-source", "test 1.0"}, &out); err != nil {
		t.Fatal(err)
	}
	want := `years: [2026, 2027]
holidays:
  - {date: "2026-01-01", name: "1월 1일", kind: fixed}
  - {date: "2026-02-17", name: "설날", kind: lunar}
  - {date: "2027-02-09", name: "대체공휴일(설날)", kind: substitute}
`
	if got := out.String(); !strings.HasSuffix(got, want) || !strings.Contains(got, "Source: test 1.0") {
		t.Fatalf("got:\n%s\nwant it to end with:\n%s", got, want)
	}
	if err := run([]string{"-in", in, "-from", "2026", "-to", "2028"}, &out); err == nil {
		t.Fatal("a missing year was not an error")
	}
}
