package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPhoneFieldWithoutPIIWarns: a phone number is personal data, so an
// intake field marked phone: true but not pii: true loads with a warning at
// its phone key's value; one marked both, or a pii field that is no phone,
// does not.
func TestPhoneFieldWithoutPIIWarns(t *testing.T) {
	const src = `bot: {name: 테스트몰}
welcome: {text: 안녕하세요, menu: main}
menus:
  main:
    text: 무엇을 도와드릴까요?
    options:
      - {id: agent, label: 상담원 연결, handoff: general}
escalation: {queue: general, keywords: [상담원]}
handoff:
  queues:
    general: {target: notify, intake: [{name: tel, prompt: 연락받을 번호를 알려주세요, phone: true}]}
    vip:
      target: notify
      intake:
        - {name: name, prompt: 성함을 알려주세요, pii: true}
        - name: tel
          prompt: 연락받을 번호를 알려주세요
          phone: true
          pii: false
    vvip: {target: notify, intake: [{name: tel, prompt: 번호를 알려주세요, phone: true, pii: true}]}
`
	cfg, err := Parse("phone.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "phone: true but not pii: true") {
			got = append(got, w.Error())
		}
	}
	const why = `: a phone number is personal data, so without pii: true it goes to the notify sinks without pii (masked) and to managers in the admin API; add pii: true`
	want := []string{
		`phone.yaml:11:83: queue "general": intake field "tel" is phone: true but not pii: true` + why,
		`phone.yaml:18:18: queue "vip": intake field "tel" is phone: true but not pii: true` + why,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s\nall: %v", diff, cfg.Warnings)
	}
}
