package fsm

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/pii"
)

// IntakeField is Intake.Step while the fields of a queue's intake are asked
// before its handoff opens (state confirm; handoff.queues.<q>.intake).
const IntakeField = "field"

// Options on the confirm pseudo node for the handoff intake.
const (
	optIntakeSkip          = "~intake_skip"
	optHandoffIntakeCancel = "~intake_cancel"
)

// Reasons recorded for the handoff intake.
const (
	// ReasonIntakeCancelled: the user cancelled the intake (no handoff).
	ReasonIntakeCancelled = "intake_cancelled"
	// ReasonIntakeAbandoned: a menu tap, the welcome block or 처음으로
	// during the intake; the turn is answered by the bot.
	ReasonIntakeAbandoned = "intake_abandoned"
)

// IntakeAnswer asks the caller to store one intake answer for the handoff
// that will open with id HandoffID, encrypted, in the same transaction as
// the turn. Value is personal data: it is never logged.
type IntakeAnswer struct {
	HandoffID string
	Name      string // the field's name (context.intake key)
	Value     string // as typed, trimmed; the matching part of a sentence, or at a phone field the number alone (intakeField.answer)
	PII       bool   // the field is marked pii: only pii notify sinks get it
}

// intakeField is a compiled configs.IntakeField.
type intakeField struct {
	name, prompt         string
	optional, pii, phone bool
	re                   *regexp.Regexp  // nil: any answer
	find                 *regexp.Regexp  // the pattern unanchored, for an answer in a sentence (inSentence); nil with re
	asked                map[string]bool // the prompt's words, folded: never an answer in a sentence (notAnswer)
	reprompt             string          // texts.intake_invalid and the prompt, one bubble
}

// compileIntake compiles a queue's intake fields (Load validated them; a
// pattern that does not compile here is an error all the same).
func compileIntake(e *Engine, fields []configs.IntakeField) ([]intakeField, error) {
	out := make([]intakeField, 0, len(fields))
	for _, f := range fields {
		re, err := f.Regexp()
		if err != nil {
			return nil, err
		}
		var find *regexp.Regexp
		if f.Pattern != "" {
			if find, err = regexp.Compile(f.Pattern); err != nil {
				return nil, err
			}
		}
		prompt := strings.TrimSpace(f.Prompt)
		out = append(out, intakeField{name: f.Name, prompt: prompt, optional: f.Optional, pii: f.PII, phone: f.Phone, re: re, find: find,
			asked: askedWords(prompt), reprompt: strings.TrimSpace(e.texts.IntakeInvalid) + "\n\n" + prompt})
	}
	return out, nil
}

// startHandoffIntake asks the first intake field of queue: a bot turn moves
// to confirm (the question before a handoff), a confirmed one stays there.
// The handoff id is reserved now so every answer is stored under it.
func (t *turn) startHandoffIntake(queue, reason string, from State) {
	if from == StateBot && !t.fire(rowAskConfirm, reason) {
		return
	}
	t.conv.Queue = queue
	t.conv.Intake = Intake{Step: IntakeField, HandoffID: t.handoffID(), Reason: reason}
	t.askField(t.e.queues[queue].intake[0], false)
}

// askField asks f, after texts.intake_invalid when invalid.
func (t *turn) askField(f intakeField, invalid bool) {
	if invalid {
		t.askFieldText(f, f.reprompt)
		return
	}
	t.askFieldText(f, f.prompt)
}

// firstNotPassed returns the queue's first intake field Intake.Passed does
// not name; ok is false when there is none.
func (t *turn) firstNotPassed() (f intakeField, ok bool) {
	passed := strings.Fields(t.conv.Intake.Passed)
	for _, f := range t.e.queues[t.conv.Queue].intake {
		if !slices.Contains(passed, f.name) {
			return f, true
		}
	}
	return intakeField{}, false
}

// askFieldText asks f with text, its prompt or the prompt after a line
// that answers what the user said. On the turn a reload is first seen, a
// field of the new intake before f that is not passed is asked instead,
// with its prompt: the reload moved f behind it, and on later turns the
// fields before the one asked count as passed (nextField).
func (t *turn) askFieldText(f intakeField, text string) {
	e := t.e
	if t.reloaded {
		if first, ok := t.firstNotPassed(); ok && first.name != f.name {
			f, text = first, first.prompt
			t.conv.Intake.Retried = false
		}
	}
	t.conv.Intake.Field = f.name
	t.c.text(text)
	if f.optional {
		t.c.fixed(e.texts.IntakeSkip, "", nodeConfirm, optIntakeSkip)
	}
	t.c.fixed(e.texts.Cancel, "", nodeConfirm, optHandoffIntakeCancel)
	t.c.home = true
	t.out.Record = TurnRecord{Kind: "intake", Node: t.conv.Queue + "/" + f.name, Escalate: t.out.Record.Escalate}
}

