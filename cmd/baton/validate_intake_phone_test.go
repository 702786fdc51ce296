package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestValidateWarnsPhoneFieldWithoutPII: under sangdamtalk a notify queue
// whose required intake field is phone: true takes a call-back number, so
// it gets no 상담톡 warning; the field is not pii: true, so validate warns
// about that at the phone key's file:line:col, and still exits 0.
func TestValidateWarnsPhoneFieldWithoutPII(t *testing.T) {
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
  happytalk: {url: "http://127.0.0.1:9000/baton", secret: s3cret}
handoff:
  queues:
    desk: {target: "dealer:happytalk"}
    callback:
      target: notify
      intake:
        - {name: tel, prompt: 연락받을 번호를 알려주세요, phone: true}
`
	file := filepath.Join(t.TempDir(), "phone.yaml")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runValidate([]string{"--config", file}, &stdout, &stderr); code != 0 {
		t.Fatalf("got exit code %d, want 0 (stderr %q)", code, stderr.String())
	}
	want := `^` + regexp.QuoteMeta(file+`:18:54: warning: queue "callback": intake field "tel" is phone: true but not pii: true: a phone number is personal data`) + `[^\n]*\n$`
	if !regexp.MustCompile(want).MatchString(stderr.String()) {
		t.Errorf("stderr: got %q, want a match for %q", stderr.String(), want)
	}
	if !regexp.MustCompile(`; 1 warning\)\n$`).MatchString(stdout.String()) {
		t.Errorf("stdout: got %q, want one warning", stdout.String())
	}
}
