package fsm

import (
	"strings"
	"testing"
	"time"
)

// TestReopenNoticeLeadsToTheQueueThatOpened: a user who asked
// "열리면 알려주세요" about vip (a menu's handoff; its reopen timer and
// notification keep the queue) gets the reopen message when vip opens:
// "상담 시간이 시작되었어요. 상담원 연결을 원하시면 아래 버튼을 눌러 주세요."
// Its 상담원 연결 must hand off to vip, not to escalation.queue (general):
// while general is still closed the navigation button would answer
// "지금은 상담 시간이 아니에요…" right under "상담 시간이 시작되었어요", and
// while both are open it would hand off to general's agents, not vip's.
// (handoff.Notices gives the reopen notice the notification's ref, the
// queue; Engine.Event offers a 상담원 연결 on it.)
func TestReopenNoticeLeadsToTheQueueThatOpened(t *testing.T) {
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"reopen": "상담 재개 알림"}
	closed := map[string]bool{"general": true, "vip": true}
	e := newEngine(t, cfg, Options{Hours: hoursStub{closed: closed, next: t0.Add(2 * time.Hour)}})
	tx := e.texts

	// After hours: the VIP menu option, then 열리면 알려주세요.
	c := welcomedBot()
	c.MenuPath = []string{"main", "returns"}
	m := e.Step(c, text("교환/반품"))
	o := e.Step(m.Conversation, tapIn("VIP 상담", *findQR(t, m.Reply, "VIP 상담").Tap))
	if o.Conversation.State != StateAfterHours || o.Conversation.Queue != "vip" {
		t.Fatalf("VIP 상담 after hours: got %s on %q, want after_hours on vip", o.Conversation.State, o.Conversation.Queue)
	}
	n := e.Step(o.Conversation, tapIn(tx.NotifyOnOpen, *findQR(t, o.Reply, tx.NotifyOnOpen).Tap))
	if n.Conversation.State != StateBot {
		t.Fatalf("열리면 알려주세요: got state %s, want bot", n.Conversation.State)
	}

	for _, tc := range []struct {
		name        string
		generalOpen bool
	}{{"vip opened, general still closed", false}, {"both open", true}} {
		t.Run(tc.name, func(t *testing.T) {
			closed["vip"], closed["general"] = false, !tc.generalOpen
			ev := e.Event(n.Conversation, eventIn("상담 재개 알림"), &Notice{Kind: NoticeReopen, Queue: "vip"})
			if !strings.Contains(allText(ev.Reply), tx.EventReopen) {
				t.Fatalf("got %q, want the reopen message", allText(ev.Reply))
			}
			if !hasQR(ev.Reply, tx.Agent) {
				t.Fatalf("reopen message %q offers %v: no %q, though it asks the user to press it and vip is open",
					allText(ev.Reply), qrLabels(ev.Reply), tx.Agent)
			}
			if labels := qrLabels(ev.Reply); labels[0] != tx.Agent || strings.Count(strings.Join(labels, "\n"), tx.Agent) != 1 ||
				strings.Contains(strings.Join(labels, "\n"), tx.LeaveMessage) {
				t.Errorf("reopen message offers %q; want one %q, first, and no %q", labels, tx.Agent, tx.LeaveMessage)
			}
			q := findQR(t, ev.Reply, tx.Agent)
			a := e.Step(ev.Conversation, tapIn(tx.Agent, *q.Tap))
			if a.Open == nil || a.Open.Queue != "vip" {
				got := "no handoff: " + allText(a.Reply)
				if a.Open != nil {
					got = "a handoff on " + a.Open.Queue
				}
				t.Errorf("상담원 연결 under the vip reopen message: got %s, want a handoff on vip", got)
			}
		})
	}
}

// TestReopenNoticeQueueClosedAgain: the reopen message's block runs when
// the queue it announces is closed again (an admin override, a message
// delivered late). "상담 시간이 시작되었어요 … 아래 버튼을 눌러 주세요" over a
// 상담원 연결 that only leads to the after-hours reply would contradict
// itself: the reply is the queue's after-hours text with its next opening
// and 메시지 남기기, whose tap leaves the ticket on that queue.
func TestReopenNoticeQueueClosedAgain(t *testing.T) {
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"reopen": "상담 재개 알림"}
	for _, tc := range []struct {
		name, notice, queue string
		closed              map[string]bool
	}{
		{"vip closed again, general open", "vip", "vip", map[string]bool{"vip": true}},
		{"vip and general closed", "vip", "vip", map[string]bool{"vip": true, "general": true}},
		{"escalation.queue closed again", "general", "general", map[string]bool{"general": true}},
		{"removed queue: escalation.queue, closed", "gone", "general", map[string]bool{"general": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, cfg, Options{Hours: hoursStub{closed: tc.closed, next: t0.Add(2 * time.Hour)}})
			tx := e.texts
			ev := e.Event(welcomedBot(), eventIn("상담 재개 알림"), &Notice{Kind: NoticeReopen, Queue: tc.notice})
			got, labels := allText(ev.Reply), qrLabels(ev.Reply)
			if strings.Contains(got, tx.EventReopen) || !strings.Contains(got, "다음 상담 시간은 오늘 오후 12시부터예요") {
				t.Errorf("got %q, want the after-hours text with the next opening, not %q", got, tx.EventReopen)
			}
			if hasQR(ev.Reply, tx.Agent) || !hasQR(ev.Reply, tx.LeaveMessage) || hasQR(ev.Reply, tx.NotifyOnOpen) {
				t.Fatalf("quick replies %q: want %q and no %q (it leads to the after-hours reply) nor %q",
					labels, tx.LeaveMessage, tx.Agent, tx.NotifyOnOpen)
			}
			if ev.Conversation.State != StateBot {
				t.Errorf("state %s, want bot: an event block does not move the conversation", ev.Conversation.State)
			}
			l := e.Step(ev.Conversation, tapIn(tx.LeaveMessage, *findQR(t, ev.Reply, tx.LeaveMessage).Tap))
			if l.Conversation.State != StateAfterHours || l.Conversation.Queue != tc.queue || l.Conversation.Intake.Reason != ReasonMenuTicket {
				t.Errorf("메시지 남기기: got %s on %q (intake %+v), want the ticket intake on %s (%s)",
					l.Conversation.State, l.Conversation.Queue, l.Conversation.Intake, tc.queue, ReasonMenuTicket)
			}
			// Typed on the next turn, the words do what the tap does.
			w := e.Step(ev.Conversation, text("메시지 남기기"))
			if w.Conversation.State != StateAfterHours || w.Conversation.Queue != tc.queue {
				t.Errorf("\"메시지 남기기\" typed: got %s on %q, want the ticket intake on %s", w.Conversation.State, w.Conversation.Queue, tc.queue)
			}
		})
	}
}

