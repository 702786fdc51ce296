package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// intakeOutcome names what the engine made of u at the required phone: true
// intake field of phoneIntakeConfig: "answer <value> <pref>" (the field
// taken, the handoff opened; no pref when none was said), "noted sms" (texts.intake_text_noted and the
// prompt), "again chat" (asked again, the chat preferred), "misfit"
// (texts.intake_invalid and the prompt) or "decline" (the prompt alone).
func intakeOutcome(t *testing.T, e *Engine, u string) string {
	t.Helper()
	def := configs.DefaultTexts()
	o := e.Step(inIntake("phone", false), text(u))
	in, got := o.Conversation.Intake, allText(o.Reply)
	switch {
	case o.IntakeAnswer != nil && o.Open != nil:
		return strings.TrimSpace("answer " + o.IntakeAnswer.Value + " " + o.Open.ContactPref)
	case in.Field != "phone" || !in.Retried || !strings.Contains(got, phonePrompt):
		return "unexpected: " + got
	case strings.Contains(got, def.IntakeTextNoted):
		return "noted " + in.Pref
	case in.Pref != "":
		return "again " + in.Pref
	case strings.Contains(got, def.IntakeInvalid):
		return "misfit"
	}
	return "decline"
}

// ticketOutcome names what the engine made of u at the ticket's call-back
// number prompt: "ticket <contact> <pref>" (the ticket left, "-" for no
// contact; no pref when none was said), "number sms"
// (texts.contact_text_prompt) or "invalid" (texts.contact_invalid).
func ticketOutcome(t *testing.T, e *Engine, u string) string {
	t.Helper()
	def := configs.DefaultTexts()
	o := e.Step(intakeConv(IntakeContact, "환불 문의"), turnText(u, u))
	got := allText(o.Reply)
	switch {
	case o.Ticket != nil:
		contact := o.Ticket.Contact
		if contact == "" {
			contact = "-"
		}
		return strings.TrimSpace("ticket " + contact + " " + o.Ticket.ContactPref)
	case strings.Contains(got, def.ContactTextPrompt):
		return "number " + o.Conversation.Intake.Pref
	case strings.Contains(got, def.ContactInvalid) && o.Conversation.Intake.Pref == "":
		return "invalid"
	}
	return "unexpected: " + got
}

