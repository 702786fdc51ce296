package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

const phonePrompt = "연락받으실 휴대폰 번호를 알려주세요."

// phoneIntakeConfig is testConfig with vip asking an optional order number
// (a pattern, no phone) and then a required call-back number (phone: true).
func phoneIntakeConfig() *configs.Config {
	cfg := testConfig()
	vip := cfg.Handoff.Queues["vip"]
	vip.Intake = []configs.IntakeField{
		{Name: "order", Prompt: orderPrompt, Pattern: "[A-Za-z0-9-]{4,20}", Optional: true},
		{Name: "phone", Prompt: phonePrompt, Pattern: "[0-9-]{9,13}", PII: true, Phone: true},
	}
	cfg.Handoff.Queues["vip"] = vip
	return cfg
}

// TestIntakeContactPref answers real utterances to a required phone: true
// intake field: a wish for a text (문자) or the chat is a preference, not a
// decline — a text is acknowledged with texts.intake_text_noted and the
// number asked once more, the chat asks again as a decline of a required
// field does, and a number with the wish is the answer; declines stay
// declines and a number alone carries no preference.
func TestIntakeContactPref(t *testing.T) {
	def := configs.DefaultTexts()
	e := newEngine(t, phoneIntakeConfig(), Options{})
	const (
		askText = "ask for the number, preference acknowledged"
		askChat = "ask again, chat preferred"
		answer  = "number taken"
		decline = "decline"
	)
	for _, tc := range []struct {
		say, want, pref, value string
	}{
		{"문자도 괜찮아요", askText, ContactPrefSMS, ""},
		{"문자로도 괜찮아요", askText, ContactPrefSMS, ""},
		{"문자로 주세요", askText, ContactPrefSMS, ""},
		{"문자 주세요", askText, ContactPrefSMS, ""},
		{"문자요", askText, ContactPrefSMS, ""},
		{"전화보다 문자가 좋아요", askText, ContactPrefSMS, ""},
		{"전화 말고 문자로요", askText, ContactPrefSMS, ""},
		{"SMS로 보내 주세요", askText, ContactPrefSMS, ""},
		{"문자나 카톡으로 주세요", askText, ContactPrefSMS, ""},
		{"카톡으로 주세요", askChat, ContactPrefChat, ""},
		{"전화 말고 카톡으로요", askChat, ContactPrefChat, ""},
		{"카톡이 편해요", askChat, ContactPrefChat, ""},
		{"문자가 더 편해요", askText, ContactPrefSMS, ""},
		{"카톡이 더 편해요", askChat, ContactPrefChat, ""},
		{"문자로주세요", askText, ContactPrefSMS, ""},
		{"문자도괜찮아요", askText, ContactPrefSMS, ""},
		{"카톡으로주세요", askChat, ContactPrefChat, ""},
		{"카톡 주세요", askChat, ContactPrefChat, ""},
		{"전화 못 받아요", askText, ContactPrefSMS, ""},
		{"통화가 어려워요", askText, ContactPrefSMS, ""},
		{"010-1234-5678 전화는 힘들어요", answer, ContactPrefSMS, "010-1234-5678"},
		{"010-1234-5678 문자로 주세요", answer, ContactPrefSMS, "010-1234-5678"},
		{"010-1234-5678로 문자 주세요", answer, ContactPrefSMS, "010-1234-5678"},
		{"01012345678 문자도 괜찮아요", answer, ContactPrefSMS, "01012345678"},
		{"010-1234-5678 카톡으로 주세요", answer, ContactPrefChat, "010-1234-5678"},
		{"010-1234-5678", answer, "", "010-1234-5678"},
		{"괜찮아요", decline, "", ""},
		{"번호 없어요", decline, "", ""},
		{"연락 안 주셔도 돼요", decline, "", ""},
		{"없어요", decline, "", ""},
		{"안 남길게요", decline, "", ""},
		{"문자는 괜찮아요", decline, "", ""},
		// a text turned down is no preference (contact_text_refused.go);
		// the field is asked again as after any answer that does not fit
		{"문자 필요 없어요", decline, "", ""},
		{"문자 안 받아요", decline, "", ""},
		{"문자 NO", decline, "", ""},
		{"문자 노노", decline, "", ""},
		{"문자 ㄴㄴ", decline, "", ""},
	} {
		t.Run(tc.say, func(t *testing.T) {
			o := e.Step(inIntake("phone", false), text(tc.say))
			if !o.Private && tc.want != decline {
				t.Errorf("got a public turn, want it private (it answered the phone field)")
			}
			got := allText(o.Reply)
			switch tc.want {
			case answer:
				if o.IntakeAnswer == nil || o.IntakeAnswer.Name != "phone" || o.IntakeAnswer.Value != tc.value {
					t.Fatalf("got answer %+v, reply %q, want phone = %q", o.IntakeAnswer, got, tc.value)
				}
				if o.Open == nil || o.Open.ContactPref != tc.pref {
					t.Fatalf("got open %+v, want the handoff with contact preference %q", o.Open, tc.pref)
				}
				return
			case decline:
				if in := o.Conversation.Intake; o.IntakeAnswer != nil || in.Field != "phone" || !in.Retried || in.Pref != "" {
					t.Errorf("got answer %+v, intake %+v, want phone asked again (retried) with no preference", o.IntakeAnswer, in)
				}
				if strings.Contains(got, def.IntakeTextNoted) {
					t.Errorf("got reply %q, want no %q", got, def.IntakeTextNoted)
				}
				return
			}
			if in := o.Conversation.Intake; o.IntakeAnswer != nil || o.Open != nil || in.Field != "phone" || !in.Retried || in.Pref != tc.pref {
				t.Fatalf("got answer %+v, open %v, intake %+v, want phone asked once more (retried) with preference %q",
					o.IntakeAnswer, o.Open != nil, in, tc.pref)
			}
			if !strings.Contains(got, phonePrompt) {
				t.Errorf("got reply %q, want the prompt %q", got, phonePrompt)
			}
			if noted := strings.Contains(got, def.IntakeTextNoted); noted != (tc.want == askText) {
				t.Errorf("got reply %q: %q shown %v, want %v", got, def.IntakeTextNoted, noted, tc.want == askText)
			}

			o = e.Step(o.Conversation, text("010-9876-5432"))
			if o.IntakeAnswer == nil || o.IntakeAnswer.Value != "010-9876-5432" || o.Open == nil || o.Open.ContactPref != tc.pref {
				t.Errorf("the number typed next: got answer %+v, open %+v, want it taken and the handoff with preference %q",
					o.IntakeAnswer, o.Open, tc.pref)
			}
		})
	}
}

