package configs

import (
	"strings"
	"testing"
)

// TestNestedEnvDefault: ${A:-${B}} loaded as the literal text "${B}" (the
// default ended at the first }, the second } was kept), without a word. A
// default is expanded in turn: A, else B.
func TestNestedEnvDefault(t *testing.T) {
	env := func(n string) (string, bool) {
		switch n {
		case "ZZ_SET":
			return "샘플몰", true
		case "ZZ_OTHER":
			return "다른몰", true
		}
		return "", false
	}
	for _, tc := range []struct{ value, want string }{
		{`"${ZZ_UNSET:-${ZZ_SET}}"`, "샘플몰"},
		{`"${ZZ_OTHER:-${ZZ_SET}}"`, "다른몰"},
		{`"${ZZ_UNSET:-${ZZ_UNSET2:-${ZZ_SET}}} 고객센터"`, "샘플몰 고객센터"},
		{`"${ZZ_UNSET:-{x}}"`, "{x}"},
		{`"${ZZ_UNSET:-$${ZZ_SET}}"`, "${ZZ_SET}"},
	} {
		src := minimalReplace(t, "name: 테스트몰", "name: "+tc.value)
		cfg, err := ParseWith("env.yaml", []byte(src), Options{Env: env})
		if err != nil {
			t.Errorf("%s: %v", tc.value, err)
			continue
		}
		if cfg.Bot.Name != tc.want {
			t.Errorf("%s: bot name loaded as %q, want %q", tc.value, cfg.Bot.Name, tc.want)
		}
	}
	// A mistake inside a default is an error at its own "${", also when the
	// default is not used.
	for _, tc := range []struct{ value, want string }{
		{`"${ZZ_SET:-${1BAD}}"`, `env.yaml:2:24: invalid variable name "1BAD"`},
		{`"${ZZ_UNSET:-${ZZ_SET}"`, `env.yaml:2:14: unterminated ${`},
	} {
		src := minimalReplace(t, "name: 테스트몰", "name: "+tc.value)
		_, err := ParseWith("env.yaml", []byte(src), Options{Env: env})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q…", tc.value, err, tc.want)
		}
	}
	// An unset variable in a default used is warned about; in one not used, not.
	var unset []string
	src := minimalReplace(t, "name: 테스트몰", `name: "${ZZ_UNSET:-${ZZ_GONE}}${ZZ_SET:-${ZZ_NOPE}}"`)
	if _, err := ParseWith("env.yaml", []byte(src), Options{Env: env, Unset: func(n string) { unset = append(unset, n) }}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(unset, ",") != "ZZ_GONE" {
		t.Errorf("unset reported %v, want [ZZ_GONE]", unset)
	}
}
