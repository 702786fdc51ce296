package faq

// Entry is one FAQ item as the bot master wrote it.
type Entry struct {
	ID         string
	Category   string
	Question   string
	Alternates []string
	Answer     string
	// Labels are texts that answer this entry when typed exactly (as
	// Decide's exact match compares them) but are not ranked: a menu
	// option's label that opens the entry. A label that is already a text
	// of any entry adds nothing; one that two entries carry answers
	// neither.
	Labels []string
}

// Kind is the matcher's verdict for one utterance.
type Kind int

// The three verdicts.
const (
	NoMatch Kind = iota // nothing fits well enough: offer menus or a human
	Answer              // Decision.ID answers the utterance
	Clarify             // Decision.Candidates (2–3 ids) are too close to call
)

// String returns "no_match", "answer" or "clarify".
func (k Kind) String() string {
	switch k {
	case Answer:
		return "answer"
	case Clarify:
		return "clarify"
	default:
		return "no_match"
	}
}

// Decision is the result of Matcher.Decide.
type Decision struct {
	Kind       Kind
	ID         string   // the answering entry when Kind == Answer
	Candidates []string // 2–3 entry ids, best first, when Kind == Clarify
	Score      float64  // calibrated confidence of the best candidate, 0..1
}

// Matcher decides answer / clarify / no-match for an utterance. Category, when
// not empty, restricts or favours entries of that category (the menu the user
// is in). Implementations are safe for concurrent use and never fail: a query
// they cannot handle yields NoMatch.
type Matcher interface {
	Decide(query, category string) Decision
}
