package configs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBareVarWarnings: "$NAME" without braces is kept as written, so a
// token or URL written that way never reads the environment: the load warns
// at the value. ${NAME}, $$NAME, a price in dollars and lower-case text do
// not warn.
func TestBareVarWarnings(t *testing.T) {
	t.Setenv("SHOP_SKILL_TOKEN_1", "s3cret-s3cret-s3cret") // 16+ characters: no short-token warning
	for _, tc := range []struct {
		name, extra string
		want        []string
	}{
		{"token", "kakao: {tokens: [\"$SHOP_SKILL_TOKEN_1\"]}\n",
			[]string{"env.yaml:27:18: $SHOP_SKILL_TOKEN_1 in kakao.tokens[0] is kept as written: Baton expands only ${SHOP_SKILL_TOKEN_1}; write ${SHOP_SKILL_TOKEN_1} (or ${SHOP_SKILL_TOKEN_1:-default}) to read the environment, or $$SHOP_SKILL_TOKEN_1 for a literal dollar"}},
		{"inside a url", "event_api: {base_url: \"https://$KAKAO_HOST/api\"}\n",
			[]string{"env.yaml:27:23: $KAKAO_HOST in event_api.base_url is kept as written: Baton expands only ${KAKAO_HOST}; write ${KAKAO_HOST} (or ${KAKAO_HOST:-default}) to read the environment, or $$KAKAO_HOST for a literal dollar"}},
		{"braces", "kakao: {tokens: [\"${SHOP_SKILL_TOKEN_1}\"]}\n", nil},
		{"literal dollar", "kakao: {tokens: [\"$$SHOP_SKILL_TOKEN_1\"]}\n", nil},
		{"price", "texts: {fallback: \"해외 배송비는 $15예요\"}\n", nil},
		{"lower case", "texts: {fallback: \"$abc 오류\"}\n", nil},
		{"one letter", "texts: {fallback: \"$A 등급 오류\"}\n", nil},
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
			if tc.name == "token" && cfg.Kakao.Tokens[0] != "$SHOP_SKILL_TOKEN_1" {
				t.Errorf("token: got %q, want it kept as written", cfg.Kakao.Tokens[0])
			}
		})
	}
}
