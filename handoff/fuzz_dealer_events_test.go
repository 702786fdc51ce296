package handoff_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
)

// signedPost posts body to the happytalk event endpoint with the given
// signature header and returns the status and answer.
func (e *dealerEnv) signedPost(t testing.TB, header string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+"/dealers/happytalk/events", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set(handoff.SignatureHeader, header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// FuzzDealerEvents drives POST /dealers/{name}/events (signature check,
// decode, dedupe, apply against a real store and lifecycle) with arbitrary
// bodies and signature headers. A body carrying an arbitrary header is
// answered 401 exactly when handoff.Verify refuses the header. A correctly
// signed body is answered 200, 400 or 413 — never 5xx, never a panic —
// and a 200 event replayed verbatim is answered 200 "duplicate".
func FuzzDealerEvents(f *testing.F) {
	now := time.Now().UTC().Format(time.RFC3339)
	for _, s := range []string{
		`{"version":1,"id":"ev-1","type":"session.started","user":{"plusfriend_user_key":"pf-x"},"at":"` + now + `"}`,
		`{"version":1,"id":"ev-2","type":"session.ended","handoff_id":"01HZZZZZZZZZZZZZZZZZZZZZZZ","end_type":"agent","at":"` + now + `"}`,
		`{"version":1,"id":"ev-3","type":"agent.assigned","agent":{"id":"a1","name":"김상담"},"user":{"plusfriend_user_key":"pf-y"}}`,
		`{"version":1,"id":"ev-4","type":"session.ended","user":{"plusfriend_user_key":"pf-x"},"bot_event":"상담 종료"}`,
		`{"version":2,"id":"ev-5","type":"session.started"}`,
		`{"version":1,"id":"","type":"x"}`, `{"version":"1"}`, `[]`, `null`, ``, "\xff\xfe", `{"version":1,"id":"ev-6","type":"session.started","user":7}`,
	} {
		f.Add([]byte(s), "", true)
		f.Add([]byte(s), "t=1,v1=00", false)
	}
	e := newDealerEnv(f)
	secret := []byte(eventSecret)
	f.Fuzz(func(t *testing.T, body []byte, header string, sign bool) {
		if strings.IndexFunc(header, func(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }) >= 0 {
			return // not a header value net/http sends
		}
		if !sign {
			code, answer := e.signedPost(t, header, body)
			refused := handoff.Verify(secret, header, body, time.Now(), handoff.DefaultSignatureSkew) != nil
			if len(body) <= 64<<10 && refused != (code == http.StatusUnauthorized) {
				t.Fatalf("header %q: got %d %s; Verify refuses it: %v", header, code, answer, refused)
			}
			return
		}
		signed := handoff.Sign(secret, time.Now(), body)
		code, answer := e.signedPost(t, signed, body)
		switch code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("signed body: got %d %s, want 200, 400 or 413", code, answer)
		}
		if code != http.StatusOK {
			return
		}
		code, answer = e.signedPost(t, handoff.Sign(secret, time.Now(), body), body)
		if code != http.StatusOK || !strings.Contains(answer, `"`+handoff.EventDuplicate+`"`) {
			t.Fatalf("replayed event: got %d %s, want 200 %q", code, answer, handoff.EventDuplicate)
		}
	})
}

// FuzzVerify checks the signature primitive on its own: a header made by
// Sign for the body verifies; the same header on any other body, with any
// other secret, or a header outside the skew does not; and an arbitrary
// header never panics and is refused with ErrBadSignature unless it holds a
// valid v1 value.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"version":1}`), []byte("s3cret"), "t=1700000000,v1=abc", int64(1700000000), byte(1))
	f.Add([]byte(""), []byte("k"), "", int64(0), byte(0))
	f.Add([]byte("x"), []byte("k"), "t=,v1=,v1=,v2=zz", int64(-1), byte(255))
	f.Fuzz(func(t *testing.T, body, secret []byte, header string, unix int64, flip byte) {
		if unix < -1e11 || unix > 1e11 {
			return // outside time.Unix's useful range
		}
		at := time.Unix(unix, 0)
		if err := handoff.Verify(secret, header, body, at, handoff.DefaultSignatureSkew); err != nil && !errors.Is(err, handoff.ErrBadSignature) {
			t.Fatalf("arbitrary header: got %v, want ErrBadSignature", err)
		}
		if len(secret) == 0 {
			return
		}
		h := handoff.Sign(secret, at, body)
		if err := handoff.Verify(secret, h, body, at, handoff.DefaultSignatureSkew); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		if err := handoff.Verify(secret, h, body, at.Add(handoff.DefaultSignatureSkew+time.Second), handoff.DefaultSignatureSkew); err == nil {
			t.Fatal("stale signature accepted")
		}
		other := append(append([]byte(nil), body...), flip)
		if err := handoff.Verify(secret, h, other, at, handoff.DefaultSignatureSkew); err == nil {
			t.Fatal("signature accepted for another body")
		}
		// A zero byte appended to a short HMAC key pads to the same key, so
		// the other secret gets a non-zero byte.
		otherSecret := append(append([]byte(nil), secret...), flip|1)
		if err := handoff.Verify(otherSecret, h, body, at, handoff.DefaultSignatureSkew); err == nil {
			t.Fatal("signature accepted with another secret")
		}
	})
}
