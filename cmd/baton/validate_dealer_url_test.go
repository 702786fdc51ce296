package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestValidateWarnsDealerWithEmptyURL: a 상담톡 queue whose dealer has an
// empty url starts (the dealer is disabled), but every handoff to it fails
// over to the notify sinks; validate names the queue, the dealer and the
// target's file:line:col, and still exits 0.
func TestValidateWarnsDealerWithEmptyURL(t *testing.T) {
	const src = `bot: {name: 테스트몰}
kakao: {consultation: sangdamtalk}
welcome: {text: 안녕하세요, menu: main}
menus:
  main:
    text: 무엇을 도와드릴까요?
    options:
      - {id: agent, label: 상담원 연결, handoff: desk}
escalation: {queue: desk, keywords: [상담원]}
dealers:
  happytalk: {url: "", secret: s3cret}
  other: {url: "http://127.0.0.1:9000/baton", secret: s3cret}
handoff:
  queues:
    desk: {target: "dealer:happytalk"}
    vip: {target: "dealer:other"}
`
	file := filepath.Join(t.TempDir(), "dealer.yaml")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runValidate([]string{"--config", file}, &stdout, &stderr); code != 0 {
		t.Fatalf("got exit code %d, want 0 (stderr %q)", code, stderr.String())
	}
	want := `^` + regexp.QuoteMeta(file+`:15:20: warning: queue "desk": target "dealer:happytalk": dealer "happytalk" has an empty url, so it is disabled:`) + `[^\n]*\n$`
	if !regexp.MustCompile(want).MatchString(stderr.String()) {
		t.Errorf("stderr: got %q, want a match for %q", stderr.String(), want)
	}
	if !regexp.MustCompile(`; 1 warning\)\n$`).MatchString(stdout.String()) {
		t.Errorf("stdout: got %q, want one warning", stdout.String())
	}
}
