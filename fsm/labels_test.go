package fsm

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestLabelWarningsAgreeWithIndex checks, over random menus, that the labels
// configs warns about (typed, they select nothing) are exactly the labels of
// selectable options that the engine leaves out of its typed-label index.
func TestLabelWarningsAgreeWithIndex(t *testing.T) {
	labels := []string{"배송", "배송 조회", "배송조회!", "반품", "운영시간", "운영 시간?", "Q&A", "q&a"}
	actions := []string{"goto: m1", "goto: m2", "faq: f1", "faq: f2", "text: 안내 하나", "text: 안내 둘",
		`link: "https://example.com/a"`, "handoff: general", "home: true", "back: true"}
	warnedLabel := regexp.MustCompile(`^label "(.*?)" is also the label of`)
	rng := rand.New(rand.NewPCG(1, 2))
	clashes := 0
	for run := range 300 {
		var b strings.Builder
		b.WriteString("bot: {name: 테스트}\nwelcome: {text: 안녕하세요, menu: main}\n")
		b.WriteString("escalation: {queue: general, keywords: [상담원]}\nhandoff: {queues: {general: {target: notify}}}\n")
		b.WriteString("faq:\n  - {id: f1, question: 배송은 언제 오나요, answer: 2-3일}\n  - {id: f2, question: 반품은 어떻게 하나요, answer: 마이페이지}\n")
		b.WriteString("menus:\n")
		for _, menu := range []string{"main", "m1", "m2"} {
			fmt.Fprintf(&b, "  %s:\n    text: %s 메뉴\n    options:\n", menu, menu)
			if menu == "main" { // keeps m1 and m2 reachable
				b.WriteString("      - {id: to1, label: 하나, goto: m1}\n      - {id: to2, label: 둘, goto: m2}\n")
			}
			// Distinct labels within a menu (one label twice in a menu is an
			// error); labels equal when folded ("Q&A", "q&a") still meet.
			perm := rng.Perm(len(labels))
			for i := range 1 + rng.IntN(5) {
				fmt.Fprintf(&b, "      - {id: o%d, label: %q, %s}\n", i, labels[perm[i]], actions[rng.IntN(len(actions))])
			}
		}
		src := b.String()
		cfg, err := configs.Parse("random.yaml", []byte(src))
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, src)
		}
		warned := map[string]bool{}
		for _, w := range cfg.Warnings {
			m := warnedLabel.FindStringSubmatch(w.Msg)
			if m == nil {
				t.Fatalf("run %d: unexpected warning %v", run, w)
			}
			warned[configs.Fold(m[1])] = true
		}
		clashes += len(warned)
		e := newEngine(t, cfg, Options{})
		for name, m := range cfg.Menus {
			for _, o := range m.Options {
				if o.Handoff != "" || o.Home || o.Back {
					continue
				}
				key := configs.Fold(o.Label)
				if _, indexed := e.labels[key]; indexed == warned[key] {
					t.Errorf("run %d: option %s/%s label %q: indexed %v, warned %v\n%s", run, name, o.ID, o.Label, indexed, warned[key], src)
				}
			}
		}
	}
	if clashes == 0 {
		t.Fatal("no run had a clashing label: the generator does not exercise the warning")
	}
}
