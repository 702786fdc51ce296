package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTypedLabelWarnings(t *testing.T) {
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
      - {id: ship, label: 배송, goto: shipping}
      - {id: track, label: 배송 조회, faq: ship-track}
      - {id: agent, label: 상담원 연결, handoff: general}
      - {id: hours, label: 운영시간, text: 평일 9시-18시}
  shipping:
    text: 배송 메뉴입니다.
    options:
      - {id: track, label: "배송조회!", faq: ship-track}
      - {id: where, label: 배송, text: 배송은 2-3일 걸려요}
      - {id: agent, label: 상담원 연결, handoff: vip}
      - {id: hours, label: 운영 시간, link: "https://example.com/hours"}
      - {id: top, label: 처음으로, home: true}
  returns:
    text: 반품 메뉴입니다.
    options:
      - {id: back, label: 처음으로, back: true}
      - {id: ship, label: 배송, goto: shipping}
      - {id: more, label: 운영시간, text: 배송은 2-3일 걸려요}
blocks:
  map:
    반품: {goto: returns}
faq:
  - id: ship-track
    question: 배송 조회는 어떻게 하나요?
    answer: 마이페이지 > 주문내역에서 확인하세요.
`
	cfg, err := Parse("labels.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.Error())
	}
	// 배송 조회 / 배송조회! select the same FAQ entry: no warning. 배송 is a
	// goto in main and a text in shipping: a warning at shipping's; returns'
	// goto 배송 matches main's. 운영시간 / 운영 시간 are a text and a link, and
	// returns' 운영시간 is another text (two options of one menu cannot share
	// a label at all: an error, TestInvalidFixtures). The
	// handoff options (상담원 연결 to two queues) and 처음으로 (home, back) are
	// never selected by a typed label, so they do not clash; but shipping's
	// 상담원 연결 (vip) and returns' 처음으로 (back) are labelled like the
	// navigation quick replies 상담원 연결 (general) and 처음으로 (home),
	// which win over them (validateNavLabels).
	want := []string{
		`labels.yaml:20:28: label "배송" is also the label of option 1 of menu "main", which does something else: typed, it selects neither (a tap still does); give one of them another label`,
		`labels.yaml:21:28: label "상담원 연결" is texts.agent, the quick reply that hands off to escalation.queue "general": where both are offered the option's quick reply is left out (its number still picks it); give it another label`,
		`labels.yaml:22:28: label "운영 시간" is also the label of option 4 of menu "main", which does something else: typed, it selects neither (a tap still does); give one of them another label`,
		`labels.yaml:27:27: label "처음으로" is texts.home, the quick reply that goes to the main menu: where both are offered the option's quick reply is left out (its number still picks it); give it another label`,
		`labels.yaml:29:27: label "운영시간" is also the label of option 4 of menu "main", which does something else: typed, it selects neither (a tap still does); give one of them another label`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestNoWarningsInShippedConfigs(t *testing.T) {
	for _, file := range []string{"example.yaml", "testdata/valid/minimal.yaml"} {
		cfg, err := Load(file)
		if err != nil {
			t.Fatalf("Load(%s): %v", file, err)
		}
		if len(cfg.Warnings) > 0 {
			t.Errorf("%s: got warnings:\n%s", file, cfg.Warnings.Error())
		}
	}
}

func TestWarningsOnlyWithoutErrors(t *testing.T) {
	// A config with errors is not loaded: its warnings are not reported on
	// their own, and the errors come back as before.
	src := strings.Replace(minimal(t), "      - {id: top, label: 처음으로, home: true}",
		"      - {id: top, label: 처음으로, home: true}\n      - {id: dup, label: 배송, text: 안내}\n      - {id: bad, label: 오류, goto: nowhere}", 1)
	errs := parseErrors(t, "mixed.yaml", src)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, `goto "nowhere": no such menu`) {
		t.Errorf("got errors %v, want only the unknown goto", errs)
	}
}
