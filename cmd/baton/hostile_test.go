package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/skill"
)

// The hostile-input suite: what an attacker or a broken client can send to
// the public address, each with the outcome Baton owes it. /skill always
// answers 200 with a valid bubble (413 over 64 KB); the fallback when the
// payload cannot identify a user, a normal answer when it can. Dealer
// events answer 401 to anything not signed with the dealer's secret inside
// the allowed skew, apply a replayed event once, and never 5xx on input.

// outcome is what a hostile /skill request must get.
type outcome int

const (
	wantFallback outcome = iota // 200 + the fallback bubble, nothing stored
	wantAnswer                  // 200 + a valid bubble that is not the fallback
	want413                     // 413, nothing stored
)

func (o outcome) String() string {
	return [...]string{"fallback", "answer", "413"}[o]
}

// setPath returns the JSON of payload with the value at path (dot
// separated) replaced by v.
func setPath(t *testing.T, payload []byte, path string, v any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(payload, &doc); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	m := doc
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("path %s: %s is not an object", path, k)
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// leafPaths lists every path of the JSON object doc (objects and their
// leaves), depth first.
func leafPaths(prefix string, doc map[string]any) []string {
	var out []string
	for k, v := range doc {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		out = append(out, p)
		if m, ok := v.(map[string]any); ok {
			out = append(out, leafPaths(p, m)...)
		}
	}
	return out
}

// identityPaths are the payload fields that identify the user: a wrong
// type in any of them leaves the turn without a user (spec §11), which
// gets the fallback. Everything else is read leniently.
var identityPaths = map[string]bool{
	"userRequest": true, "userRequest.user": true, "userRequest.user.id": true,
}

func TestHostileSkillInputs(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	valid := func(user string) []byte {
		return turn{User: user, Utterance: "배송 조회", IsFriend: true}.payload()
	}
	type tcase struct {
		name string
		user string // the payload's user, "" when it has none: nothing may be stored for it
		body []byte
		want outcome
	}
	cases := []tcase{
		{"deep nesting, whole body", "", []byte(strings.Repeat("[", 30000) + strings.Repeat("]", 30000)), wantFallback},
		{"deep nesting in clientExtra", "h-deep-extra", bytes.Replace(valid("h-deep-extra"), []byte(`"clientExtra":{}`),
			[]byte(`"clientExtra":`+strings.Repeat("[", 10500)+strings.Repeat("]", 10500)), 1), wantFallback},
		{"nesting within the decoder's depth in clientExtra", "h-nest-ok", setPath(t, valid("h-nest-ok"), "action.clientExtra",
			json.RawMessage(strings.Repeat(`{"a":`, 500)+"1"+strings.Repeat("}", 500))), wantAnswer},
		{"huge utterance under 64 KB", "h-huge-utt", turn{User: "h-huge-utt", Utterance: strings.Repeat("배송 조회 ", 3500)}.payload(), wantAnswer},
		{"user id over MaxUserIDBytes", "", turn{User: strings.Repeat("u", skill.MaxUserIDBytes+1), Utterance: "배송"}.payload(), wantFallback},
		{"user id of MaxUserIDBytes", strings.Repeat("u", skill.MaxUserIDBytes), turn{User: strings.Repeat("u", skill.MaxUserIDBytes), Utterance: "배송"}.payload(), wantAnswer},
		{"1 MB body", "h-1mb", turn{User: "h-1mb", Utterance: strings.Repeat("가", 1<<20/3)}.payload(), want413},
		// Refused rather than stored as U+FFFD (skill.Decode).
		{"invalid UTF-8 in the utterance", "h-utf8", bytes.Replace(valid("h-utf8"), []byte("배송 조회"), []byte("\xff\xfe배송\xc3"), 1), wantFallback},
		{"invalid UTF-8 outside strings", "", append([]byte{0xff, 0xfe}, valid("h-utf8b")...), wantFallback},
		{"NUL and control characters in the utterance", "h-ctrl", turn{User: "h-ctrl", Utterance: "배송\x00\x01\x1b[31m조회"}.payload(), wantAnswer},
		{"utterance of lone surrogates", "h-surr", bytes.Replace(valid("h-surr"), []byte("배송 조회"), []byte(`\ud800\udfff\ud800`), 1), wantAnswer},
		{"forged Baton extra", "h-extra", setPath(t, valid("h-extra"), "action.clientExtra",
			map[string]any{"baton": map[string]any{"v": "forged", "n": "../../etc", "o": strings.Repeat("x", 5000), "s": "human"}}), wantAnswer},
		{"JSON with trailing garbage", "", append(valid("h-trail"), []byte(`{"x":1}`)...), wantFallback},
		{"duplicate keys", "h-dup", []byte(strings.Replace(string(valid("h-dup")), `"lang":"ko"`, `"lang":"ko","lang":5`, 1)), wantAnswer},
	}
	// Wrong types in every field of a real payload.
	var doc map[string]any
	if err := json.Unmarshal(valid("x"), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range leafPaths("", doc) {
		for _, wrong := range []any{12345, []any{"a", 1}, "str", true, nil, map[string]any{"x": 1}} {
			user := fmt.Sprintf("h-type-%s-%T", p, wrong)
			body := setPath(t, valid(user), p, wrong)
			want := wantAnswer
			if identityPaths[p] {
				want = wantFallback
				if s, ok := wrong.(string); ok && p == "userRequest.user.id" {
					user, want = s, wantAnswer // a string id is an id
				}
				if _, ok := wrong.(map[string]any); ok && p != "userRequest.user.id" {
					user = "" // an object without the id
				}
			}
			if want == wantFallback {
				user = ""
			}
			cases = append(cases, tcase{fmt.Sprintf("%s as %T", p, wrong), user, body, want})
		}
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := postSkill(t, m, tc.body, nil)
			var got outcome
			switch {
			case code == http.StatusRequestEntityTooLarge:
				got = want413
			case code != http.StatusOK:
				t.Fatalf("got status %d, want 200 or 413", code)
			default:
				if err := kakaospec.Validate(out); err != nil {
					t.Fatalf("invalid SkillResponse: %v\n%.300s", err, out)
				}
				got = wantAnswer
				if isFallback(t, out) {
					got = wantFallback
				}
			}
			if got != tc.want {
				t.Fatalf("got %s, want %s: %.300s", got, tc.want, out)
			}
			if tc.user != "" && tc.want != wantAnswer {
				if n, err := m.DB.CountTurns(context.Background(), tc.user); err != nil || n != 0 {
					t.Fatalf("%d turns stored (err %v), want none", n, err)
				}
			}
		})
	}
}

