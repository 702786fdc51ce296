package main

// Helpers for the tests that hold the integrator docs (docs/dealer-contract.md,
// docs/notify-webhook.md) to the real server. They implement what the docs
// say, from the docs alone: they never call handoff.Sign or handoff.Verify,
// so a change on either side that an integrator would notice fails a test.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// docSignatureHeader is the header name of dealer contract §1.
const docSignatureHeader = "X-Baton-Signature"

// docSign is dealer contract §1 as an integrator writes it: t=<unix
// seconds>,v1=<lower-case hex HMAC-SHA256(secret, "<t>." + raw body)>.
func docSign(secret string, t int64, body []byte) string {
	return fmt.Sprintf("t=%d,v1=%s", t, docMAC(secret, t, body))
}

// docMAC is the hex HMAC-SHA256 of "<t>." + body under secret.
func docMAC(secret string, t int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", t)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

var docHexRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// docVerify is a receiver's check of dealer contract §1: a decimal t within
// ±300 s of now, at least one v1= of 64 lower-case hex characters that
// matches in constant time; unknown keys ignored.
func docVerify(secret, header string, body []byte, now time.Time) error {
	if header == "" {
		return fmt.Errorf("no %s header", docSignatureHeader)
	}
	var ts int64 = -1
	var macs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return fmt.Errorf("signature part %q is not key=value", part)
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("t %q is not decimal seconds", v)
			}
			ts = n
		case "v1":
			if !docHexRE.MatchString(v) {
				return fmt.Errorf("v1 %q is not 64 lower-case hex characters", v)
			}
			macs = append(macs, v)
		}
	}
	if ts < 0 || len(macs) == 0 {
		return fmt.Errorf("signature %q lacks t or v1", header)
	}
	if d := now.Unix() - ts; d > 300 || d < -300 {
		return fmt.Errorf("t is %d s from now, want within ±300 s", d)
	}
	want := []byte(docMAC(secret, ts, body))
	for _, m := range macs {
		if hmac.Equal([]byte(m), want) {
			return nil
		}
	}
	return fmt.Errorf("no v1 matches HMAC-SHA256 over %q", fmt.Sprintf("%d.", ts)+"<raw body>")
}

// docRequest is one request a docReceiver got.
type docRequest struct {
	Method, Path string
	Header       http.Header
	Body         []byte
	At           time.Time // when it arrived
}

// docReceiver is a loopback dealer or notify sink that records every
// request and answers each with the next answer of its script (then 200);
// a 3xx points to /redirected, and docHang answers nothing until the
// client gives up.
type docReceiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []docRequest
	script map[string][]docAnswer // path → answers still to give
}

// docAnswer is one scripted answer: a status, and a Retry-After header
// when retryAfter is set.
type docAnswer struct {
	status     int
	retryAfter string
}

// docHang is a scripted status that answers nothing: the handler holds the
// request until the client gives up on it.
const docHang = -1

func newDocReceiver(t *testing.T) *docReceiver {
	t.Helper()
	r := &docReceiver{script: map[string][]docAnswer{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, docRequest{Method: req.Method, Path: req.URL.Path, Header: req.Header.Clone(), Body: body, At: time.Now()})
		a := docAnswer{status: http.StatusOK}
		if s := r.script[req.URL.Path]; len(s) > 0 {
			a, r.script[req.URL.Path] = s[0], s[1:]
		}
		r.mu.Unlock()
		if a.status == docHang {
			<-req.Context().Done() // the client hung up
			return
		}
		if a.status/100 == 3 {
			w.Header().Set("Location", "/redirected") // a follower would come here
		}
		if a.retryAfter != "" {
			w.Header().Set("Retry-After", a.retryAfter)
		}
		w.WriteHeader(a.status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// answer makes the receiver answer the next requests to path with statuses.
func (r *docReceiver) answer(path string, statuses ...int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range statuses {
		r.script[path] = append(r.script[path], docAnswer{status: s})
	}
}

// answerRetryAfter makes the receiver answer the next request to path with
// status and a Retry-After header of retryAfter.
func (r *docReceiver) answerRetryAfter(path string, status int, retryAfter string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.script[path] = append(r.script[path], docAnswer{status, retryAfter})
}

// at returns the requests received on path so far.
func (r *docReceiver) at(path string) []docRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []docRequest
	for _, q := range r.reqs {
		if q.Path == path {
			out = append(out, q)
		}
	}
	return out
}

// docSection returns the text of file (relative to the repository root)
// from the heading that starts with heading to the next heading of any
// level.
func docSection(t *testing.T, file, heading string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + file)
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n"+heading)
	if !ok {
		t.Fatalf("%s has no heading %q", file, heading)
	}
	if i := strings.Index(sec, "\n#"); i >= 0 {
		sec = sec[:i]
	}
	return sec
}

// docJSONExample returns the first ```json block of a doc section.
func docJSONExample(t *testing.T, file, heading string) []byte {
	t.Helper()
	sec := docSection(t, file, heading)
	_, block, ok := strings.Cut(sec, "```json\n")
	if !ok {
		t.Fatalf("%s %q has no json example", file, heading)
	}
	block, _, _ = strings.Cut(block, "```")
	return []byte(block)
}

// jsonKeys returns the keys of the JSON object raw in the order written;
// nested objects' keys as "parent.key", after the parent.
func jsonKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	var out []string
	var walk func(prefix string, raw json.RawMessage)
	walk = func(prefix string, raw json.RawMessage) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("keys of %s: %v", raw, err)
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("keys of %s: %v", raw, err)
			}
			k := prefix + tok.(string)
			out = append(out, k)
			walk(k+".", v)
		}
	}
	walk("", raw)
	return out
}

// docTimeRE is "RFC 3339, UTC, seconds" (dealer contract §2.1).
var docTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
