package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

func TestContactWish(t *testing.T) {
	for _, tc := range []struct {
		u    string
		want contactWish
	}{
		{"전화 말고 카톡으로 주세요", wishChat}, {"카톡으로 답해 주세요", wishChat},
		{"카톡으로요", wishChat}, {"카카오톡으로 답변 부탁드려요", wishChat}, {"여기로 답 주세요", wishChat},
		{"여기서 답해 주세요", wishChat}, {"채팅으로 주세요", wishChat}, {"메시지로 보내 주세요", wishChat},
		{"톡으로 주세요", wishChat}, {"전화는 말고요", wishChat},
		{"전화는 곤란해요", wishText}, // a call that cannot be taken (contact_call_unable.go)
		{"문자 말고 카톡으로 주세요", wishChat},
		{"문자로 주세요", wishText}, {"문자로요", wishText}, {"문자 주세요", wishText}, {"문자요", wishText},
		{"문자", wishText}, {"전화 대신 문자로요", wishText}, {"전화 말고 문자 주세요", wishText},
		{"문자 메시지로 보내 주세요", wishText}, {"문자메시지로 주세요", wishText}, {"SMS로 주세요", wishText},
		{"문자나 카톡으로 주세요", wishEither}, {"문자나 카톡 주세요", wishEither},
		{"카톡이나 문자로 주세요", wishEither}, {"카톡이든 문자든 상관없어요", wishEither},
		{"전화 못 받아요", wishText}, {"통화가 어려워요", wishText}, {"전화 못 받아요 카톡으로 주세요", wishChat},
		{"전화 못 받았어요", wishNone}, {"전화 못 받으면요?", wishNone}, {"전화 못 받고 문자도 안 봐요", wishNone},
		{"010-1234-5678로 연락 주세요", wishNone}, {"카톡으로 010-1234-5678", wishNone},
		{"010-1234-5678로 문자 주세요", wishNone}, // the number is taken
		{"전화 주세요", wishNone}, {"전화로 연락 주세요", wishNone}, {"이메일로 주세요", wishNone},
		{"전화 말고 메일로 주세요", wishNone}, {"카톡 아이디 알려드릴게요", wishNone}, {"카톡", wishNone},
		{"문자열", wishNone}, {"김하나", wishNone}, {"", wishNone},
		// a text turned down is no wish for one (contact_text_refused.go)
		{"문자 안 받아요", wishNone}, {"문자 필요 없어요", wishNone}, {"문자도 필요 없어요", wishNone},
		{"문자 보내지 마세요", wishNone}, {"문자 못 받아요", wishNone}, {"문자도 전화도 필요 없어요", wishNone},
		{"문자 NO", wishNone}, {"문자 노노", wishNone}, {"문자 ㄴㄴ", wishNone}, {"문자는 no", wishNone},
		{"문자 노노 카톡으로 주세요", wishChat}, {"노노 문자로 주세요", wishText},
		{"문자가 더 편해요", wishText}, {"전화보다 문자가 훨씬 좋아요", wishText}, {"카톡이 더 편해요", wishChat},
		{"카톡이 제일 편해요", wishChat}, {"문자가 좀 안 좋아요", wishNone}, {"문자가 더", wishNone},
		// without spaces: the request glued to the channel
		{"문자로주세요", wishText}, {"문자주세여", wishText}, {"문자로해줘", wishText}, {"문자도괜찮아요", wishText},
		{"문자로보내주세요", wishText}, {"카톡으로주세요", wishChat}, {"카톡주세요", wishChat}, {"카톡 주세요", wishChat},
		{"톡 주세요", wishChat}, {"문자로안돼요", wishNone}, {"문자는괜찮아요", wishNone}, {"카톡 아이디 주세요", wishNone},
		{"카톡주소", wishNone},
		{"문자로 안내해 주세요", wishText}, {"문자로 안 될까요?", wishText},
		{"문자로 주세요 전화는 안 돼요", wishText}, {"문자로 주세요 카톡은 안 봐요", wishText},
	} {
		if got := contactWishOf(tc.u); got != tc.want {
			t.Errorf("contactWishOf(%q): got %v, want %v", tc.u, got, tc.want)
		}
	}
}