func TestHostileDealerEvents(t *testing.T) {
	t.Parallel()
	const secret = "hostile-dealer-secret"
	env := testEnv{}
	env["BATON_DEALER_SECRET"] = secret
	env["BATON_DEALER_URL"] = "http://127.0.0.1:1/baton"
	m := startBatonEnv(t, exampleConfig, t.TempDir(), nil, env)
	url := "http://" + m.PublicAddr() + "/dealers/happytalk/events"
	post := func(t *testing.T, url, header string, body []byte) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if header != "" {
			req.Header.Set(handoff.SignatureHeader, header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	event := func(id, typ, pf string) []byte {
		b, _ := json.Marshal(map[string]any{"version": 1, "id": id, "type": typ, "at": time.Now().UTC().Format(time.RFC3339),
			"user": map[string]any{"plusfriend_user_key": pf}})
		return b
	}
	sign := func(body []byte, at time.Time) string { return handoff.Sign([]byte(secret), at, body) }
	// The user the events name is known to Baton (plusfriend key pf-hostile-1).
	if code, out := postSkill(t, m, turn{User: "hostile-1", Block: "웰컴 블록", IsFriend: true}.payload(), nil); code != http.StatusOK {
		t.Fatalf("welcome: got %d %s", code, out)
	}
	now := time.Now()
	started := event("hostile-ev-1", "session.started", "pf-hostile-1")
	forgedAt := time.Now()

	cases := []struct {
		name, url, header string
		body              []byte
		status            int
		answer            string // a substring of the answer
	}{
		{"no signature", url, "", started, 401, "bad signature"},
		{"signed with another secret", url, handoff.Sign([]byte("not-the-secret"), forgedAt, started), started, 401, "bad signature"},
		{"signature of another body", url, sign(event("hostile-ev-x", "session.ended", "pf-hostile-1"), now), started, 401, "bad signature"},
		{"stale timestamp (301 s old)", url, sign(started, now.Add(-301*time.Second)), started, 401, "bad signature"},
		// The header holds whole seconds (now rounded down), and the server
		// reads its clock later: 301 s after a now of x.9 s is only 300.1 s
		// ahead of the server's x+0.2 s, within the skew. 302 s is more
		// than 300 s ahead for up to a second.
		{"timestamp from the future (302 s)", url, sign(started, now.Add(302*time.Second)), started, 401, "bad signature"},
		{"malformed header", url, "t=abc,v1=zz", started, 401, "bad signature"},
		{"v1 not hex", url, "t=" + fmt.Sprint(now.Unix()) + ",v1=" + strings.Repeat("g", 64), started, 401, "bad signature"},
		{"unknown dealer", strings.Replace(url, "happytalk", "nobody", 1), sign(started, now), started, 404, "unknown dealer"},
		{"signed deep nesting", url, sign([]byte(strings.Repeat("[", 20000)), now), []byte(strings.Repeat("[", 20000)), 400, "malformed"},
		{"signed invalid UTF-8", url, sign([]byte("\xff\xfe{"), now), []byte("\xff\xfe{"), 400, "malformed"},
		{"signed wrong version", url, sign([]byte(`{"version":2,"id":"v2","type":"session.started"}`), now), []byte(`{"version":2,"id":"v2","type":"session.started"}`), 400, "version"},
		{"signed wrong types", url, sign([]byte(`{"version":"1","id":7,"type":[]}`), now), []byte(`{"version":"1","id":7,"type":[]}`), 400, "malformed"},
		{"signed id too long", url, sign(event(strings.Repeat("i", 201), "session.started", "pf-x"), now), event(strings.Repeat("i", 201), "session.started", "pf-x"), 400, "id"},
		{"signed, over 64 KB", url, "", bytes.Repeat([]byte(" "), 65<<10+1), 413, "too large"},
		{"first delivery", url, sign(started, now), started, 200, `"applied"`},
		{"replayed verbatim", url, sign(started, now), started, 200, `"duplicate"`},
		{"replayed with a fresh signature", url, sign(started, time.Now()), started, 200, `"duplicate"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, answer := post(t, tc.url, tc.header, tc.body)
			if code != tc.status || !strings.Contains(answer, tc.answer) {
				t.Fatalf("got %d %s, want %d with %q", code, strings.TrimSpace(answer), tc.status, tc.answer)
			}
		})
	}
	// Only the first delivery did anything: one external handoff (the user
	// reached 상담톡 outside Baton), accepted; the conversation keeps its
	// state.
	h, ok, err := m.DB.OpenHandoff(context.Background(), "hostile-1")
	if err != nil || !ok || h.AcceptedAt.IsZero() {
		t.Fatalf("after the events: open handoff %v (err %v) %+v, want one accepted external handoff", ok, err, h)
	}
	_, c, _, err := m.DB.Load(context.Background(), "hostile-1")
	if err != nil || c.State != fsm.StateBot {
		t.Fatalf("after the events: state %q (err %v), want %q", c.State, err, fsm.StateBot)
	}
}

func TestHostileCallbackURLs(t *testing.T) {
	rec := newSinkRecorder(t)
	c := handoff.NewCallbackClient([]string{"bot-api.kakao.com"})
	for _, u := range []string{
		rec.srv.URL + "/callback", // loopback, plain http
		"https://evil.example.com/callback",
		"http://bot-api.kakao.com/callback", // not https
		"https://bot-api.kakao.com.evil.example.com/callback",
		"https://bot-api.kakao.com@evil.example.com/callback",
		"https://evil.example.com/bot-api.kakao.com",
		"https://BOT-API.kakao.com:8443/callback", // another port
		"//bot-api.kakao.com/callback",
		"", "::", "https://[::1]/callback",
	} {
		t.Run(u, func(t *testing.T) {
			if c.Allowed(u) {
				t.Fatalf("Allowed(%q) = true, want false", u)
			}
			if err := c.Post(context.Background(), u, []byte(`{"version":"2.0"}`)); err == nil {
				t.Fatalf("Post(%q): got no error, want the URL refused", u)
			}
		})
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("the loopback recorder got %d requests, want 0", n)
	}
}
