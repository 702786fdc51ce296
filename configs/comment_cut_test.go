package configs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCommentCutWarnings: an unquoted text followed by " #" and a word is cut
// there by YAML (the rest is a comment), so the load warns at the value and
// names what was dropped; a quoted value, "# comment" with a blank, and a
// "#" inside a word load as written without a warning.
func TestCommentCutWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, extra, fallback string
		want                  []string
	}{
		{"hash word", "texts:\n  fallback: 자세한 내용은 공지 #12 를 보세요.\n", "자세한 내용은 공지",
			[]string{`env.yaml:28:13: texts.fallback ends at "자세한 내용은 공지": YAML reads the "#12 를 보세요." after it as a comment; quote the whole value ("...") to keep it (a comment meant as one is written "# ...", with a blank)`}},
		{"folded over two lines", "texts:\n  fallback: 오늘의 특가는\n    겨울 코트 #특가 상품\n", "오늘의 특가는 겨울 코트",
			[]string{`env.yaml:28:13: texts.fallback ends at "오늘의 특가는 겨울 코트": YAML reads the "#특가 상품" after it as a comment; quote the whole value ("...") to keep it (a comment meant as one is written "# ...", with a blank)`}},
		{"value repeats its key", "texts:\n  fallback: fallback #1 오류\n", "fallback",
			[]string{`env.yaml:28:13: texts.fallback ends at "fallback": YAML reads the "#1 오류" after it as a comment; quote the whole value ("...") to keep it (a comment meant as one is written "# ...", with a blank)`}},
		{"comment", "texts:\n  fallback: 잠시 문제가 생겼어요   # 사과 문구\n", "잠시 문제가 생겼어요", nil},
		{"quoted", "texts:\n  fallback: \"자세한 내용은 공지 #12 를 보세요.\"\n", "자세한 내용은 공지 #12 를 보세요.", nil},
		{"hash in a word", "texts:\n  fallback: 공지#12 를 보세요.\n", "공지#12 를 보세요.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("env.yaml", []byte(minimal(t)+tc.extra))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Texts.Fallback != tc.fallback {
				t.Errorf("texts.fallback: got %q, want %q", cfg.Texts.Fallback, tc.fallback)
			}
			got := warningTexts(cfg)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