// TestContactInChat checks a wish for the answer in the chat at the
// call-back number prompt: when ticket replies reach the chat the ticket is
// left without a number at once; when they cannot, texts.contact_chat_no_reply
// says so and asks the number once more, a second wish leaves the ticket
// without a number, and a number given then is taken.
func TestContactInChat(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	reply := newEngine(t, cfg, Options{})
	closed := hoursStub{closed: map[string]bool{"general": true}} // after hours: ticket_created_no_reply
	noReply := newEngine(t, cfg, Options{NoTicketReply: true, Hours: closed})
	// "전화는 싫어요" reads as a decline too; the wish for the chat comes first
	for _, u := range []string{"전화 말고 카톡으로 주세요", "카톡으로 답해 주세요", "여기로 주세요", "전화는 싫어요"} {
		t.Run(u, func(t *testing.T) {
			o := reply.Step(intakeConv(IntakeContact, "환불 문의"), turnText(u, u))
			if o.Ticket == nil || o.Ticket.Contact != "" {
				t.Fatalf("replies reach the chat, %q: got ticket %+v, want one without a contact", u, o.Ticket)
			}
			if got, want := allText(o.Reply), fill(def.TicketCreated, "code", "A7K2"); !strings.Contains(got, want) {
				t.Errorf("replies reach the chat, %q: got reply %q, want %q", u, got, want)
			}

			o = noReply.Step(intakeConv(IntakeContact, "환불 문의"), turnText(u, u))
			if o.Ticket != nil {
				t.Fatalf("no reply in the chat, %q: got ticket %+v, want the number asked again", u, o.Ticket)
			}
			if got := allText(o.Reply); !strings.Contains(got, def.ContactChatNoReply) {
				t.Errorf("no reply in the chat, %q: got reply %q, want %q", u, got, def.ContactChatNoReply)
			}
			if got := o.Conversation.Intake; got.Step != IntakeContact || !got.Retried || got.Message != "환불 문의" {
				t.Errorf("no reply in the chat, %q: got intake %+v, want the contact step, retried, message kept", u, got)
			}
			if qrs := o.Reply.QuickReplies; len(qrs) == 0 || qrs[0].Tap == nil || qrs[0].Tap.O != optContactSkip {
				t.Errorf("no reply in the chat, %q: got quick replies %+v, want 건너뛰기 first", u, qrs)
			}
			asked := o.Conversation

			o = noReply.Step(asked, turnText(u, u))
			if o.Ticket == nil || o.Ticket.Contact != "" {
				t.Fatalf("asked twice, %q: got ticket %+v, want one without a contact", u, o.Ticket)
			}
			if got, want := allText(o.Reply), fill(def.TicketCreatedNoReply, "code", "A7K2"); !strings.Contains(got, want) {
				t.Errorf("asked twice, %q: got reply %q, want %q", u, got, want)
			}

			o = noReply.Step(asked, turnText("010-1234-5678", "010-****-5678"))
			if o.Ticket == nil || o.Ticket.Contact != "01012345678" {
				t.Errorf("a number after the second ask: got ticket %+v, want contact 01012345678", o.Ticket)
			}
		})
	}
}

// TestContactByText checks a wish for a text message (문자) at the call-back
// number prompt: it asks for the number (texts.contact_text_prompt) whether
// or not ticket replies reach the chat, the number typed next is taken, and
// a number given with the wish is taken at once. "문자나 카톡으로" is the
// chat when ticket replies reach it, otherwise a text.
func TestContactByText(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	reply := newEngine(t, cfg, Options{})
	noReply := newEngine(t, cfg, Options{NoTicketReply: true})
	for _, tc := range []struct {
		name   string
		e      *Engine
		say    string
		masked string
		want   string // the number taken, "-" for the number asked, "" for no number
	}{
		{"text, replies reach the chat", reply, "문자로 주세요", "문자로 주세요", "-"},
		{"text, no reply in the chat", noReply, "문자로 주세요", "문자로 주세요", "-"},
		{"phone turned down for a text", reply, "전화 말고 문자로요", "전화 말고 문자로요", "-"},
		{"a text with the number", reply, "010-1234-5678로 문자 주세요", "010-****-5678로 문자 주세요", "01012345678"},
		{"text or chat, replies reach the chat", reply, "문자나 카톡으로 주세요", "문자나 카톡으로 주세요", ""},
		{"text or chat, no reply in the chat", noReply, "문자나 카톡으로 주세요", "문자나 카톡으로 주세요", "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.e.Step(intakeConv(IntakeContact, "환불 문의"), turnText(tc.say, tc.masked))
			switch tc.want {
			case "-":
				if o.Ticket != nil {
					t.Fatalf("got ticket %+v, want the number asked", o.Ticket)
				}
				if got := allText(o.Reply); !strings.Contains(got, def.ContactTextPrompt) {
					t.Fatalf("got reply %q, want %q", got, def.ContactTextPrompt)
				}
				if got := o.Conversation.Intake; got.Step != IntakeContact || got.Message != "환불 문의" {
					t.Fatalf("got intake %+v, want the contact step, message kept", got)
				}
				o = tc.e.Step(o.Conversation, turnText("010-1234-5678", "010-****-5678"))
				if o.Ticket == nil || o.Ticket.Contact != "01012345678" {
					t.Errorf("the number typed next: got ticket %+v, want contact 01012345678", o.Ticket)
				}
			default:
				if o.Ticket == nil || o.Ticket.Contact != tc.want {
					t.Errorf("got ticket %+v, want contact %q", o.Ticket, tc.want)
				}
			}
		})
	}
}
