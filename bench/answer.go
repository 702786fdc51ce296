package bench

import (
	"fmt"
	"strings"
)

// Outcome classifies one request.
type Outcome int

// The outcomes a request can have. Only OutcomeOK is a served turn; every
// other outcome makes a run invalid.
const (
	// OutcomeOK is a 200 with a valid answer that is neither the fallback
	// nor the rate-limit answer.
	OutcomeOK Outcome = iota
	// OutcomeFallback is the fallback textCard (operator button, fallback text).
	OutcomeFallback
	// OutcomeRateLimited is the simpleText answer to a turn over the rate limit.
	OutcomeRateLimited
	// OutcomeNon200 is any HTTP status other than 200.
	OutcomeNon200
	// OutcomeBadBody is a 200 whose body is not a SkillResponse with outputs.
	OutcomeBadBody
	// OutcomeError is a transport error (connect, reset, timeout).
	OutcomeError
	numOutcomes
)

// String names the outcome in reports.
func (o Outcome) String() string {
	switch o {
	case OutcomeOK:
		return "ok"
	case OutcomeFallback:
		return "fallback"
	case OutcomeRateLimited:
		return "rate-limited"
	case OutcomeNon200:
		return "non-200"
	case OutcomeBadBody:
		return "bad-body"
	case OutcomeError:
		return "error"
	}
	return "unknown"
}

// Answers says how the client recognises Baton's special answers. The
// defaults are the Korean texts of configs.DefaultTexts.
type Answers struct {
	// FallbackText is the description of the fallback textCard.
	FallbackText string
	// RateLimitedText is the simpleText of the rate-limit answer.
	RateLimitedText string
	// HandoffCard is the text of the card that opens a handoff (the
	// config's texts.handoff_card), {code} standing for the handoff code:
	// the client reads each acknowledged escalation's code from it, so that
	// `baton bench` can tell which handoffs the notify sink must receive.
	HandoffCard string
}

// DefaultAnswers returns the default fallback and rate-limit texts.
func DefaultAnswers() Answers {
	return Answers{
		FallbackText:    "잠시 문제가 생겼어요. 상담원과 이야기하시겠어요?",
		RateLimitedText: "메시지가 너무 빨리 들어오고 있어요. 잠시 후 다시 말씀해 주세요.",
		HandoffCard:     "상담원을 연결해 드릴게요. 아래 버튼을 눌러 주세요. (상담번호 {code})",
	}
}

// classify reads a 200 answer body. It returns the outcome and the
// answer's quick replies (nil for the fallback and rate-limit answers).
func (a Answers) classify(body []byte) (Outcome, []QuickReply, error) {
	o, w, err := a.classifyScanned(body)
	if o != OutcomeOK {
		return o, nil, err
	}
	return o, w.replies, err
}

// classifyScanned is classify returning what the client read of the
// answer as well.
func (a Answers) classifyScanned(body []byte) (Outcome, scannedAnswer, error) {
	w, err := scanAnswer(body)
	if err != nil {
		return OutcomeBadBody, w, fmt.Errorf("bench: decode answer: %w", err)
	}
	if w.version != "2.0" {
		return OutcomeBadBody, w, fmt.Errorf("bench: answer version %q, want 2.0", w.version)
	}
	if w.useCallback {
		return OutcomeOK, scannedAnswer{}, nil
	}
	if !w.hasTemplate || w.outputs == 0 {
		return OutcomeBadBody, w, fmt.Errorf("bench: answer has no outputs")
	}
	if w.firstCard && w.firstAction == "operator" && w.firstDescription == a.FallbackText {
		return OutcomeFallback, w, nil
	}
	for _, t := range w.texts {
		if t == a.RateLimitedText {
			return OutcomeRateLimited, w, nil
		}
	}
	return OutcomeOK, w, nil
}

// handoffCode returns the handoff code an answer shows in the text of
// Answers.HandoffCard (its first card's description or a simpleText), or ""
// when it shows none.
func (a Answers) handoffCode(w scannedAnswer) string {
	if a.HandoffCard == "" {
		return ""
	}
	if w.firstCard {
		if c, ok := codeIn(a.HandoffCard, w.firstDescription); ok {
			return c
		}
	}
	for _, t := range w.texts {
		if c, ok := codeIn(a.HandoffCard, t); ok {
			return c
		}
	}
	return ""
}

// codeIn returns what text holds where template holds {code}: the text
// between the template's literal parts around {code}. ok is false when
// template has no {code} or text does not match it there.
func codeIn(template, text string) (code string, ok bool) {
	const placeholder = "{code}"
	i := strings.Index(template, placeholder)
	if i < 0 {
		return "", false
	}
	before, after := template[:i], template[i+len(placeholder):]
	// Other placeholders ({position}, {eta}) vary: only the literal text
	// next to {code} is looked for.
	if j := strings.LastIndexByte(before, '}'); j >= 0 {
		before = before[j+1:]
	}
	if j := strings.IndexByte(after, '{'); j >= 0 {
		after = after[:j]
	}
	k := strings.Index(text, before)
	if k < 0 {
		return "", false
	}
	rest := text[k+len(before):]
	if after != "" {
		e := strings.Index(rest, after)
		if e < 0 {
			return "", false
		}
		rest = rest[:e]
	}
	return rest, rest != ""
}
