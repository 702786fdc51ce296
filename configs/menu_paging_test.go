package configs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pagingYAML is a config whose main menu leads to sub, which leads to deep;
// main, sub and deep get the option lines given (indented as options).
func pagingYAML(escalation string, main, sub, deep []string) string {
	var b strings.Builder
	b.WriteString("bot: {name: 테스트몰}\nwelcome: {text: 안녕하세요, menu: main}\n")
	if escalation != "" {
		fmt.Fprintf(&b, "escalation: {queue: %s, keywords: [상담원]}\n", escalation)
	}
	b.WriteString("handoff:\n  queues:\n    general: {target: notify}\nmenus:\n")
	for _, m := range []struct {
		id   string
		opts []string
	}{
		{"main", append([]string{"{id: sub, label: 하위 메뉴, goto: sub}"}, main...)},
		{"sub", append([]string{"{id: deep, label: 깊은 메뉴, goto: deep}"}, sub...)},
		{"deep", append([]string{"{id: t0, label: 안내, text: 안내}"}, deep...)},
	} {
		fmt.Fprintf(&b, "  %s:\n    text: 메뉴예요.\n    options:\n", m.id)
		for _, o := range m.opts {
			fmt.Fprintf(&b, "      - %s\n", o)
		}
	}
	return b.String()
}

// textOptions are n text options labelled "안내 1".."안내 n".
func textOptions(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("{id: a%d, label: 안내 %d, text: 안내}", i, i))
	}
	return out
}

// A menu is paged with texts.more when its options and the navigation
// replies shown with it do not fit Kakao's 10 quick replies: 상담원 연결
// (when escalation.queue is set), 처음으로 below the main menu and 이전 on a
// menu a submenu leads to. An option labelled like one of these that does
// what it does shares its quick reply; any menu over 10 options is paged.
func TestPagedMenus(t *testing.T) {
	for _, tc := range []struct {
		name             string
		escalation       string
		main, sub, deep  int
		extraSub         []string
		wantMain, wantSb bool
		wantDeep         bool
	}{
		// main: n+1 options and 상담원 연결; sub: n+1, 처음으로, 상담원 연결;
		// deep: n+1, 이전, 처음으로, 상담원 연결.
		{name: "fit", escalation: "general", main: 8, sub: 7, deep: 6},
		{name: "one over", escalation: "general", main: 9, sub: 8, deep: 7, wantMain: true, wantSb: true, wantDeep: true},
		{name: "no escalation", main: 9, sub: 8, deep: 7},
		{name: "no escalation, one over", main: 9, sub: 9, deep: 8, wantSb: true, wantDeep: true},
		{name: "nav-like options share", escalation: "general", main: 1, sub: 7, deep: 1,
			extraSub: []string{"{id: top, label: 처음으로, home: true}", "{id: ag, label: 상담원 연결, handoff: general}"}},
		{name: "a back option is no nav reply on sub", escalation: "general", main: 1, sub: 7, deep: 1,
			extraSub: []string{"{id: prev, label: 이전, back: true}"}, wantSb: true},
		{name: "over 10 options", main: 10, sub: 1, deep: 1, wantMain: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := pagingYAML(tc.escalation, textOptions(tc.main), append(textOptions(tc.sub), tc.extraSub...), textOptions(tc.deep))
			cfg, err := Parse("paging.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			got := PagedMenus(cfg)
			want := map[string]bool{"main": tc.wantMain, "sub": tc.wantSb, "deep": tc.wantDeep}
			for id, w := range want {
				if got[id] != w {
					t.Errorf("menu %s paged %v, want %v", id, got[id], w)
				}
			}
			if d := DeepMenus(cfg); !d["deep"] || d["sub"] || d["main"] {
				t.Errorf("deep menus %v, want deep only", d)
			}
		})
	}
}

// An option labelled texts.more on a menu of 10 options or fewer that is
// paged all the same (its options and navigation replies pass 10) loses its
// quick reply to the paging one: baton validate warns, as it does above 10.
func TestMoreLabelWarningOnNavPagedMenu(t *testing.T) {
	sub := append(textOptions(8), "{id: more, label: 더보기, goto: main}")
	src := pagingYAML("general", nil, sub, nil)
	cfg, err := Parse("paging.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.Error())
	}
	want := []string{`paging.yaml:24:27: label "더보기" is texts.more, the quick reply that pages this menu of 10 options: where both are offered the option's quick reply is left out (its number still picks it); give it another label`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
