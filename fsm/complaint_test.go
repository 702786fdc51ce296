package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// exampleShop builds the engine of configs/example.yaml with its real FAQ
// index.
// exampleShopHours returns a maker of engines of the example shop whose
// escalation.queue (general) is closed when closed, opening 23 hours
// after t0, and their config: engines of one call share it, so their
// cache keys compare.
func exampleShopHours(t *testing.T) (func(closed bool) *Engine, *configs.Config) {
	t.Helper()
	shop, cfg := exampleShop(t)
	return func(closed bool) *Engine {
		e, err := New(cfg, shop.matcher, Options{Hours: hoursStub{closed: map[string]bool{"general": closed}, next: t0.Add(23 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}, cfg
}

func exampleShop(t *testing.T) (*Engine, *configs.Config) {
	t.Helper()
	cfg, err := configs.Load("../configs/example.yaml")
	if err != nil {
		t.Fatalf("load example: %v", err)
	}
	ix, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		t.Fatalf("faq.New: %v", err)
	}
	e, err := New(cfg, ix, Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e, cfg
}

// firstQuickReply is the label of o's first quick reply, or "".
func firstQuickReply(o Outcome) string {
	if len(o.Reply.QuickReplies) == 0 {
		return ""
	}
	return o.Reply.QuickReplies[0].Label
}

// TestComplaintOffersAgent types upset lines of the example shop's users on
// its main menu: those the FAQ has no answer for get texts.complaint with
// 상담원 연결 as the first quick reply, in bot state (nothing escalates by
// itself); answered ones keep their answer with 상담원 연결 first; ordinary
// lines and FAQ questions with a negative word ("안 와요", "최악의 경우")
// get exactly the reply they got before complaints existed.
func TestComplaintOffersAgent(t *testing.T) {
	e, cfg := exampleShop(t)
	plainCfg := *cfg
	plainCfg.Escalation.Complaints = nil
	plain, err := New(&plainCfg, e.matcher, Options{})
	if err != nil {
		t.Fatalf("New without complaints: %v", err)
	}
	agent, complaint := e.texts.Agent, e.texts.Complaint
	for _, tc := range []struct {
		say  string
		want string // "complaint", "answer+agent" or "same"
	}{
		{"진짜 최악이네요", "complaint"},
		{"짜증나요", "complaint"},
		{"화나네요 진짜", "complaint"},
		{"이게 말이 돼요?", "complaint"},
		{"환불 안 해주면 신고할게요", "answer+agent"}, // return-how answers it
		{"몇 번을 말해요", "complaint"},
		{"몇번을 말해야 알아들어요", "complaint"},
		{"아 진짜 열받네", "complaint"},
		{"어이가 없네요", "complaint"},
		{"장난하세요?", "complaint"},
		{"너무 실망스럽네요", "complaint"},
		{"고객센터 너무 불친절해요", "complaint"},
		{"답답해 죽겠어요", "complaint"},
		{"화가 나서 못 참겠네", "complaint"},
		{"이거 완전 엉망이네", "complaint"},
		{"배송 너무 느려요 짜증나", "answer+agent"},
		{"배송이 안 와요", "same"},
		{"배송이 일주일째 안와요", "same"},
		{"환불 언제 들어와요?", "same"},
		{"옷이 찢어져서 왔어요", "same"},
		{"불량이에요", "same"},
		{"사이즈가 작아요", "same"},
		{"무통장 입금했는데 확인 안돼요", "same"},
		{"최악의 경우 환불 되나요?", "same"},
		{"최악의 경우엔 어떻게 되나요", "same"},
		{"전화나 문자로 연락 주시나요", "same"},
		{"화면이 안 나와요", "same"},
		{"쿠폰이 안 보여요", "same"},
		{"로그인이 안 돼요", "same"},
		{"오늘 날씨 어때요", "same"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			c := welcomedBot()
			c.ConfigVersion = cfg.Version
			got, before := e.Step(c, text(tc.say)), plain.Step(c, text(tc.say))
			switch tc.want {
			case "complaint":
				if got.Record.Kind != "no_match" || got.Record.Node != "complaint" {
					t.Errorf("record: got %s %s, want no_match complaint", got.Record.Kind, got.Record.Node)
				}
				if len(got.Reply.Messages) == 0 || got.Reply.Messages[0].Text != complaint {
					t.Errorf("reply: got %+v, want the complaint text %q", got.Reply.Messages, complaint)
				}
				if q := firstQuickReply(got); q != agent {
					t.Errorf("first quick reply: got %q, want %q", q, agent)
				}
				if got.Conversation.State != StateBot || got.Open != nil {
					t.Errorf("state: got %s (open %v), want bot without a handoff", got.Conversation.State, got.Open != nil)
				}
			case "answer+agent":
				if got.Record.Kind != "faq" || got.Record != before.Record {
					t.Errorf("record: got %+v, want the answer %+v", got.Record, before.Record)
				}
				if q := firstQuickReply(got); q != agent {
					t.Errorf("first quick reply: got %q, want %q", q, agent)
				}
			default:
				if got.Record != before.Record || got.Record.Node == "complaint" {
					t.Errorf("record: got %+v, want %+v as without complaints", got.Record, before.Record)
				}
				if diff := cmp.Diff(before.Reply, got.Reply); diff != "" {
					t.Errorf("reply changed by complaints (-without +with):\n%s", diff)
				}
			}
		})
	}
}

// TestComplaintInLongUtterance: word starts are found across a long
// utterance folded once: a phrase at its end counts, one inside a word
// ("전화나") does not, and punctuation separates words as spaces do.
func TestComplaintInLongUtterance(t *testing.T) {
	complaints := foldComplaints([]string{"최악", "화나", "몇 번을 말"})
	long := strings.Repeat("주문한 상품 문의 드립니다 ", 2000)
	for _, tc := range []struct {
		u    string
		want bool
	}{
		{long + "진짜 최악이에요", true},
		{long + "전화나 문자로 주세요", false},
		{long + "아,최악!", true},
		{long + "몇번을 말해요", true},
		{long + "최악의 경우 환불되나요", false},
		{long, false},
		{"최악이에요 " + long, true},
	} {
		if got := complaintIn(tc.u, complaints); got != tc.want {
			t.Errorf("complaintIn(%.40q…) = %v, want %v", strings.Replace(tc.u, long, "…", 1), got, tc.want)
		}
	}
}

// TestComplaintAfterHoursOffersMessage: out of escalation.queue's hours a
// complaint the FAQ has no answer for gets texts.complaint_after_hours with
// 메시지 남기기 and no 상담원 연결 anywhere (neither the nav quick reply
// nor the main menu's handoff entry), and the tap opens the ticket intake
// from bot state; in hours the reply is unchanged. The two replies are
// static under different cache keys, and with no ticket answer possible
// in the chat the _no_reply text is used.
func TestComplaintAfterHoursOffersMessage(t *testing.T) {
	shop, cfg := exampleShop(t)
	engine := func(closed, noReply bool) *Engine {
		e, err := New(cfg, shop.matcher, Options{Hours: hoursStub{closed: map[string]bool{"general": closed}, next: t0.Add(23 * time.Hour)}, NoTicketReply: noReply})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	c := welcomedBot()
	c.ConfigVersion = cfg.Version
	const say = "진짜 최악이네요"
	tx := configs.DefaultTexts()

	in := engine(false, false).Step(c, text(say))
	if got := allText(in.Reply); got != tx.Complaint+"\n" || firstQuickReply(in) != tx.Agent {
		t.Errorf("in hours: got %q with quick replies %v, want %q with %s first", got, qrLabels(in.Reply), tx.Complaint, tx.Agent)
	}

	closed := engine(true, false)
	out := closed.Step(c, text(say))
	if got := allText(out.Reply); got != tx.ComplaintAfterHours+"\n" {
		t.Errorf("after hours: got %q, want %q", got, tx.ComplaintAfterHours)
	}
	if hasQR(out.Reply, tx.Agent) || hasQR(out.Reply, "상담원 연결") || !hasQR(out.Reply, tx.LeaveMessage) {
		t.Errorf("after hours: got quick replies %v, want %s and no %s", qrLabels(out.Reply), tx.LeaveMessage, tx.Agent)
	}
	if out.Record.Kind != "no_match" || out.Record.Node != "complaint" || out.Conversation.State != StateBot {
		t.Errorf("after hours: got record %+v in %s, want no_match complaint in bot", out.Record, out.Conversation.State)
	}
	if in.Reply.CacheKey == "" || out.Reply.CacheKey == "" || in.Reply.CacheKey == out.Reply.CacheKey {
		t.Errorf("cache keys: in hours %q, after hours %q: want two different static keys", in.Reply.CacheKey, out.Reply.CacheKey)
	}

	leave := findQR(t, out.Reply, tx.LeaveMessage)
	c = out.Conversation
	tap := closed.Step(c, tapIn(leave.Label, *leave.Tap))
	if tap.Conversation.State != StateAfterHours || tap.Conversation.Intake.Step != IntakeMessage || tap.Conversation.Queue != "general" {
		t.Errorf("메시지 남기기: got %s intake %q queue %q, want after_hours with the message intake on general",
			tap.Conversation.State, tap.Conversation.Intake.Step, tap.Conversation.Queue)
	}
	wantTransitions(t, tap, Transition{From: StateBot, To: StateAfterHours, Event: "escalate", Reason: ReasonComplaintTicket})

	if got := allText(engine(true, true).Step(welcomedBot(), text(say)).Reply); got != tx.ComplaintAfterHoursNoReply+"\n" {
		t.Errorf("no ticket reply: got %q, want %q", got, tx.ComplaintAfterHoursNoReply)
	}
}

// TestAnsweredComplaintAfterHours: a complaint the FAQ answers, or a
// question it answers that also names a human ("상담원 운영 시간이
// 언제예요?"), keeps its answer out of escalation.queue's hours too, but is
// offered what the after-hours complaint reply offers — 메시지 남기기 first
// (tapped or typed, a ticket with reason complaint_ticket or
// keyword_ticket), no 상담원 연결 and no handoff entry of the main menu —
// under a static cache key of its own; in hours 상담원 연결 stays first.
func TestAnsweredComplaintAfterHours(t *testing.T) {
	engine, cfg := exampleShopHours(t)
	tx := configs.DefaultTexts()
	keys := map[string]string{}
	for _, tc := range []struct{ say, reason string }{
		{"배송 너무 느려요 짜증나", ReasonComplaintTicket},  // answered (TestComplaintOffersAgent)
		{"상담원 운영 시간이 언제예요?", ReasonKeywordTicket}, // answered, a human keyword (keywordLater)
	} {
		c := welcomedBot()
		c.ConfigVersion = cfg.Version
		say := tc.say
		again := engine(true).Step(c, text(say)) // another engine of the same config: the same key
		open := engine(false).Step(c, text(say))
		closed := engine(true)
		out := closed.Step(c, text(say))
		if open.Record.Kind != "faq" || out.Record != open.Record || allText(out.Reply) != allText(open.Reply) {
			t.Fatalf("%s: after hours: got %+v %q, want the in-hours answer %+v %q", say, out.Record, allText(out.Reply), open.Record, allText(open.Reply))
		}
		if firstQuickReply(open) != tx.Agent {
			t.Errorf("%s: in hours: got quick replies %v, want %s first", say, qrLabels(open.Reply), tx.Agent)
		}
		if firstQuickReply(out) != tx.LeaveMessage || hasQR(out.Reply, tx.Agent) || hasQR(out.Reply, "상담원 연결") {
			t.Errorf("%s: after hours: got quick replies %v, want %s first and no %s", say, qrLabels(out.Reply), tx.LeaveMessage, tx.Agent)
		}
		if !hasQR(out.Reply, tx.Home) || !hasQR(out.Reply, tx.NotHelpful) {
			t.Errorf("%s: after hours: got quick replies %v, want %s and %s kept", say, qrLabels(out.Reply), tx.Home, tx.NotHelpful)
		}
		if out.Reply.CacheKey == "" || out.Reply.CacheKey == open.Reply.CacheKey || again.Reply.CacheKey != out.Reply.CacheKey {
			t.Errorf("%s: cache keys: in hours %q, after hours %q (again %q): want a stable static key of its own", say, open.Reply.CacheKey, out.Reply.CacheKey, again.Reply.CacheKey)
		}
		for _, k := range []string{open.Reply.CacheKey, out.Reply.CacheKey} {
			if other, dup := keys[k]; dup {
				t.Errorf("%s: cache key %q is also %s's", say, k, other)
			}
			keys[k] = say
		}
		if out.Conversation.State != StateBot || len(out.Transitions) != 0 {
			t.Errorf("%s: after hours: got %s %+v, want bot and no transition", say, out.Conversation.State, out.Transitions)
		}

		leave := findQR(t, out.Reply, tx.LeaveMessage)
		tap := closed.Step(out.Conversation, tapIn(leave.Label, *leave.Tap))
		typed := closed.Step(out.Conversation, text("메시지 남기기"))
		for name, o := range map[string]Outcome{"tap": tap, "typed": typed} {
			if o.Conversation.State != StateAfterHours || o.Conversation.Intake.Step != IntakeMessage || o.Record.Kind != "ticket_prompt" {
				t.Errorf("%s: %s 메시지 남기기: got %s intake %+v record %+v, want the ticket prompt", say, name, o.Conversation.State, o.Conversation.Intake, o.Record)
			}
			wantTransitions(t, o, Transition{From: StateBot, To: StateAfterHours, Event: "escalate", Reason: tc.reason})
		}
	}
}
