package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/google/go-cmp/cmp"
)

const (
	orderPrompt = "주문번호를 알려주세요."
	buyerPrompt = "주문하신 분의 성함을 알려주세요."
)

// intakeConfig is testConfig with a two-field intake on vip (an optional
// order number with a pattern, then a required pii name) and, when general
// is set, a one-field intake on general.
func intakeConfig(general bool) *configs.Config {
	cfg := testConfig()
	vip := cfg.Handoff.Queues["vip"]
	vip.Intake = []configs.IntakeField{
		{Name: "order", Prompt: orderPrompt, Pattern: "[A-Za-z0-9-]{4,20}", Optional: true},
		{Name: "buyer", Prompt: buyerPrompt, PII: true},
	}
	cfg.Handoff.Queues["vip"] = vip
	if general {
		g := cfg.Handoff.Queues["general"]
		g.Intake = []configs.IntakeField{{Name: "order", Prompt: orderPrompt, Optional: true}}
		cfg.Handoff.Queues["general"] = g
	}
	return cfg
}

// inIntake is a user in confirm for vip, asked field.
func inIntake(field string, retried bool) Conversation {
	c := welcomedBot()
	c.State, c.Queue, c.StateSince = StateConfirm, "vip", t0.Add(-time.Minute)
	c.Intake = Intake{Step: IntakeField, HandoffID: "h-res", Field: field, Retried: retried, Reason: ReasonMenu}
	return c
}

func confirmTap(label, opt string) Input {
	return tapIn(label, Tap{V: "v1", N: nodeConfirm, O: opt, S: StateConfirm})
}

