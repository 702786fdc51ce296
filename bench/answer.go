package bench

import "fmt"

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
}

// DefaultAnswers returns the default fallback and rate-limit texts.
func DefaultAnswers() Answers {
	return Answers{
		FallbackText:    "잠시 문제가 생겼어요. 상담원과 이야기하시겠어요?",
		RateLimitedText: "메시지가 너무 빨리 들어오고 있어요. 잠시 후 다시 말씀해 주세요.",
	}
}

// classify reads a 200 answer body. It returns the outcome and the
// answer's quick replies (nil for the fallback and rate-limit answers).
func (a Answers) classify(body []byte) (Outcome, []QuickReply, error) {
	w, err := scanAnswer(body)
	if err != nil {
		return OutcomeBadBody, nil, fmt.Errorf("bench: decode answer: %w", err)
	}
	if w.version != "2.0" {
		return OutcomeBadBody, nil, fmt.Errorf("bench: answer version %q, want 2.0", w.version)
	}
	if w.useCallback {
		return OutcomeOK, nil, nil
	}
	if !w.hasTemplate || w.outputs == 0 {
		return OutcomeBadBody, nil, fmt.Errorf("bench: answer has no outputs")
	}
	if w.firstCard && w.firstAction == "operator" && w.firstDescription == a.FallbackText {
		return OutcomeFallback, nil, nil
	}
	for _, t := range w.texts {
		if t == a.RateLimitedText {
			return OutcomeRateLimited, nil, nil
		}
	}
	return OutcomeOK, w.replies, nil
}
