package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

func TestReplyInChat(t *testing.T) {
	for _, tc := range []struct {
		u    string
		want bool
	}{
		{"전화 말고 카톡으로 주세요", true}, {"카톡으로 답해 주세요", true}, {"문자로 주세요", true},
		{"카톡으로요", true}, {"카카오톡으로 답변 부탁드려요", true}, {"여기로 답 주세요", true},
		{"여기서 답해 주세요", true}, {"채팅으로 주세요", true}, {"메시지로 보내 주세요", true},
		{"톡으로 주세요", true}, {"전화는 말고요", true}, {"전화 대신 문자로요", true},
		{"전화는 곤란해요", true}, {"전화 못 받아요", false}, // "못" alone is no turn-down word
		{"010-1234-5678로 연락 주세요", false}, {"카톡으로 010-1234-5678", false},
		{"전화 주세요", false}, {"전화로 연락 주세요", false}, {"이메일로 주세요", false},
		{"전화 말고 메일로 주세요", false}, {"카톡 아이디 알려드릴게요", false}, {"카톡", false},
		{"문자", false}, {"김하나", false}, {"", false},
	} {
		if got := replyInChat(tc.u); got != tc.want {
			t.Errorf("replyInChat(%q): got %v, want %v", tc.u, got, tc.want)
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
	for _, u := range []string{"전화 말고 카톡으로 주세요", "카톡으로 답해 주세요", "문자로 주세요"} {
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