func TestHandoffIntake(t *testing.T) {
	def := configs.DefaultTexts()
	confirming := intakeConfig(false)
	confirming.Escalation.Confirm = true
	full := intakeConfig(false)
	vip := full.Handoff.Queues["vip"]
	vip.MaxWaiting = 2
	full.Handoff.Queues["vip"] = vip
	closed := Options{Hours: hoursStub{closed: map[string]bool{"vip": true}, next: t0.Add(time.Hour)}}
	vipTap := tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot})
	missed := welcomedBot()
	missed.FAQMisses = 1
	confirmVIP := welcomedBot()
	confirmVIP.State, confirmVIP.Queue = StateConfirm, "vip"
	fresh := welcomedBot()
	fresh.WelcomedAt = time.Time{}
	idle := inIntake("order", false)
	idle.LastTurnAt = t0.Add(-time.Hour)

	tests := []struct {
		name        string
		cfg         *configs.Config
		opts        Options
		conv        Conversation
		in          Input
		wantState   State
		wantIntake  Intake
		wantAnswer  *IntakeAnswer
		wantOpen    string // handoff id opened, "" = none
		wantDiscard string
		wantText    string   // the reply contains it
		denyText    string   // the reply does not contain it
		wantQR      []string // offered
		denyQR      []string // not offered
		wantKind    string
		private     bool // the text was an answer even though none is stored
	}{
		{
			name: "a menu handoff asks the first field before opening",
			cfg:  intakeConfig(false), conv: welcomedBot(), in: vipTap,
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-new", Field: "order", Reason: ReasonMenu},
			wantText:   orderPrompt, wantQR: []string{def.IntakeSkip, def.Cancel, def.Home}, wantKind: "intake",
		},
		{
			name: "after confirm yes the first field is asked",
			cfg:  confirming, conv: confirmVIP, in: confirmTap(def.ConfirmYes, optYes+":"+ReasonMenu),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-new", Field: "order", Reason: ReasonMenu},
			wantText:   orderPrompt, wantKind: "intake",
		},
		{
			name: "with confirm the question comes first, not the field",
			cfg:  confirming, conv: welcomedBot(), in: vipTap,
			wantState: StateConfirm, wantText: def.ConfirmQuestion, denyText: orderPrompt, wantKind: "confirm",
			// The question holds its escalation's reason, for a typed 네.
			wantIntake: Intake{Reason: ReasonMenu},
		},
		{
			name: "an answer is stored encrypted and the next field asked",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text(" A-1001 "),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu, Passed: "order"},
			wantAnswer: &IntakeAnswer{HandoffID: "h-res", Name: "order", Value: "A-1001"},
			wantText:   buyerPrompt, wantQR: []string{def.Cancel}, denyQR: []string{def.IntakeSkip}, wantKind: "intake",
		},
		{
			name: "the last answer opens the handoff under the reserved id",
			cfg:  intakeConfig(false), conv: inIntake("buyer", false), in: text("김하나"),
			wantState:  StateWaiting,
			wantAnswer: &IntakeAnswer{HandoffID: "h-res", Name: "buyer", Value: "김하나", PII: true},
			wantOpen:   "h-res", wantText: "상담번호 A7K2", wantKind: "handoff",
		},
		{
			name: "skip tapped on an optional field asks the next",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: confirmTap(def.IntakeSkip, optIntakeSkip),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu, Passed: "order"},
			wantText:   buyerPrompt, wantKind: "intake",
		},
		{
			name: "skip typed on an optional field asks the next",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("건너뛰기"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu, Passed: "order"},
			wantText:   buyerPrompt, wantKind: "intake",
		},
		{
			name: "an answer off the pattern is asked again with the invalid text",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("어제 주문했어요"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order", Retried: true, Reason: ReasonMenu},
			wantText:   def.IntakeInvalid + "\n\n" + orderPrompt, wantQR: []string{def.IntakeSkip}, wantKind: "intake", private: true,
		},
		{
			name: "an answer inside a sentence stores the matched part alone",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("제 주문번호는 A-1001 이에요"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu, Passed: "order"},
			wantAnswer: &IntakeAnswer{HandoffID: "h-res", Name: "order", Value: "A-1001"},
			wantText:   buyerPrompt, denyText: def.IntakeInvalid, wantKind: "intake",
		},
		{
			name: "two different codes in a sentence are asked again",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("A-1001 아니면 B-2002 이에요"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order", Retried: true, Reason: ReasonMenu},
			wantText:   def.IntakeInvalid, wantKind: "intake", private: true,
		},
		{
			name: "an answer over the length cap is asked again",
			cfg:  intakeConfig(false), conv: inIntake("buyer", false), in: text(strings.Repeat("가", configs.MaxIntakeValueRunes+1)),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Retried: true, Reason: ReasonMenu},
			wantText:   def.IntakeInvalid, wantKind: "intake", private: true,
		},
		{
			name: "a second misfit moves on without the field",
			cfg:  intakeConfig(false), conv: inIntake("order", true), in: text("A1"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu, Passed: "order"},
			wantText:   buyerPrompt, denyText: def.IntakeInvalid, wantKind: "intake", private: true,
		},
		{
			name: "empty text asks again without using the retry",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("  "),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order", Reason: ReasonMenu},
			wantText:   orderPrompt, denyText: def.IntakeInvalid, wantKind: "intake",
		},
		{
			name: "cancel tapped: no handoff, answers discarded",
			cfg:  intakeConfig(false), conv: inIntake("buyer", false), in: confirmTap(def.Cancel, optHandoffIntakeCancel),
			wantState: StateBot, wantDiscard: "h-res", wantText: def.IntakeCancelled, wantKind: "intake_cancelled",
		},
		{
			name: "취소 typed cancels too",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("취소"),
			wantState: StateBot, wantDiscard: "h-res", wantText: def.IntakeCancelled, wantKind: "intake_cancelled",
		},
		{
			name: "a menu tap abandons the intake and the bot answers it",
			cfg:  intakeConfig(false), conv: inIntake("buyer", false),
			in:        tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateConfirm}),
			wantState: StateBot, wantDiscard: "h-res", wantText: "주문/배송 메뉴입니다.", wantKind: "menu",
		},
		{
			name: "처음으로 typed abandons the intake",
			cfg:  intakeConfig(false), conv: inIntake("order", false), in: text("처음으로"),
			wantState: StateBot, wantDiscard: "h-res", wantText: "무엇을 도와드릴까요?", wantKind: "menu",
		},
		{
			name: "the welcome block abandons the intake",
			cfg:  intakeConfig(false), conv: inIntake("order", false),
			in:        func() Input { in := text(""); in.BlockName = "웰컴 블록"; return in }(),
			wantState: StateBot, wantDiscard: "h-res", denyText: orderPrompt, wantKind: "menu",
		},
		{
			name: "after session_idle the intake goes on: the text answers the field",
			cfg:  intakeConfig(false), conv: idle, in: text("A-1001"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu, Passed: "order"},
			wantAnswer: &IntakeAnswer{HandoffID: "h-res", Name: "order", Value: "A-1001"},
			wantText:   buyerPrompt, wantKind: "intake",
		},
		{
			name: "after session_idle a misfit is still a private answer, asked again",
			cfg:  intakeConfig(false), conv: idle, in: text("배송비 얼마"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order", Retried: true, Reason: ReasonMenu},
			wantText:   def.IntakeInvalid, denyText: "3만원 이상 무료배송입니다.", wantKind: "intake", private: true,
		},
		{
			name: "a stale skip tap (another config version) asks the field again",
			cfg:  intakeConfig(false), conv: inIntake("order", false),
			in:         tapIn(def.IntakeSkip, Tap{V: "v0", N: nodeConfirm, O: optIntakeSkip, S: StateConfirm}),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order", Reason: ReasonMenu},
			wantText:   def.StaleTap + "\n" + orderPrompt, wantQR: []string{def.IntakeSkip, def.Cancel}, wantKind: "stale",
		},
		{
			name: "a stale cancel tap asks the field again, as inConfirm does",
			cfg:  intakeConfig(false), conv: inIntake("buyer", false),
			in:         tapIn(def.Cancel, Tap{V: "v0", N: nodeConfirm, O: optHandoffIntakeCancel, S: StateConfirm}),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu},
			wantText:   buyerPrompt, denyText: def.IntakeCancelled, wantQR: []string{def.Cancel}, wantKind: "stale",
		},
		{
			name: "a menu tap from before the intake is stale: the field is asked again",
			cfg:  intakeConfig(false), conv: inIntake("buyer", false),
			in:         tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateBot}),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "buyer", Reason: ReasonMenu},
			wantText:   def.StaleTap, denyText: "주문/배송 메뉴입니다.", wantKind: "stale",
		},
		{
			name: "closed hours never ask",
			cfg:  intakeConfig(false), opts: closed, conv: welcomedBot(), in: vipTap,
			wantState: StateAfterHours, denyText: orderPrompt, wantQR: []string{def.LeaveMessage}, wantKind: "after_hours",
			wantIntake: Intake{Reason: ReasonMenu}, // no field: only the stay's reason, the ticket's origin
		},
		{
			name: "closed after confirm yes: no field asked",
			cfg:  confirming, opts: closed, conv: confirmVIP, in: confirmTap(def.ConfirmYes, optYes+":"+ReasonMenu),
			wantState: StateAfterHours, denyText: orderPrompt, wantKind: "after_hours",
			wantIntake: Intake{Reason: ReasonMenu},
		},
		{
			name: "a full queue never asks",
			cfg:  full, opts: Options{Capacity: capacityStub{"vip": 2}}, conv: welcomedBot(), in: vipTap,
			wantState: StateAfterHours, wantText: def.Busy, denyText: orderPrompt, wantKind: "busy",
			wantIntake: Intake{Reason: ReasonMaxWaiting},
		},
		{
			name: "closed by the last answer: after_hours, answers discarded",
			cfg:  intakeConfig(false), opts: closed, conv: inIntake("buyer", false), in: text("김하나"),
			wantState: StateAfterHours, wantDiscard: "h-res", wantKind: "after_hours", private: true,
			wantIntake: Intake{Reason: ReasonMenu},
		},
		{
			name: "keyword escalation asks the escalation queue's intake",
			cfg:  intakeConfig(true), conv: welcomedBot(), in: text("상담원"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-new", Field: "order", Reason: ReasonKeyword},
			wantText:   orderPrompt, wantKind: "intake",
		},
		{
			name: "faq_misses escalation asks it too",
			cfg:  intakeConfig(true), conv: missed, in: text("아무말 대잔치"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-new", Field: "order", Reason: ReasonFAQMisses},
			wantText:   orderPrompt, wantKind: "intake",
		},
		{
			name: "a first turn carries the privacy notice before the field",
			cfg:  intakeConfig(true), conv: fresh, in: text("상담원"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-new", Field: "order", Reason: ReasonKeyword},
			wantText:   "대화 내용은 90일간 보관돼요.\n" + orderPrompt, wantKind: "intake",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, tt.cfg, tt.opts)
			o := e.Step(tt.conv, tt.in)
			if o.Conversation.State != tt.wantState {
				t.Errorf("got state %s, want %s", o.Conversation.State, tt.wantState)
			}
			if diff := cmp.Diff(tt.wantIntake, o.Conversation.Intake); diff != "" {
				t.Errorf("intake (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAnswer, o.IntakeAnswer); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if got, want := o.Private, tt.wantAnswer != nil || tt.private; got != want {
				t.Errorf("got private %v, want %v", got, want)
			}
			gotOpen := ""
			if o.Open != nil {
				gotOpen = o.Open.ID
				if o.Conversation.HandoffID != gotOpen {
					t.Errorf("got conversation handoff %q, want %q", o.Conversation.HandoffID, gotOpen)
				}
			}
			if gotOpen != tt.wantOpen {
				t.Errorf("got handoff opened %q, want %q", gotOpen, tt.wantOpen)
			}
			if o.IntakeDiscard != tt.wantDiscard {
				t.Errorf("got discard %q, want %q", o.IntakeDiscard, tt.wantDiscard)
			}
			got := allText(o.Reply)
			if tt.wantText != "" && !strings.Contains(got, tt.wantText) {
				t.Errorf("got text %q, want it to contain %q", got, tt.wantText)
			}
			if tt.denyText != "" && strings.Contains(got, tt.denyText) {
				t.Errorf("got text %q, want no %q", got, tt.denyText)
			}
			for _, l := range tt.wantQR {
				findQR(t, o.Reply, l)
			}
			for _, l := range tt.denyQR {
				if hasQR(o.Reply, l) {
					t.Errorf("got quick replies %v, want no %q", qrLabels(o.Reply), l)
				}
			}
			if o.Record.Kind != tt.wantKind {
				t.Errorf("got record kind %q, want %q", o.Record.Kind, tt.wantKind)
			}
			if len(o.Reply.Messages) > maxMessages || len(o.Reply.QuickReplies) > maxQuickReplies {
				t.Errorf("got %d messages, %d quick replies: over Kakao's limits", len(o.Reply.Messages), len(o.Reply.QuickReplies))
			}
		})
	}
}

