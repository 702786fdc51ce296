package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFAQCategoryTypoWarning: an entry whose category is a typo of a menu's
// loads with a warning naming the menu's category; a category of its own
// that resembles none passes quietly.
func TestFAQCategoryTypoWarning(t *testing.T) {
	src := strings.Replace(withFAQ(t, "  - {id: ship-fee, category: shiping, question: 배송비는 얼마예요?, answer: 3000원이에요.}\n"+
		"  - {id: cs-hours, category: cs, question: 상담 시간은요?, answer: 평일 9시부터예요.}\n"),
		"    text: 배송 메뉴입니다.\n", "    text: 배송 메뉴입니다.\n    category: shipping\n", 1)
	src = strings.Replace(src, "  - id: ship-track\n", "  - id: ship-track\n    category: shipping\n", 1)
	cfg, err := Parse("cat.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := warningTexts(cfg)
	want := []string{`cat.yaml:21:30: FAQ "ship-fee": category "shiping": no menu has this category, so no menu puts the entry first (did you mean "shipping"?)`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
