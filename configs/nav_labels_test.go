package configs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// An option labelled like a navigation quick reply (texts.more on a paged
// menu, texts.back, texts.home, texts.agent) that does something else loses
// its quick reply to the navigation one wherever both are offered (fsm keeps
// one quick reply per text and the navigation reply wins): baton validate
// warns, at the label. Options doing what the navigation reply does (이전
// with back: true, 처음으로 with home: true, 상담원 연결 to
// escalation.queue) and 더보기 on a menu that is not paged are fine.
func TestNavLabelWarnings(t *testing.T) {
	const src = `bot: {name: 테스트몰}
welcome: {text: 안녕하세요, menu: main}
escalation: {queue: general, keywords: [상담원]}
handoff:
  queues:
    general: {target: notify}
    vip: {target: notify}
menus:
  main:
    text: 무엇을 도와드릴까요?
    options:
      - {id: more, label: 더보기, goto: sub}
      - {id: agent, label: 상담원 연결, handoff: general}
  sub:
    text: 하위 메뉴예요.
    options:
      - {id: a1, label: 안내 1, text: 안내}
      - {id: a2, label: 안내 2, text: 안내}
      - {id: a3, label: 안내 3, text: 안내}
      - {id: a4, label: 안내 4, text: 안내}
      - {id: a5, label: 안내 5, text: 안내}
      - {id: a6, label: 안내 6, text: 안내}
      - {id: a7, label: 안내 7, text: 안내}
      - {id: more, label: 더보기, goto: sub}
      - {id: prev, label: 이전, goto: main}
      - {id: top, label: 처음으로, back: true}
      - {id: vip, label: 상담원 연결, handoff: vip}
      - {id: back, label: 이전 메뉴, back: true}
`
	cfg, err := Parse("nav.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.Error())
	}
	const tail = `: where both are offered the option's quick reply is left out (its number still picks it); give it another label`
	want := []string{
		`nav.yaml:24:27: label "더보기" is texts.more, the quick reply that pages this menu of 12 options` + tail,
		`nav.yaml:25:27: label "이전" is texts.back, the quick reply that goes back to the previous menu` + tail,
		`nav.yaml:26:26: label "처음으로" is texts.home, the quick reply that goes to the main menu` + tail,
		`nav.yaml:27:26: label "상담원 연결" is texts.agent, the quick reply that hands off to escalation.queue "general"` + tail,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