// TestHandoffIntakeWalk follows one user from the menu tap to the open
// handoff through the quick replies the engine offers, and checks the
// lifecycle rows recorded on the way.
func TestHandoffIntakeWalk(t *testing.T) {
	e := newEngine(t, intakeConfig(false), Options{})
	in := tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot})
	in.NewHandoffID = "h-first"
	o := e.Step(welcomedBot(), in)
	wantTransitions(t, o, Transition{From: StateBot, To: StateConfirm, Event: EventEscalate, Reason: ReasonMenu})

	skip := findQR(t, o.Reply, configs.DefaultTexts().IntakeSkip)
	in = tapIn(skip.Label, *skip.Tap)
	in.NewHandoffID = "h-second" // each turn mints one; the reserved one wins
	o = e.Step(o.Conversation, in)
	if len(o.Transitions) != 0 || o.Conversation.Intake.Field != "buyer" {
		t.Fatalf("after skip: got transitions %+v, field %q; want none, buyer", o.Transitions, o.Conversation.Intake.Field)
	}

	in = text("김하나")
	in.NewHandoffID = "h-third"
	o = e.Step(o.Conversation, in)
	wantTransitions(t, o, Transition{From: StateConfirm, To: StateWaiting, Event: EventConfirmYes, Reason: ReasonMenu})
	if o.Open == nil || o.Open.ID != "h-first" || o.Open.Queue != "vip" || o.Open.Reason != ReasonMenu {
		t.Fatalf("got open %+v, want h-first on vip for menu", o.Open)
	}
	if o.IntakeAnswer == nil || o.IntakeAnswer.HandoffID != "h-first" {
		t.Fatalf("got answer %+v, want one under h-first", o.IntakeAnswer)
	}
	if o.Conversation.Intake != (Intake{}) {
		t.Errorf("got intake %+v after the handoff, want none", o.Conversation.Intake)
	}
}

