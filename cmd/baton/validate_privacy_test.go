package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestValidateChecksThePrivacyNotice: the shipped example with its notice
// rewritten to a fixed period that disagrees with retention.turns fails
// validate at the notice's line and column.
func TestValidateChecksThePrivacyNotice(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	const placeholder = "privacy_notice: 상담 품질 향상을 위해 남기신 문의는 {retention.tickets}간, 연락처는 {retention.contacts}간, 대화 내용은 {retention.turns}간 보관돼요."
	if !bytes.Contains(src, []byte(placeholder)) {
		t.Fatalf("example.yaml no longer has the notice this test rewrites")
	}
	line := 1 + bytes.Count(src[:bytes.Index(src, []byte(placeholder))], []byte("\n"))
	for _, c := range []struct {
		notice string
		ok     bool
	}{
		{"privacy_notice: 문의는 1년, 연락처는 30일, 대화 내용은 90일간 보관됩니다.", true},
		{"privacy_notice: 문의는 1년, 연락처는 30일, 대화 내용은 3개월간 보관됩니다.", true},
		{"privacy_notice: 대화 내용은 1년간 보관됩니다.", false},
	} {
		path := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(path, bytes.Replace(src, []byte(placeholder), []byte(c.notice), 1), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := runValidate([]string{"--config", path}, &stdout, &stderr)
		if c.ok {
			if code != 0 {
				t.Errorf("%s: exit %d, want 0: %s", c.notice, code, stderr.String())
			}
			continue
		}
		// The first error; the contacts' 30d missing from this notice is the second.
		want := path + ":" + strconv.Itoa(line) + ":19: texts.privacy_notice says conversations are kept 1년 but retention.turns is 90d"
		if code != 1 || !strings.HasPrefix(stderr.String(), want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", c.notice, code, stderr.String(), want)
		}
	}
}
