package configs

import (
	"strings"
	"testing"
)

// TestDanglingReferenceSuggestions: a goto, faq, handoff, queue, hours,
// dealer or category that names nothing proposes the id it is probably a
// typo of, and proposes nothing when no id is close. Two swapped letters are
// one slip ("vpi" for the example's queue "vip").
func TestDanglingReferenceSuggestions(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"goto", "goto: shipping}", "goto: shiping}", `goto "shiping": no such menu (did you mean "shipping"?)`},
		{"faq", "faq: ship-track}", "faq: ship-trak}", `faq "ship-trak": no FAQ entry has this id (did you mean "ship-track"?)`},
		{"handoff", "handoff: general}", "handoff: genral}", `handoff "genral": no such queue in handoff.queues (did you mean "general"?)`},
		{"welcome menu", "menu: main}", "menu: mian}", `welcome.menu "mian": no such menu (did you mean "main"?)`},
		{"escalation queue", "{queue: general,", "{queue: generals,", `escalation queue "generals": no such queue in handoff.queues (did you mean "general"?)`},
		{"hours", "hours: office}", "hours: ofice}", `hours "ofice": no such entry in handoff.hours (did you mean "office"?)`},
		{"category", "    text: 배송 메뉴입니다.\n", "    text: 배송 메뉴입니다.\n    category: shiping\n", `category "shiping": no FAQ entry has this category (did you mean "shipping"?)`},
		{"dealer", "{target: notify,", "{target: \"dealer:hapytalk\",", `target "dealer:hapytalk": no dealer "hapytalk" in dealers (did you mean "happytalk"?)`},
		{"swapped letters and one left out", "goto: shipping}", "goto: shpipng}", `goto "shpipng": no such menu (did you mean "shipping"?)`},
		{"nothing close", "goto: shipping}", "goto: returns}", `goto "returns": no such menu`},
		{"three edits", "faq: ship-track}", "faq: shxp-trxcx}", `faq "shxp-trxcx": no FAQ entry has this id`},
		{"short name", "goto: shipping}", "goto: ma}", `goto "ma": no such menu`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t)
			if tc.name == "category" {
				src = strings.Replace(src, "    answer: 마이페이지", "    category: shipping\n    answer: 마이페이지", 1)
			}
			if tc.name == "dealer" {
				src += "dealers: {happytalk: {url: \"http://127.0.0.1:9000/baton\"}}\n"
			}
			if !strings.Contains(src, tc.old) {
				t.Fatalf("minimal.yaml has no %q", tc.old)
			}
			errs := parseErrors(t, "refs.yaml", strings.Replace(src, tc.old, tc.new, 1))
			got := errs.Error()
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %s\nwant an error ending %s", got, tc.want)
			}
			if !strings.Contains(tc.want, "did you mean") && strings.Contains(got, "did you mean") {
				t.Errorf("got %s, want no suggestion", got)
			}
		})
	}
}

// TestEditDistanceSwap: a swap of two neighbouring letters is one edit, so a
// three-letter id typed with its last two letters swapped still gets its
// suggestion.
func TestEditDistanceSwap(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"vip", "vpi", 1}, {"main", "mian", 1}, {"shipping", "shpipng", 2}, {"abc", "abc", 0},
		{"abc", "ca", 3}, {"배송", "송배", 1}, {"general", "genral", 1}, {"", "ab", 2},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got, want := didYouMean("vpi", []string{"general", "vip"}), ` (did you mean "vip"?)`; got != want {
		t.Errorf("didYouMean(vpi) = %q, want %q", got, want)
	}
}
