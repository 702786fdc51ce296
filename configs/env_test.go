package configs

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	env := map[string]string{"A": "alpha", "EMPTY": "", "URL": "https://x.example/p?q=1&r=${B}"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		in, want string
	}{
		{"plain", "plain"},
		{"${A}", "alpha"},
		{"x${A}y", "xalphay"},
		{"${UNSET}", ""},
		{"${UNSET:-def}", "def"},
		{"${EMPTY:-def}", "def"},
		{"${A:-def}", "alpha"},
		{"${UNSET:-}", ""},
		{"${UNSET:-http://127.0.0.1:9000/baton}", "http://127.0.0.1:9000/baton"},
		{"$$", "$"},
		{"$${A}", "${A}"},
		{"cost $5", "cost $5"},
		{"end$", "end$"},
		{"${URL}", "https://x.example/p?q=1&r=${B}"}, // values are not expanded twice
	}
	for _, tt := range tests {
		got, err := expand(tt.in, lookup, nil)
		if err != nil {
			t.Errorf("expand(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("expand(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"${A", "${}", "${1A}", "${A B}", "${:-x}", "x ${"} {
		if got, err := expand(bad, lookup, nil); err == nil {
			t.Errorf("expand(%q) = %q, nil; want an error", bad, got)
		}
	}
}

func TestEnvExpansionInConfig(t *testing.T) {
	t.Setenv("BATON_DEALER_URL", "https://dealer.example/baton")
	t.Setenv("BATON_TEST_DEALER_SECRET", "dealer-s3cret") // an https dealer needs one (validateSecrets)
	t.Setenv("BATON_SKILL_TOKEN", "s3cret")
	t.Setenv("BATON_SKILL_TEST_TOKEN", "")
	// YAML syntax inside a value stays a value: nothing is re-parsed.
	tricky := "a: b\n- [c] # d {e} \"f\" ${NOT_EXPANDED}"
	t.Setenv("BATON_TEST_GREETING", tricky)
	// A user text may hold no unknown {placeholder} (validateTextPlaceholders).
	trickyText := "a: b\n- [c] # d \"f\" $HOME"
	t.Setenv("BATON_TEST_FALLBACK", trickyText)
	t.Setenv("BATON_CALLBACK_HOSTS", "bot-api.kakao.com, alt.kakao.com")

	src := minimal(t) + `kakao:
  tokens: ["${BATON_SKILL_TOKEN:-}", "${BATON_SKILL_TEST_TOKEN:-}"]
dealers:
  happytalk: {url: "${BATON_DEALER_URL:-http://127.0.0.1:9000/baton}", secret: "${BATON_TEST_DEALER_SECRET}"}
  other: {url: "${BATON_UNSET_URL:-http://127.0.0.1:9001/baton}", secret: "${BATON_UNSET_SECRET}"}
texts:
  fallback: "${BATON_TEST_FALLBACK}"
  home: "$$HOME 처음으로"
callback: {hosts: ["${BATON_CALLBACK_HOSTS}"]}
`
	src = strings.Replace(src, "welcome: {text: 안녕하세요,", "welcome: {text: \"${BATON_TEST_GREETING}\",", 1)
	cfg, err := Parse("env.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"set variable", cfg.Dealers["happytalk"].URL, "https://dealer.example/baton"},
		{"default when unset", cfg.Dealers["other"].URL, "http://127.0.0.1:9001/baton"},
		{"set secret", cfg.Dealers["happytalk"].Secret, "dealer-s3cret"},
		{"unset without default", cfg.Dealers["other"].Secret, ""},
		{"special characters", cfg.Texts.Fallback, trickyText},
		{"welcome text", cfg.Welcome.Text, tricky},
		{"escaped dollar", cfg.Texts.Home, "$HOME 처음으로"},
		{"tokens (empty dropped)", strings.Join(cfg.Kakao.Tokens, "|"), "s3cret"},
		{"callback hosts split", strings.Join(cfg.Callback.Hosts, "|"), "bot-api.kakao.com|alt.kakao.com"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestEnvExpansionKeepsPositions(t *testing.T) {
	// A long multi-line value expanded early in the file must not move the
	// position of a later mistake.
	t.Setenv("BATON_TEST_LONG", strings.Repeat("긴 값\n", 50))
	src := strings.Replace(minimal(t), "faq: ship-track}", "faq: ship-trak}", 1)
	src = strings.Replace(src, "bot: {name: 테스트몰}", "bot: {name: \"${BATON_TEST_LONG}\"}", 1)
	errs := parseErrors(t, "pos.yaml", src)
	want := `pos.yaml:13:40: option "track" in menu "shipping": faq "ship-trak": no FAQ entry has this id (did you mean "ship-track"?)`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("got %v, want exactly %s", errs, want)
	}
}

func TestEnvExpandedValueIsValidated(t *testing.T) {
	t.Setenv("BATON_DEALER_URL", "ftp://dealer.example")
	src := minimal(t) + "dealers:\n  happytalk: {url: \"${BATON_DEALER_URL}\"}\n"
	errs := parseErrors(t, "url.yaml", src)
	want := `url.yaml:28:20: dealer "happytalk" url ftp://dealer.example is not an absolute http(s) URL`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("got %v, want exactly %s", errs, want)
	}
}

// TestEnvErrorAtTheDollar: an expansion error names the line and column of
// its "${", also inside a block scalar (whose value starts on the lines
// below its "|") and after Korean text (columns count characters), and the
// second "${" of a value when the first is fine.
func TestEnvErrorAtTheDollar(t *testing.T) {
	for _, tc := range []struct{ name, answer, want string }{
		{"plain", `answer: 고객센터 ${PHONE`, "18:18: unterminated ${"},
		{"second of two", `answer: "${A:-가} 그리고 ${B"`, "18:26: unterminated ${"},
		{"literal block", "answer: |\n      마이페이지에서 확인하세요.\n      고객센터 ${PHONE", "20:12: unterminated ${"},
		{"folded block, bad name", "answer: >\n      첫 줄\n      둘째 ${1X} 줄", "20:10: invalid variable name \"1X\""},
		{"escaped first", `answer: "$${A} 와 ${B"`, "18:22: unterminated ${"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimal(t), "answer: 마이페이지 > 주문내역에서 확인하세요.", tc.answer, 1)
			errs := parseErrors(t, "env.yaml", src)
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "env.yaml:"+tc.want) {
				t.Errorf("got %v, want env.yaml:%s…", errs, tc.want)
			}
		})
	}
}
