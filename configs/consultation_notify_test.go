package configs

import (
	"strings"
	"testing"
)

// TestNotifyQueueUnderSangdamtalkWarns: under consultation sangdamtalk the
// operator button opens 상담톡, so a notify queue's agents cannot reach the
// user; the load says so unless the queue takes a call-back number (a
// required intake field marked pii or phone).
func TestNotifyQueueUnderSangdamtalkWarns(t *testing.T) {
	const head = `bot: {name: 테스트몰}
welcome: {text: 안녕하세요, menu: main}
menus:
  main:
    text: 무엇을 도와드릴까요?
    options:
      - {id: agent, label: 상담원 연결, handoff: desk}
escalation: {queue: desk, keywords: [상담원]}
dealers:
  happytalk: {url: "http://127.0.0.1:9000/baton", secret: s3cret}
`
	const queues = `handoff:
  queues:
    desk: {target: "dealer:happytalk"}
    general: {target: notify}
    callback: {target: notify, intake: [{name: phone, prompt: 연락처를 알려주세요, pii: true}]}
    maybe: {target: notify, intake: [{name: phone, prompt: 연락처를 알려주세요, pii: true, optional: true}]}
    order: {target: notify, intake: [{name: order, prompt: 주문번호를 알려주세요}]}
    phoned: {target: notify, intake: [{name: tel, prompt: 연락받을 번호를 알려주세요, phone: true}]}
    phonemaybe: {target: notify, intake: [{name: tel, prompt: 연락받을 번호를 알려주세요, phone: true, pii: true, optional: true}]}
`
	tests := []struct {
		consultation string
		want         []string // queues warned about, in file order
	}{
		// phoned asks every user for a number (phone: true, warned about
		// apart for lacking pii: true); phonemaybe lets them skip it
		{"sangdamtalk", []string{"general", "maybe", "order", "phonemaybe"}},
		{"one_on_one", nil}, // the dealer queue is an error there; no notify warning
	}
	for _, tc := range tests {
		t.Run(tc.consultation, func(t *testing.T) {
			src := head + "kakao: {consultation: " + tc.consultation + "}\n" + queues
			cfg, err := Parse("consultation.yaml", []byte(src))
			var warns Errors
			if err == nil {
				warns = cfg.Warnings
			} else if tc.consultation == ConsultationSangdamtalk {
				t.Fatal(err)
			}
			var got []string
			for _, w := range warns {
				if !strings.Contains(w.Msg, `under consultation "sangdamtalk"`) {
					continue
				}
				name, _, _ := strings.Cut(strings.TrimPrefix(w.Msg, `queue "`), `"`)
				got = append(got, name)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got warnings for queues %q, want %q (all: %v)", got, tc.want, warns)
			}
		})
	}
}