// TestShopperContactAnswers types what shoppers answer to "연락받으실 휴대폰
// 번호를 알려주세요" — at a phone: true intake field and at the ticket's
// call-back number prompt — with spacing slips, laughs, emoji, 존댓말 and
// 반말, negations and numbers in every form, and checks each outcome is
// what the shopper meant. The number a shopper gives is the only personal
// data here; it must never show in a preference (sms, chat).
func TestShopperContactAnswers(t *testing.T) {
	intake := newEngine(t, phoneIntakeConfig(), Options{})
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	tickets := newEngine(t, cfg, Options{})
	for _, tc := range []struct {
		say, intake, ticket string
	}{
		// a text is fine or asked for: noted at the intake, the number asked for at the ticket
		{"문자도 괜찮아요", "noted sms", "number sms"},
		{"문자도괜찮아요", "noted sms", "number sms"},
		{"문자 도 괜찮아요", "noted sms", "number sms"},
		{"문자도 괜찮아욤", "noted sms", "number sms"},
		{"문자도 ㄱㅊ", "noted sms", "number sms"},
		{"문자도 괜찮아요ㅎㅎ", "noted sms", "number sms"},
		{"문자도 괜찮아요~", "noted sms", "number sms"},
		{"문자도 괜찮아요!", "noted sms", "number sms"},
		{"문자도 괜찮아요 😊", "noted sms", "number sms"},
		{"문자로 주세요", "noted sms", "number sms"},
		{"문자로주세요", "noted sms", "number sms"},
		{"문자로 부탁드려요", "noted sms", "number sms"},
		{"문자로 부탁해요", "noted sms", "number sms"},
		{"문자로 연락주세요", "noted sms", "number sms"},
		{"문자로 연락 부탁드립니다", "noted sms", "number sms"},
		{"문자 ㄱㄱ", "noted sms", "number sms"},
		// not read (glued ㅇㅇ, typos of 문자): asked again as any misfit
		{"문자로ㅇㅇ", "misfit", "invalid"},
		{"문자로 해주세요", "noted sms", "number sms"},
		{"문자로해줘", "noted sms", "number sms"},
		{"문자주세여", "noted sms", "number sms"},
		{"문자로 주세여", "noted sms", "number sms"},
		{"뮨자로 주세요", "misfit", "invalid"},
		{"문쟈로 주세요", "misfit", "invalid"},
		// a text liked or to be received
		{"문자가 편해요", "noted sms", "number sms"},
		{"문자가 더 편해요", "noted sms", "number sms"},
		{"문자가 좋아요", "noted sms", "number sms"},
		{"문자 좋아요", "noted sms", "number sms"},
		{"문자로 받을게요", "noted sms", "number sms"},
		{"문자로 받고 싶어요", "noted sms", "number sms"},
		{"문자로 받을께요", "noted sms", "number sms"},
		{"문자 받을게요", "noted sms", "number sms"},
		{"가능하면 문자로 주세요", "noted sms", "number sms"},
		{"문자로 부탁드려요 ㅠㅠ", "noted sms", "number sms"},
		// a call wanted, not a text: no preference, the number asked again
		{"문자 말고 전화로", "misfit", "invalid"},
		{"문자 말고 전화로 주세요", "misfit", "invalid"},
		{"문자말고 전화주세요", "misfit", "invalid"},
		// a call turned down, a text asked for
		{"전화는 안 돼요 문자로", "noted sms", "number sms"},
		{"전화는 안돼요 문자로 주세요", "noted sms", "number sms"},
		{"전화 안돼요 문자로", "noted sms", "number sms"},
		{"전화 못 받아요 문자로 주세요", "noted sms", "number sms"},
		{"전화 받기 어려워요 문자로 주세요", "noted sms", "number sms"},
		{"통화는 어려워요 문자로 주세요", "noted sms", "number sms"},
		{"통화 말고 문자로", "noted sms", "number sms"},
		{"전화 말고 문자", "noted sms", "number sms"},
		{"전화 싫어요 문자로요", "noted sms", "number sms"},
		// a text turned down: no preference, no decline of the number
		{"문자 안 받아요", "misfit", "invalid"},
		{"문자 안받아요", "misfit", "invalid"},
		{"문자 안 봐요", "misfit", "invalid"},
		{"문자 잘 안 봐요", "misfit", "invalid"},
		{"문자는 안 돼요", "misfit", "invalid"},
		{"문자는 싫어요", "misfit", "invalid"},
		{"문자 말고요", "misfit", "invalid"},
		{"문자 NO", "misfit", "invalid"},
		{"문자 노노", "misfit", "invalid"},
		{"문자는 좀...", "misfit", "invalid"},
		// the chat: no number needed (the ticket is left on the chat)
		{"카톡으로 주세요", "again chat", "ticket - chat"},
		{"카톡으로주세요", "again chat", "ticket - chat"},
		{"카톡 주세요", "again chat", "ticket - chat"},
		{"카톡으로요", "again chat", "ticket - chat"},
		{"카톡으로 부탁드려요", "again chat", "ticket - chat"},
		// the chat turned down for a text
		{"카톡 말고 문자", "noted sms", "number sms"},
		{"카톡 말고 문자로 주세요", "noted sms", "number sms"},
		{"카톡말고 문자로", "noted sms", "number sms"},
		{"카톡 안 봐요 문자로 주세요", "noted sms", "number sms"},
		{"카톡은 안 봐서 문자로 주세요", "noted sms", "number sms"},
		{"여기로 답 주세요", "again chat", "ticket - chat"},
		{"톡으로 주세요", "again chat", "ticket - chat"},
		{"카톡이 편해요", "again chat", "ticket - chat"},
		{"카톡이 더 편해요", "again chat", "ticket - chat"},
		// a call asked for in words: the number is still needed
		{"전화 주세요", "misfit", "invalid"},
		{"전화로 주세요", "misfit", "invalid"},
		{"전화 부탁드려요", "misfit", "invalid"},
		{"전화가 편해요", "misfit", "invalid"},
		{"전화가 좋아요", "misfit", "invalid"},
		{"전화로 연락주세요", "misfit", "invalid"},
		{"전화 말고", "again chat", "ticket - chat"},
		{"통화 가능해요", "misfit", "invalid"},
		// numbers in every form, alone or in a sentence
		{"010-1234-5678", "answer 010-1234-5678", "ticket 01012345678"},
		{"01012345678", "answer 01012345678", "ticket 01012345678"},
		{"010 1234 5678", "answer 01012345678", "ticket 01012345678"},
		{"010.1234.5678", "answer 01012345678", "ticket 01012345678"},
		{"+82 10-1234-5678", "answer 01012345678", "ticket 01012345678"},
		{"+821012345678", "answer 01012345678", "ticket 01012345678"},
		{"02-123-4567", "answer 02-123-4567", "ticket 021234567"},
		{"02-1234-5678", "answer 02-1234-5678", "ticket 0212345678"},
		{"031-123-4567", "answer 031-123-4567", "ticket 0311234567"},
		{"010-1234-5678 이에요", "answer 010-1234-5678", "ticket 01012345678"},
		{"제 번호는 010-1234-5678입니다", "answer 010-1234-5678", "ticket 01012345678"},
		// a number with a preference: the number answers, the preference is kept (never the number)
		{"010-1234-5678로 문자 주세요", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"010-1234-5678 문자로요", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"010-1234-5678 문자 말고 전화 주세요", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678 전화는 안 돼요 문자로", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"010-1234-5678 문자 안 받아요", "answer 010-1234-5678", "ticket 01012345678"},
		// two numbers or none: for the shopper to settle
		{"010-1234-5678 아니면 010-9876-5432", "misfit", "invalid"},
		// one number typed twice is one number: its digits decide
		{"010-1234-5678 (010-1234-5678)", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678(010-1234-5678)", "answer 010-1234-5678", "ticket 01012345678"},
		{"01012345678 010-1234-5678 이요", "answer 01012345678", "ticket 01012345678"},
		{"010-1234-5678 010-1234-5678", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678 / 010.1234.5678", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678 010-1234-5678 문자로 주세요", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"01012345678 (010-1234-5678) 카톡으로요", "answer 01012345678 chat", "ticket 01012345678 chat"},
		{"010-1234-5678 (010-1234-5679)", "misfit", "invalid"},
		{"010-1234-5678 010-1234-5678 010-9876-5432", "misfit", "invalid"},
		{"010-1234-5678 문자로 주세요 (010-9876-5432)", "misfit", "invalid"},
		{"010-1234-5678이나 010-9876-5432로", "misfit", "invalid"},
		{"010-1234-5678 카톡 말고 문자로", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"010-1234-5678 카톡으로요", "answer 010-1234-5678 chat", "ticket 01012345678 chat"},
		{"010-1234-5678 번으로 문자 주세요", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"공일공 일이삼사 오육칠팔", "misfit", "invalid"},
		{"010-1234-567", "answer 010-1234-567", "ticket 0101234567"},
		{"010-12345678", "answer 010-12345678", "ticket 01012345678"},
		// declines stay declines
		{"괜찮아요", "decline", "ticket -"},
		{"없어요", "decline", "ticket -"},
		{"안 남길게요", "decline", "ticket -"},
		{"번호 없어요", "decline", "ticket -"},
		{"연락 안 주셔도 돼요", "decline", "ticket -"},
		{"됐어요", "decline", "ticket -"},
		{"필요 없어요", "decline", "ticket -"},
		{"문자는 괜찮아요", "decline", "ticket -"},
		{"문자 필요 없어요", "misfit", "invalid"},
		{"연락 안 주셔도 돼요 문자도 필요 없어요", "decline", "ticket -"},
		{"문자도 필요 없어요", "decline", "ticket -"},
		{"전화도 문자도 필요 없어요", "decline", "ticket -"},
		{"번호는 안 알려드릴게요", "decline", "ticket -"},
		{"ㄴㄴ", "misfit", "invalid"},
		{"아니요", "decline", "ticket -"},
		{"싫어요", "decline", "ticket -"},
		{"전화번호 없어요", "decline", "ticket -"},
		// ... taken back (a negation, an apology for a missed call, a call
		// asked for later) or said of the shop (honorific 시): no text wished for
		{"전화 받는 거 어렵지 않아요", "misfit", "invalid"},
		{"전화 받기 힘들지 않아요", "misfit", "invalid"},
		{"통화 어렵지 않으니 전화 주세요", "misfit", "invalid"},
		{"전화 받기 어려운 시간은 없어요", "misfit", "invalid"},
		{"전화 받는 게 힘든 건 아니에요", "misfit", "invalid"},
		{"전화를 못 받아서 죄송해요", "misfit", "invalid"},
		{"전화 안 받아서 죄송합니다", "misfit", "invalid"},
		{"지금은 통화가 어려워요 오후에 전화 주세요", "misfit", "invalid"},
		{"지금 운전 중이라 전화 못 받아요 이따 전화 주세요", "misfit", "invalid"},
		{"평일에는 전화 못 받아요 주말에 주세요", "misfit", "invalid"},
		{"전화 계속 안 받으시네요", "misfit", "invalid"},
		{"전화를 안 받으시던데요", "misfit", "invalid"},
		{"매번 전화 안 받으셔서 답답해요", "misfit", "invalid"},
		{"점심시간엔 통화 어려워요", "noted sms", "number sms"},
		{"전화는 어려워요 죄송해요", "noted sms", "number sms"},
		{"전화 못 받아요 시간이 없어요", "noted sms", "number sms"},
		// laughs, leads and polite endings
		{"ㅋㅋ 문자로 주세요", "noted sms", "number sms"},
		{"ㅋㅋㅋ문자로요", "misfit", "invalid"},
		{"문자로 주세요 ㅋㅋ", "noted sms", "number sms"},
		{"넵 문자로 주세요", "noted sms", "number sms"},
		{"네 문자 주세요", "noted sms", "number sms"},
		{"네 문자로요", "noted sms", "number sms"},
		{"아 문자로 주세요", "noted sms", "number sms"},
		{"그냥 문자로 주세요", "noted sms", "number sms"},
		{"그냥 문자 주세요", "noted sms", "number sms"},
		{"문자 주시면 돼요", "noted sms", "number sms"},
		{"문자 주시면 됩니다", "noted sms", "number sms"},
		{"문자로 주시면 감사하겠습니다", "noted sms", "number sms"},
		{"문자 보내주세요", "noted sms", "number sms"},
		{"문자 보내 주세요", "noted sms", "number sms"},
		{"문자로 보내주세요", "noted sms", "number sms"},
		// more numbers in sentences, full-width, with emoji; landlines
		{"문자 말고 전화로 주세요 010-1234-5678", "answer 010-1234-5678", "ticket 01012345678"},
		{"전화 주세요 010-1234-5678", "answer 010-1234-5678", "ticket 01012345678"},
		{"문자도 괜찮아요 010 1234 5678", "answer 01012345678 sms", "ticket 01012345678 sms"},
		{"０１０－１２３４－５６７８", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678 ㅎㅎ", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678 😊", "answer 010-1234-5678", "ticket 01012345678"},
		{"010-1234-5678 입니당", "answer 010-1234-5678", "ticket 01012345678"},
		{"제 번호 010.1234.5678 이고 문자 주세요", "answer 01012345678 sms", "ticket 01012345678 sms"},
		{"집 전화 02-1234-5678 이요", "answer 02-1234-5678", "ticket 0212345678"},
		{"폰 010-1234-5678 집 02-123-4567", "misfit", "invalid"},
		{"010-1234-5678 or 010-9876-5432", "misfit", "invalid"},
		// more wishes and refusals
		{"문자 받을 수 있어요", "noted sms", "number sms"},
		{"카톡이나 문자 주세요", "noted sms", "ticket - chat"},
		{"문자 ㄴㄴ 전화주세요", "misfit", "invalid"},
		{"전화는 싫어요", "again chat", "ticket - chat"},
		// a call the shopper cannot take: a text wished for, as "문자로 주세요" (contact_call_unable.go)
		{"전화 받기 힘들어요", "noted sms", "number sms"},
		{"전화 안 받아요", "noted sms", "number sms"},
		{"통화 어려워요", "noted sms", "number sms"},
		{"전화 못 받아요", "noted sms", "number sms"},
		{"전화 못받아요", "noted sms", "number sms"},
		{"전화못받아요", "noted sms", "number sms"},
		{"통화가 어려워요", "noted sms", "number sms"},
		{"전화는 힘들어요", "noted sms", "number sms"},
		{"전화 받기 곤란해요", "noted sms", "number sms"},
		{"전화는 곤란해요", "noted sms", "number sms"},
		{"근무 중이라 통화 안 돼요", "noted sms", "number sms"},
		{"회의 중이라 통화가 힘들어요", "noted sms", "number sms"},
		{"지금 전화는 좀 곤란해요", "noted sms", "number sms"},
		{"전화 받는 거 어려워요", "noted sms", "number sms"},
		{"전화 받을 수 없어요", "noted sms", "number sms"},
		{"통화할 수 없어요", "noted sms", "number sms"},
		{"통화 불가능해요", "noted sms", "number sms"},
		{"통화불가", "noted sms", "number sms"},
		{"전화 잘 못 받아요 ㅠㅠ", "noted sms", "number sms"},
		{"전화는 어려울 것 같아요", "noted sms", "number sms"},
		{"회사라서 전화 못 받아요", "noted sms", "number sms"},
		{"전화 안 돼요", "noted sms", "number sms"},
		{"전화 말고 문자로요", "noted sms", "number sms"},
		// ... with the number in the same sentence: both taken
		{"010-1234-5678 전화는 못 받아요", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"전화 받기 곤란해요 010-1234-5678", "answer 010-1234-5678 sms", "ticket 01012345678 sms"},
		{"근무 중이라 통화 안 돼요 01012345678", "answer 01012345678 sms", "ticket 01012345678 sms"},
		// ... with the chat named, the chat; with the text turned down too, nothing
		{"전화 못 받아요 카톡으로 주세요", "again chat", "ticket - chat"},
		{"전화는 어렵고 문자도 안 봐요", "misfit", "invalid"},
		// look-alikes: a call asked for or awaited, a missed call, someone else's phone, a question
		{"전화 기다릴게요", "misfit", "invalid"},
		{"못 받은 전화가 있어요", "misfit", "invalid"},
		{"전화 못 받았어요", "misfit", "invalid"},
		{"아까 전화 못 받은 거요", "misfit", "invalid"},
		{"통화가 어려웠어요", "misfit", "invalid"},
		{"전화가 안 와요", "misfit", "invalid"},
		{"상담원이 전화를 안 받아요", "misfit", "invalid"},
		{"기사님이 통화가 안 돼요", "misfit", "invalid"},
		{"전화 못 받으면요?", "misfit", "invalid"},
		{"전화 안 돼요?", "misfit", "invalid"},
		{"전화 어려우시면 괜찮아요", "misfit", "invalid"},
		{"전화 안 주셔도 돼요", "decline", "ticket -"},
		{"통화 안 되셔도 괜찮아요", "decline", "ticket -"},
		{"전화 못 하셔도 돼요", "misfit", "invalid"},
		{"전화번호 없어요", "decline", "ticket -"},
		{"문자요ㅎㅎ", "misfit", "invalid"},
		{"카톡 아이디 알려드릴게요", "misfit", "invalid"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			if got := intakeOutcome(t, intake, tc.say); got != tc.intake {
				t.Errorf("intake: got %q, want %q", got, tc.intake)
			}
			if got := ticketOutcome(t, tickets, tc.say); got != tc.ticket {
				t.Errorf("ticket: got %q, want %q", got, tc.ticket)
			}
		})
	}
}