// intakeAt returns the field the intake is asking and its index; ok is false
// when the queue (after a reload) no longer has it.
func (t *turn) intakeAt() (f intakeField, i int, ok bool) {
	q := t.e.queues[t.conv.Queue]
	if q == nil {
		return intakeField{}, 0, false
	}
	for i, f := range q.intake {
		if f.name == t.conv.Intake.Field {
			return f, i, true
		}
	}
	return intakeField{}, 0, false
}

// inHandoffIntake continues a handoff intake: the next text answers the
// field; skip and cancel are quick replies (or typed: a cancel in words,
// "취소할게요", cancels too, intakeCancel); a menu tap, the welcome block
// or 처음으로 (also typed as "0", "처음으로요", "메뉴": homeTyped) abandons
// the intake and the bot answers the turn.
// A stale tap (any reload changes the config version; a tap on a bubble
// from before the intake) is answered as inConfirm answers one: the
// stale-tap text and the question again. That holds for a stale 상담 취소,
// 처음으로 or menu tap too: inConfirm does not act on a stale 아니요 either,
// and the fresh question offers 상담 취소 and 처음으로 again (typing 취소
// cancels at once).
func (t *turn) inHandoffIntake(kind InputKind) {
	e := t.e
	f, i, ok := t.intakeAt()
	if !ok {
		t.resumeIntake(kind)
		return
	}
	switch kind {
	case InputTap:
		tp := t.in.Tap
		// Any tap of a bubble from before a reload is stale here, also
		// 처음으로, 상담원 연결 and 아니요, which keptTap keeps elsewhere
		// (DESIGN §3 step 4): the user is mid-intake, and the bubble may
		// hold another field's buttons. So is one of a bubble from before
		// the intake (built in another state).
		if tp.V != t.e.version || tp.S != t.start {
			t.staleField(f)
			return
		}
		if tp.N != nodeConfirm {
			break
		}
		switch {
		case tp.O == optHandoffIntakeCancel || tp.O == optNo:
			t.cancelHandoffIntake()
		case tp.O == optIntakeSkip && f.optional:
			t.nextField(i)
		default: // an older question's button: ask again
			t.askField(f, false)
		}
		return
	case InputText:
		u := strings.TrimSpace(t.in.Utterance)
		n := t.normUtterance()
		switch {
		case u == "" || e.cancelAsked(u, n): // "취소?" answers nothing (cancel_question.go)
			t.askField(f, false)
		case e.intakeCancel(u, n, true): // "취소", "취소요", "취소할게요", "취소해 주세요"
			t.cancelHandoffIntake()
		case e.homeTyped(u, n): // 처음으로, "0", "처음으로요", "메뉴"
			t.abandonIntake(kind)
		case f.optional && n == e.norm.intakeSkip:
			t.nextField(i)
		case e.pardon(u): // "네?" answers nothing: the field again (pardon.go)
			t.askField(f, false)
		case t.intakePref(f, i, u): // "문자도 괜찮아요", "010-1234-5678 문자로 주세요" (intake_pref.go)
		case declineAnswer(u): // "없어요", "안 남길게요" (intake_decline.go)
			t.declineField(f, i)
		default:
			t.answerField(f, i, u)
		}
		return
	}
	t.abandonIntake(kind)
}

// staleField answers a stale tap during the intake: the stale-tap text and
// field f asked again.
func (t *turn) staleField(f intakeField) {
	t.c.staticText(msgKey{kind: "text", a: "stale_tap"}, t.e.texts.StaleTap)
	t.askField(f, false)
	t.out.Record.Kind = "stale"
}

// resumeIntake continues an intake whose field a reload renamed or removed,
// or whose queue it removed. The user confirmed the handoff already, so it
// is not dropped: cancel words, 처음으로 and the welcome block act as usual;
// any other text answered a field that no longer exists, so it is dropped
// (never stored, kept out of the turns). With the queue still there the
// first field of its new intake not yet passed is asked, or the handoff
// opens under the reserved id when none remains; with the queue gone the
// request goes to escalation.queue as every handoff without a queue does
// (escalate), or to the fallback, and the answers given are discarded.
func (t *turn) resumeIntake(kind InputKind) {
	e := t.e
	switch kind {
	case InputText:
		n := t.normUtterance()
		switch {
		case e.intakeCancel(t.in.Utterance, n, true): // a decline ("됐어요") was for the field removed
			t.cancelHandoffIntake()
			return
		case e.homeTyped(t.in.Utterance, n):
			t.abandonIntake(kind)
			return
		}
		if strings.TrimSpace(t.in.Utterance) != "" {
			t.out.Private = true
		}
	case InputTap:
		// Taps made before the reload are stale; the one offered next is not.
	default:
		t.abandonIntake(kind)
		return
	}
	in := t.conv.Intake
	if e.queues[t.conv.Queue] == nil {
		t.conv.Intake, t.conv.Queue = Intake{}, ""
		t.escalate("", in.Reason)
		return
	}
	t.conv.Intake.Field, t.conv.Intake.Retried = "", false
	if kind == InputTap {
		t.c.staticText(msgKey{kind: "text", a: "stale_tap"}, e.texts.StaleTap)
	}
	t.askNextField(0)
}

