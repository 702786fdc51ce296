package configs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseWithEnv: Options.Env replaces the environment for ${VAR}s (a
// set variable is not warned about), and Options.Unset hears each ${VAR}
// without a default that Env lacks, once per use, also when the load then
// fails.
func TestParseWithEnv(t *testing.T) {
	env := map[string]string{"BATON_OPT_KEY": "rest-key-from-env-file"}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	var unset []string
	src := minimal(t) + "event_api: {rest_api_key: \"${BATON_OPT_KEY}\", base_url: \"${BATON_OPT_BASE:-https://bot-api.kakao.com}\"}\n" +
		"texts: {fallback: \"${BATON_OPT_SHOP} ${BATON_OPT_SHOP} 오류가 났어요\"}\n"
	cfg, err := ParseWith("env.yaml", []byte(src), Options{Env: lookup, Unset: func(name string) { unset = append(unset, name) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.EventAPI.RestAPIKey; got != "rest-key-from-env-file" {
		t.Errorf("rest_api_key: got %q, want the value from Options.Env", got)
	}
	if diff := cmp.Diff([]string{"BATON_OPT_SHOP", "BATON_OPT_SHOP"}, unset); diff != "" {
		t.Errorf("Unset calls (-want +got):\n%s", diff)
	}
	if len(cfg.Warnings) != 2 {
		t.Errorf("warnings: got %v, want the two uses of ${BATON_OPT_SHOP}", cfg.Warnings)
	}

	// A later check fails the load: Unset has still heard the name.
	unset = nil
	bad := minimal(t) + "dealers: {d1: {url: \"https://dealer.example.com\", secret: \"${BATON_OPT_SECRET}\"}}\n"
	if _, err := ParseWith("env.yaml", []byte(bad), Options{Env: lookup, Unset: func(name string) { unset = append(unset, name) }}); err == nil {
		t.Fatal("a dealer with an empty secret loaded, want an error")
	}
	if diff := cmp.Diff([]string{"BATON_OPT_SECRET"}, unset); diff != "" {
		t.Errorf("Unset calls on a failed load (-want +got):\n%s", diff)
	}
}
