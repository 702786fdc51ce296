package configs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUnsetVarWarnings: a ${VAR} without a default that the environment
// lacks loads (as "") with a warning at its value; a default, ${VAR:-},
// a variable set (even to "") and a literal $${VAR} do not warn.
func TestUnsetVarWarnings(t *testing.T) {
	t.Setenv("BATON_TEST_SET", "kakao-rest-key")
	t.Setenv("BATON_TEST_EMPTY", "")
	for _, tc := range []struct {
		name, extra string
		want        []string
	}{
		{"unset", "event_api: {rest_api_key: \"${BATON_TEST_UNSET_KEY}\"}\n",
			[]string{"env.yaml:27:27: ${BATON_TEST_UNSET_KEY} is not set in the environment, so it expands to nothing in event_api.rest_api_key: set it, or write ${BATON_TEST_UNSET_KEY:-default} (${BATON_TEST_UNSET_KEY:-} if empty is meant)"}},
		{"inside a text", "texts: {fallback: \"${BATON_TEST_UNSET_SHOP} 오류가 났어요\"}\n",
			[]string{"env.yaml:27:19: ${BATON_TEST_UNSET_SHOP} is not set in the environment, so it expands to nothing in texts.fallback: set it, or write ${BATON_TEST_UNSET_SHOP:-default} (${BATON_TEST_UNSET_SHOP:-} if empty is meant)"}},
		{"two in a list", "kakao: {tokens: [\"${BATON_TEST_UNSET_A}\", \"${BATON_TEST_UNSET_B}\"]}\n",
			[]string{
				"env.yaml:27:18: ${BATON_TEST_UNSET_A} is not set in the environment, so it expands to nothing in kakao.tokens[0]: set it, or write ${BATON_TEST_UNSET_A:-default} (${BATON_TEST_UNSET_A:-} if empty is meant)",
				"env.yaml:27:43: ${BATON_TEST_UNSET_B} is not set in the environment, so it expands to nothing in kakao.tokens[1]: set it, or write ${BATON_TEST_UNSET_B:-default} (${BATON_TEST_UNSET_B:-} if empty is meant)",
			}},
		{"default", "event_api: {rest_api_key: \"${BATON_TEST_UNSET_KEY:-abc}\"}\n", nil},
		{"empty default", "event_api: {rest_api_key: \"${BATON_TEST_UNSET_KEY:-}\"}\n", nil},
		{"set", "event_api: {rest_api_key: \"${BATON_TEST_SET}\"}\n", nil},
		{"set to empty", "event_api: {rest_api_key: \"${BATON_TEST_EMPTY}\"}\n", nil},
		{"literal dollar", "texts: {fallback: \"$$BATON_TEST_UNSET 오류\"}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("env.yaml", []byte(minimal(t)+tc.extra))
			if err != nil {
				t.Fatal(err)
			}
			got := warningTexts(cfg)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
