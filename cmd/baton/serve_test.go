package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/internal/testutil"
)

// isFallback reports whether body is the stateless fallback: a textCard
// whose only button is the operator button.
func isFallback(t testing.TB, body []byte) bool {
	t.Helper()
	var r struct {
		Template struct {
			Outputs []struct {
				TextCard *struct {
					Description string `json:"description"`
					Buttons     []struct {
						Action string `json:"action"`
					} `json:"buttons"`
				} `json:"textCard"`
			} `json:"outputs"`
		} `json:"template"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, body)
	}
	o := r.Template.Outputs
	return len(o) == 1 && o[0].TextCard != nil && len(o[0].TextCard.Buttons) == 1 &&
		o[0].TextCard.Buttons[0].Action == "operator" &&
		strings.Contains(o[0].TextCard.Description, "문제가 생겼어요")
}

func TestSkillAnswersRealShapedPayloads(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	files, err := filepath.Glob("../../skill/testdata/payloads/*.json")
	if err != nil || len(files) < 10 {
		t.Fatalf("want ≥ 10 payload fixtures, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			code, out := postSkill(t, m, body, nil)
			if code != http.StatusOK {
				t.Fatalf("got status %d, want 200: %s", code, out)
			}
			if err := kakaospec.Validate(out); err != nil {
				t.Fatalf("invalid SkillResponse: %v\n%s", err, out)
			}
			if isFallback(t, out) {
				t.Fatalf("got the fallback for a valid payload: %s", out)
			}
		})
	}
}

func TestSkillHostileBodiesGetFallback(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	valid := turn{User: "u-hostile", Utterance: "배송 조회"}.payload()
	deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	cases := map[string][]byte{
		"empty":           {},
		"not json":        []byte("hello"),
		"null":            []byte("null"),
		"array":           []byte("[1,2,3]"),
		"truncated":       valid[:len(valid)/2],
		"deep nesting":    []byte(deep[:60000]),
		"invalid utf8":    append([]byte(`{"userRequest":{"user":{"id":"`), 0xff, 0xfe, '"', '}', '}', '}'),
		"no user":         []byte(`{"userRequest":{"utterance":"hi","block":{"id":"b","name":"폴백 블록"}}}`),
		"user id number":  []byte(`{"userRequest":{"user":{"id":12345},"utterance":"hi"}}`),
		"user not obj":    []byte(`{"userRequest":{"user":"kim"}}`),
		"userRequest str": []byte(`{"userRequest":"x"}`),
		"string":          []byte(`"just a string"`),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			code, out := postSkill(t, m, body, nil)
			if code != http.StatusOK {
				t.Fatalf("got status %d, want 200", code)
			}
			if err := kakaospec.Validate(out); err != nil {
				t.Fatalf("invalid SkillResponse: %v\n%s", err, out)
			}
			if !isFallback(t, out) {
				t.Fatalf("got %s, want the fallback", out)
			}
		})
	}
}

func TestSkillWrongTypesInLenientFieldsStillAnswer(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	// Fields Baton does not rely on may carry anything (spec §11: be lenient).
	body := []byte(`{"intent":{"id":"x","name":"폴백 블록","extra":7},"userRequest":{"timezone":1,"block":{"id":"b","name":"폴백 블록"},
	"utterance":"배송 조회","lang":5,"params":[],"user":{"id":"u-lenient","type":null,"properties":{"isFriend":"yes"}}},
	"bot":{"id":"bot","name":null},"action":{"clientExtra":"null","params":{"n":{"amount":3}},"detailParams":{"n":{"origin":"3번","value":{"amount":3}}}},
	"contexts":{},"flow":null,"brandNewField":{"x":[1,2]}}`)
	code, out := postSkill(t, m, body, nil)
	if code != http.StatusOK {
		t.Fatalf("got status %d, want 200", code)
	}
	if err := kakaospec.Validate(out); err != nil {
		t.Fatalf("invalid SkillResponse: %v\n%s", err, out)
	}
	if isFallback(t, out) {
		t.Fatalf("got the fallback for a decodable payload: %s", out)
	}
}

func TestSkillBodyOver64KBGets413(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	big := turn{User: "u-big", Utterance: strings.Repeat("가", 1<<20/3)}.payload()
	code, _ := postSkill(t, m, big, nil)
	if code != http.StatusRequestEntityTooLarge {
		t.Fatalf("got status %d for a %d-byte body, want 413", code, len(big))
	}
	// Just over the limit, sent without Content-Length (chunked).
	req, _ := http.NewRequest(http.MethodPost, "http://"+m.PublicAddr()+"/skill", io.MultiReader(bytes.NewReader(make([]byte, 64<<10)), strings.NewReader("x")))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked 64 KB + 1: got status %d, want 413", resp.StatusCode)
	}
}