// TestHandoffIntakeReload: a reload that renames or removes the field being
// asked, or the queue's intake, or the queue, keeps the confirmed request:
// the text that answered the old field is dropped and private, and the new
// intake goes on from its first field not passed (or the handoff opens);
// with the queue gone the request goes to escalation.queue.
func TestHandoffIntakeReload(t *testing.T) {
	def := configs.DefaultTexts()
	reload := func(general bool, vipIntake []configs.IntakeField) *configs.Config {
		cfg := intakeConfig(general)
		vip := cfg.Handoff.Queues["vip"]
		vip.Intake = vipIntake
		cfg.Handoff.Queues["vip"] = vip
		cfg.Version = "v2"
		return cfg
	}
	renamed := []configs.IntakeField{
		{Name: "order_no", Prompt: "주문번호를 다시 알려주세요.", Optional: true},
		{Name: "buyer", Prompt: buyerPrompt, PII: true},
	}
	buyerRenamed := []configs.IntakeField{
		{Name: "order", Prompt: orderPrompt, Optional: true},
		{Name: "name", Prompt: "성함을 알려주세요.", PII: true},
	}
	atBuyer := inIntake("buyer", false)
	atBuyer.Intake.Passed = "order"
	gone := inIntake("order", false)
	gone.Queue = "vip_old" // a queue the new config no longer has

	tests := []struct {
		name        string
		cfg         *configs.Config
		conv        Conversation
		in          Input
		wantState   State
		wantIntake  Intake
		wantOpen    string
		wantDiscard string
		wantText    string
		wantKind    string
		private     bool
	}{
		{
			name: "intake removed: the handoff opens under the reserved id",
			cfg:  reload(false, nil), conv: inIntake("order", false), in: text("A-1001"),
			wantState: StateWaiting, wantOpen: "h-res", wantText: "상담번호 A7K2", wantKind: "handoff", private: true,
		},
		{
			name: "field renamed: the new field is asked, the text dropped",
			cfg:  reload(false, renamed), conv: inIntake("order", false), in: text("A-1001"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order_no", Reason: ReasonMenu},
			wantText:   "주문번호를 다시 알려주세요.", wantKind: "intake", private: true,
		},
		{
			name: "a field passed before the reload is not asked again",
			cfg:  reload(false, buyerRenamed), conv: atBuyer, in: text("김하나"),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "name", Reason: ReasonMenu, Passed: "order"},
			wantText:   "성함을 알려주세요.", wantKind: "intake", private: true,
		},
		{
			name: "a stale tap after the rename gets the stale text and the new field",
			cfg:  reload(false, renamed), conv: inIntake("order", false),
			in:         confirmTap(def.IntakeSkip, optIntakeSkip),
			wantState:  StateConfirm,
			wantIntake: Intake{Step: IntakeField, HandoffID: "h-res", Field: "order_no", Reason: ReasonMenu},
			wantText:   def.StaleTap + "\n주문번호를 다시 알려주세요.", wantKind: "intake",
		},
		{
			name: "취소 typed after the rename still cancels",
			cfg:  reload(false, renamed), conv: inIntake("order", false), in: text("취소"),
			wantState: StateBot, wantDiscard: "h-res", wantText: def.IntakeCancelled, wantKind: "intake_cancelled",
		},
		{
			name: "queue gone: the escalation queue's handoff opens, answers discarded",
			cfg:  reload(false, renamed), conv: gone, in: text("A-1001"),
			wantState: StateWaiting, wantOpen: "h-new", wantDiscard: "h-res", wantText: "상담번호 A7K2", wantKind: "handoff", private: true,
		},
		{
			name: "queue gone: the escalation queue's intake is asked",
			cfg:  reload(true, renamed), conv: gone, in: text("A-1001"),
			wantState:   StateConfirm,
			wantIntake:  Intake{Step: IntakeField, HandoffID: "h-new", Field: "order", Reason: ReasonMenu},
			wantDiscard: "h-res", wantText: orderPrompt, wantKind: "intake", private: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, tt.cfg, Options{})
			o := e.Step(tt.conv, tt.in)
			if o.Conversation.State != tt.wantState {
				t.Errorf("got state %s, want %s", o.Conversation.State, tt.wantState)
			}
			if diff := cmp.Diff(tt.wantIntake, o.Conversation.Intake); diff != "" {
				t.Errorf("intake (-want +got):\n%s", diff)
			}
			if o.IntakeAnswer != nil {
				t.Errorf("got answer %+v, want none (the field it answered is gone)", o.IntakeAnswer)
			}
			if o.Private != tt.private {
				t.Errorf("got private %v, want %v", o.Private, tt.private)
			}
			gotOpen := ""
			if o.Open != nil {
				gotOpen = o.Open.ID
			}
			if gotOpen != tt.wantOpen {
				t.Errorf("got handoff opened %q, want %q", gotOpen, tt.wantOpen)
			}
			if o.IntakeDiscard != tt.wantDiscard {
				t.Errorf("got discard %q, want %q", o.IntakeDiscard, tt.wantDiscard)
			}
			if got := allText(o.Reply); !strings.Contains(got, tt.wantText) {
				t.Errorf("got text %q, want it to contain %q", got, tt.wantText)
			}
			if o.Record.Kind != tt.wantKind {
				t.Errorf("got record kind %q, want %q", o.Record.Kind, tt.wantKind)
			}
		})
	}
}