// TestIntakeContactPrefOtherField: a text wished for at a field that is no
// phone number (the optional order number) skips nothing: it is kept, the
// field is asked once more after texts.intake_text_noted, and the handoff
// opens with it after the number. A second wish leaves the field out.
func TestIntakeContactPrefOtherField(t *testing.T) {
	def := configs.DefaultTexts()
	e := newEngine(t, phoneIntakeConfig(), Options{})
	o := e.Step(inIntake("order", false), text("문자도 괜찮아요"))
	if in := o.Conversation.Intake; in.Field != "order" || in.Pref != ContactPrefSMS || o.IntakeAnswer != nil {
		t.Fatalf("got intake %+v, answer %+v, want order asked again with preference sms", in, o.IntakeAnswer)
	}
	if got, want := allText(o.Reply), def.IntakeTextNoted+"\n\n"+orderPrompt; !strings.Contains(got, want) {
		t.Errorf("got reply %q, want %q", got, want)
	}
	if !hasQR(o.Reply, def.IntakeSkip) {
		t.Errorf("got quick replies %+v, want %q still offered", o.Reply.QuickReplies, def.IntakeSkip)
	}
	again := e.Step(o.Conversation, text("문자로 주세요"))
	if in := again.Conversation.Intake; in.Field != "phone" || in.Pref != ContactPrefSMS {
		t.Errorf("a second wish: got intake %+v, want phone asked next with preference sms", in)
	}

	o = e.Step(o.Conversation, text("A-1001"))
	if o.IntakeAnswer == nil || o.IntakeAnswer.Value != "A-1001" || o.Conversation.Intake.Field != "phone" {
		t.Fatalf("the order next: got answer %+v, intake %+v, want A-1001 and phone asked", o.IntakeAnswer, o.Conversation.Intake)
	}
	o = e.Step(o.Conversation, text("010-1234-5678"))
	if o.Open == nil || o.Open.ContactPref != ContactPrefSMS {
		t.Errorf("got open %+v, want the handoff with preference sms", o.Open)
	}
}