func TestSkillTokens(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_SKILL_TOKEN"] = "prod-secret-7f3a9c21"
	env["BATON_SKILL_TEST_TOKEN"] = "test-secret-4b8e0d65"
	m := startBatonEnv(t, exampleConfig, t.TempDir(), nil, env)
	ctx := context.Background()
	for _, tc := range []struct {
		name, user, token string
		want              int
	}{
		{"missing", "u-tok-missing", "", http.StatusUnauthorized},
		{"wrong", "u-tok-wrong", "nope", http.StatusUnauthorized},
		{"prefix of the real one", "u-tok-prefix", "prod-secret-7f3a9c2", http.StatusUnauthorized},
		{"헤더값", "u-tok-prod", "prod-secret-7f3a9c21", http.StatusOK},
		{"테스트 헤더값", "u-tok-test", "test-secret-4b8e0d65", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.token != "" {
				h["X-Baton-Token"] = tc.token
			}
			code, out := postSkill(t, m, turn{User: tc.user, Block: "웰컴 블록"}.payload(), h)
			if code != tc.want {
				t.Fatalf("got status %d, want %d: %s", code, tc.want, out)
			}
			n, err := m.DB.CountTurns(ctx, tc.user)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.want == http.StatusOK]; n != want {
				t.Fatalf("got %d stored turns, want %d", n, want)
			}
		})
	}
}

func TestSkillStoreErrorGetsFallback(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	if code, _ := postSkill(t, m, turn{User: "u-store", Block: "웰컴 블록"}.payload(), nil); code != 200 {
		t.Fatalf("warm-up: got %d", code)
	}
	if err := m.DB.Close(); err != nil {
		t.Fatal(err)
	}
	code, out := postSkill(t, m, turn{User: "u-store", Utterance: "배송 조회"}.payload(), nil)
	if code != http.StatusOK || !isFallback(t, out) {
		t.Fatalf("with the store closed: got %d %s, want 200 + fallback", code, out)
	}
}

func TestEveryAnsweredTurnIsStored(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	ctx := context.Background()
	utterances := []string{"", "배송 조회", "환불 언제 돼요", "1", "0", "쿠폰"}
	for i, u := range utterances {
		tr := turn{User: "u-count", Utterance: u}
		if i == 0 {
			tr.Block = "웰컴 블록"
		}
		code, out := postSkill(t, m, tr.payload(), nil)
		if code != 200 || isFallback(t, out) {
			t.Fatalf("turn %d: got %d %s", i, code, out)
		}
		clock.Advance(2 * time.Second) // a person's pace: under the rate limit
	}
	n, err := m.DB.CountTurns(ctx, "u-count")
	if err != nil {
		t.Fatal(err)
	}
	if n != len(utterances) {
		t.Fatalf("got %d stored turns, want %d", n, len(utterances))
	}
}

func TestAdminEndpoints(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	get := func(addr, path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(m.PublicAddr(), "/healthz"); code != 200 {
		t.Fatalf("/healthz: got %d %s", code, body)
	}
	code, body := get(m.AdminAddrBound(), "/readyz")
	if code != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"nats":"ok"`) {
		t.Fatalf("/readyz: got %d %s", code, body)
	}
	postSkill(t, m, []byte("garbage"), nil)
	code, body = get(m.AdminAddrBound(), "/metrics")
	if code != 200 || !strings.Contains(body, `baton_skill_fallbacks_total{reason="decode"} 1`) {
		t.Fatalf("/metrics: got %d, want a decode fallback counted:\n%s", code, body)
	}
	// The admin endpoints are not on the public address.
	if code, _ := get(m.PublicAddr(), "/metrics"); code == 200 {
		t.Fatal("/metrics is served on the public address")
	}
	// NATS down is degraded, not failed.
	m.NC.Close()
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		code, body = get(m.AdminAddrBound(), "/readyz")
		if !strings.Contains(body, `"status":"degraded"`) {
			return fmt.Errorf("readyz says %s", body)
		}
		return nil
	})
	if code != 200 || !strings.Contains(body, `"status":"degraded"`) {
		t.Fatalf("/readyz with NATS closed: got %d %s, want 200 degraded", code, body)
	}
}

func TestServeRefusesAnOpenSkillOffLoopback(t *testing.T) {
	m := NewMain()
	m.ConfigPath = exampleConfig
	m.Addr, m.AdminAddr, m.DataDir = "0.0.0.0:0", "127.0.0.1:0", t.TempDir()
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	err := m.Run(context.Background())
	t.Cleanup(func() { _ = m.Close() })
	if err == nil || !strings.Contains(err.Error(), "kakao.tokens is empty") {
		t.Fatalf("Run on 0.0.0.0 without tokens: got %v, want a refusal naming kakao.tokens", err)
	}
	// With a token the same address is fine.
	t.Setenv("BATON_SKILL_TOKEN", "offloop-secret-5c2d9e")
	m2 := NewMain()
	m2.ConfigPath = exampleConfig
	m2.Addr, m2.AdminAddr, m2.DataDir = "0.0.0.0:0", "127.0.0.1:0", t.TempDir()
	m2.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := m2.Run(context.Background()); err != nil {
		t.Fatalf("Run on 0.0.0.0 with a token: %v", err)
	}
	_ = m2.Close()
}