// TestReopenNoticeNamingNoQueue: a notice whose notification names no
// queue (its reopen timer carried none) cannot tell which queue opened: it
// keeps the reopen text, and its 상담원 연결 is the navigation one, which
// while escalation.queue is closed gives way to 메시지 남기기 on it, as
// under any bot reply.
func TestReopenNoticeNamingNoQueue(t *testing.T) {
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"reopen": "상담 재개 알림"}
	closed := map[string]bool{}
	e := newEngine(t, cfg, Options{Hours: hoursStub{closed: closed, next: t0.Add(2 * time.Hour)}})
	tx := e.texts
	ev := e.Event(welcomedBot(), eventIn("상담 재개 알림"), &Notice{Kind: NoticeReopen})
	if !strings.Contains(allText(ev.Reply), tx.EventReopen) || qrLabels(ev.Reply)[0] != tx.Agent {
		t.Fatalf("got %q with %q, want the reopen text with %q first", allText(ev.Reply), qrLabels(ev.Reply), tx.Agent)
	}
	if a := e.Step(ev.Conversation, tapIn(tx.Agent, *findQR(t, ev.Reply, tx.Agent).Tap)); a.Open == nil || a.Open.Queue != "general" {
		t.Errorf("상담원 연결: got %+v, want a handoff on general", a.Open)
	}
	closed["general"] = true
	ev = e.Event(welcomedBot(), eventIn("상담 재개 알림"), &Notice{Kind: NoticeReopen})
	// The main menu shown keeps its own 상담원 연결 option (a menu's
	// handoff stays where the bot master put it); the navigation one goes.
	if !hasQR(ev.Reply, tx.LeaveMessage) || hasQR(ev.Reply, tx.Agent) && findQR(t, ev.Reply, tx.Agent).Tap.N == nodeNav {
		t.Fatalf("general closed: quick replies %q, want %q and no navigation %q", qrLabels(ev.Reply), tx.LeaveMessage, tx.Agent)
	}
	l := e.Step(ev.Conversation, tapIn(tx.LeaveMessage, *findQR(t, ev.Reply, tx.LeaveMessage).Tap))
	if l.Conversation.State != StateAfterHours || l.Conversation.Queue != "general" {
		t.Errorf("메시지 남기기: got %s on %q, want the ticket intake on general", l.Conversation.State, l.Conversation.Queue)
	}
}

// TestReopenNoticeQueueRemovedOrReloaded: a reload between the reopen
// notification and its block removed the queue: 상담원 연결 is the
// navigation one (escalation.queue). A reload between the message and the
// tap keeps the tap, as it keeps the navigation 상담원 연결.
func TestReopenNoticeQueueRemovedOrReloaded(t *testing.T) {
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"reopen": "상담 재개 알림"}
	e := newEngine(t, cfg, Options{})
	tx := e.texts

	ev := e.Event(welcomedBot(), eventIn("상담 재개 알림"), &Notice{Kind: NoticeReopen, Queue: "gone"})
	a := e.Step(ev.Conversation, tapIn(tx.Agent, *findQR(t, ev.Reply, tx.Agent).Tap))
	if a.Open == nil || a.Open.Queue != "general" {
		t.Errorf("상담원 연결 under the reopen message of a removed queue: got %+v, want a handoff on general", a.Open)
	}

	ev = e.Event(welcomedBot(), eventIn("상담 재개 알림"), &Notice{Kind: NoticeReopen, Queue: "vip"})
	tap := *findQR(t, ev.Reply, tx.Agent).Tap
	cfg2 := testConfig()
	cfg2.Version = "v2"
	cfg2.Menus["main"].Text = "무엇을 도와드릴까요? (개편)"
	e2 := newEngine(t, cfg2, Options{})
	a = e2.Step(ev.Conversation, tapIn(tx.Agent, tap))
	if a.Open == nil || a.Open.Queue != "vip" {
		t.Errorf("상담원 연결 under the vip reopen message after a reload: got %+v (%q), want a handoff on vip", a.Open, allText(a.Reply))
	}

	delete(cfg2.Handoff.Queues, "vip")
	cfg2.Menus["returns"].Options = cfg2.Menus["returns"].Options[:1]
	delete(cfg2.Blocks.Map, "blk-vip")
	e3 := newEngine(t, cfg2, Options{})
	a = e3.Step(ev.Conversation, tapIn(tx.Agent, tap))
	if a.Open == nil || a.Open.Queue != "general" {
		t.Errorf("상담원 연결 under the vip reopen message, vip removed since: got %+v (%q), want a handoff on general", a.Open, allText(a.Reply))
	}
}