// TestTicketContactPref: the ticket's call-back number prompt keeps the
// preference said with or before the number on the ticket.
func TestTicketContactPref(t *testing.T) {
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	e := newEngine(t, cfg, Options{})
	for _, tc := range []struct {
		says          []string
		contact, pref string
	}{
		{[]string{"문자로 주세요", "010-1234-5678"}, "01012345678", ContactPrefSMS},
		{[]string{"문자도 괜찮아요", "010-1234-5678"}, "01012345678", ContactPrefSMS},
		{[]string{"전화보다 문자가 좋아요", "010-1234-5678"}, "01012345678", ContactPrefSMS},
		{[]string{"010-1234-5678로 문자 주세요"}, "01012345678", ContactPrefSMS},
		{[]string{"카톡으로 답해 주세요"}, "", ContactPrefChat},
		{[]string{"문자로주세요", "010-1234-5678"}, "01012345678", ContactPrefSMS},
		{[]string{"문자도괜찮아요", "010-1234-5678"}, "01012345678", ContactPrefSMS},
		{[]string{"카톡 주세요"}, "", ContactPrefChat},
		{[]string{"전화는 싫어요"}, "", ContactPrefChat},
		// a call that cannot be taken: a text, so the number
		{[]string{"전화 못 받아요", "010-1234-5678"}, "01012345678", ContactPrefSMS},
		{[]string{"근무 중이라 통화 안 돼요 010-1234-5678"}, "01012345678", ContactPrefSMS},
		// a text turned down is no decline: the number is asked again, for a call
		{[]string{"문자는 싫어요", "010-1234-5678"}, "01012345678", ""},
		{[]string{"문자나 카톡으로 주세요"}, "", ContactPrefChat}, // the chat, where ticket answers reach
		{[]string{"010-1234-5678"}, "01012345678", ""},
		{[]string{"괜찮아요"}, "", ""},
	} {
		t.Run(strings.Join(tc.says, "/"), func(t *testing.T) {
			conv := intakeConv(IntakeContact, "환불 문의")
			var o Outcome
			for _, u := range tc.says {
				o = e.Step(conv, turnText(u, u))
				conv = o.Conversation
			}
			if o.Ticket == nil || o.Ticket.Contact != tc.contact || o.Ticket.ContactPref != tc.pref {
				t.Errorf("got ticket %+v, want contact %q, preference %q", o.Ticket, tc.contact, tc.pref)
			}
		})
	}
}

// TestTicketChatPrefNoReply: where no ticket answer reaches the chat, a wish
// for the chat gets texts.contact_chat_no_reply; a number given then is for
// a call (no preference), a second wish leaves the ticket on the chat.
func TestTicketChatPrefNoReply(t *testing.T) {
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	e := newEngine(t, cfg, Options{NoTicketReply: true})
	o := e.Step(intakeConv(IntakeContact, "환불 문의"), turnText("카톡으로 주세요", "카톡으로 주세요"))
	asked := o.Conversation
	o = e.Step(asked, turnText("010-1234-5678", "010-****-5678"))
	if o.Ticket == nil || o.Ticket.Contact != "01012345678" || o.Ticket.ContactPref != "" {
		t.Errorf("a number after contact_chat_no_reply: got ticket %+v, want the number and no preference", o.Ticket)
	}
	o = e.Step(asked, turnText("카톡으로 주세요", "카톡으로 주세요"))
	if o.Ticket == nil || o.Ticket.Contact != "" || o.Ticket.ContactPref != ContactPrefChat {
		t.Errorf("a second wish for the chat: got ticket %+v, want no number and preference chat", o.Ticket)
	}
}