// answer returns the value u gives to f and whether it may be stored: not
// over configs.MaxIntakeValueRunes and matching f's pattern as a whole
// (whole: one word with a copula ending whose stem matches too gives the
// stem, "김철수요" → "김철수"), or else the one answer u holds in a sentence
// (inSentence: "주문번호는 AB-1234 이에요" answers "AB-1234", "제 이름은
// 김철수입니다" answers "김철수"). At
// a phone field the value is the one phone number u holds, alone or inside
// a sentence (numberInSentence: "010-1234-5678로 연락 주세요" answers
// "010-1234-5678"), as typed, or in its national digits ("010 1234 5678"
// → "01012345678") when only those match the pattern; u with no number or
// with two does not fit.
func (f intakeField) answer(u string) (string, bool) {
	if !f.phone {
		if f.fits(u) {
			return f.whole(u)
		}
		return f.inSentence(u)
	}
	n, ok := numberInSentence(u)
	if !ok {
		return "", false
	}
	if f.fits(n) {
		return n, true
	}
	d, ok := pii.PhoneDigits(n)
	return d, ok && f.fits(d)
}

// fits reports whether v may be stored as an answer to f: not over
// configs.MaxIntakeValueRunes and matching f's pattern as a whole.
func (f intakeField) fits(v string) bool {
	return utf8.RuneCountInString(v) <= configs.MaxIntakeValueRunes && (f.re == nil || f.re.MatchString(v))
}

// answerField takes u as f's answer (answer), or asks again once when it
// does not fit. A second misfit leaves the field out (the agent can ask):
// the user is never kept from a human by a pattern. Fitting or not, u
// answered f: the turn is private.
func (t *turn) answerField(f intakeField, i int, u string) {
	t.out.Private = true
	v, ok := f.answer(u)
	if !ok {
		if !t.conv.Intake.Retried {
			t.conv.Intake.Retried = true
			t.askField(f, true)
			return
		}
		t.nextField(i)
		return
	}
	t.out.IntakeAnswer = &IntakeAnswer{HandoffID: t.conv.Intake.HandoffID, Name: f.name, Value: v, PII: f.pii}
	t.nextField(i)
}

// nextField marks the field at index i passed and asks the next one. On
// the turn a reload is first seen that is the first field of the new intake
// not passed, wherever it stands (the reload may have moved the field asked
// behind fields not asked yet); on any other turn the fields before i were
// passed already (askFieldText), or the conversation is from before
// Intake.Passed.
func (t *turn) nextField(i int) {
	in := &t.conv.Intake
	in.Passed = strings.TrimSpace(in.Passed + " " + t.e.queues[t.conv.Queue].intake[i].name)
	in.Retried = false
	if t.reloaded {
		i = -1
	}
	t.askNextField(i + 1)
}

// askNextField asks the queue's first intake field from index from on not
// passed yet, or opens the handoff when there is none. The fields before
// from count as passed (a conversation from before Intake.Passed names
// none).
func (t *turn) askNextField(from int) {
	passed := strings.Fields(t.conv.Intake.Passed)
	fields := t.e.queues[t.conv.Queue].intake
	for _, f := range fields[min(from, len(fields)):] {
		if !slices.Contains(passed, f.name) {
			t.askField(f, false)
			return
		}
	}
	in := t.conv.Intake
	t.conv.Intake = Intake{}
	t.intakeDone, t.intakeID, t.intakeContact = true, in.HandoffID, in.Pref
	// Hours are checked again: the office may have closed meanwhile.
	t.escalate(t.conv.Queue, in.Reason)
}

// cancelHandoffIntake drops the intake: confirm → bot, no handoff.
func (t *turn) cancelHandoffIntake() {
	t.fire(rowConfirmNo, ReasonIntakeCancelled)
	t.conv.Intake, t.conv.Queue, t.conv.FAQMisses = Intake{}, "", 0
	t.c.text(t.e.texts.IntakeCancelled)
	t.showMenu(t.current(), 0)
	t.out.Record = TurnRecord{Kind: "intake_cancelled"}
}

// abandonIntake leaves confirm and lets the bot answer the turn.
func (t *turn) abandonIntake(kind InputKind) {
	t.fire(rowConfirmIgnored, ReasonIntakeAbandoned)
	t.conv.Intake, t.conv.Queue = Intake{}, ""
	t.inBot(kind)
}

// discardIntake asks the caller to delete the answers stored for an intake
// the turn started with and that neither continues nor became a handoff.
func (t *turn) discardIntake(started Intake) {
	if started.Step != IntakeField || started.HandoffID == "" {
		return
	}
	if t.conv.Intake.HandoffID == started.HandoffID || (t.out.Open != nil && t.out.Open.ID == started.HandoffID) {
		return
	}
	t.out.IntakeDiscard = started.HandoffID
	if a := t.out.IntakeAnswer; a != nil && a.HandoffID == started.HandoffID {
		t.out.IntakeAnswer = nil // given, then discarded in the same turn
	}
}
