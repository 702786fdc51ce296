package faq

import (
	"errors"
	"fmt"
	"sync"
)

// Options tunes the decision. The zero value means the shipped defaults; any
// field left zero takes its default.
type Options struct {
	// Accept is the minimum calibrated score (0..1) of the best candidate for
	// an Answer or a Clarify.
	Accept float64
	// Margin: when the runner-up's calibrated score is within Margin of the
	// best one, the decision is Clarify instead of Answer.
	Margin float64
	// CategoryBonus is added to the calibrated score of entries whose
	// category equals the requested one.
	CategoryBonus float64
}

// Shipped default thresholds (see eval.go, `baton faq eval --calibrate`).
const (
	DefaultAccept        = 0.05
	DefaultMargin        = 0.02
	DefaultCategoryBonus = 0.03
)

func (o Options) withDefaults() Options {
	if o.Accept == 0 {
		o.Accept = DefaultAccept
	}
	if o.Margin == 0 {
		o.Margin = DefaultMargin
	}
	if o.CategoryBonus == 0 {
		o.CategoryBonus = DefaultCategoryBonus
	}
	return o
}

// ErrDuplicateID is returned by New when two entries share an id.
var ErrDuplicateID = errors.New("faq: duplicate entry id")

// Index is an immutable FAQ index: build one per config version with New and
// share it; Decide is safe for concurrent use.
type Index struct {
	opts    Options
	entries []Entry
	byID    map[string]int
	// docs are the indexed texts (question and alternates); docEntry maps a
	// doc to its entry.
	docEntry []int32
	bigram   *field
	scratch  sync.Pool
}

type scratch struct {
	acc   []float32
	terms []uint32
	runes []rune
}

// New indexes entries (question and alternates). It fails with
// ErrDuplicateID on a repeated id and with an error on an entry without id
// or question.
func New(entries []Entry, opts Options) (*Index, error) {
	ix := &Index{opts: opts.withDefaults(), byID: make(map[string]int, len(entries))}
	var docTerms [][]uint32
	for i, e := range entries {
		if e.ID == "" {
			return nil, fmt.Errorf("faq: entry %d: empty id", i)
		}
		if e.Question == "" {
			return nil, fmt.Errorf("faq: entry %s: empty question", e.ID)
		}
		if _, dup := ix.byID[e.ID]; dup {
			return nil, fmt.Errorf("faq: entry %s: %w", e.ID, ErrDuplicateID)
		}
		ix.byID[e.ID] = i
		texts := append([]string{e.Question}, e.Alternates...)
		for _, t := range texts {
			docTerms = append(docTerms, charBigrams(nil, []rune(Normalize(t))))
			ix.docEntry = append(ix.docEntry, int32(i))
		}
	}
	ix.entries = append([]Entry(nil), entries...)
	ix.bigram = buildField(docTerms)
	n := len(docTerms)
	ix.scratch.New = func() any { return &scratch{acc: make([]float32, n)} }
	return ix, nil
}

// Entry returns the entry with id.
func (ix *Index) Entry(id string) (Entry, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return Entry{}, false
	}
	return ix.entries[i], true
}

// Len returns the number of entries.
func (ix *Index) Len() int { return len(ix.entries) }

// candidate is one scored entry.
type candidate struct {
	entry int32
	score float64
}

// Decide returns Answer, Clarify (2–3 candidates) or NoMatch for query.
// Entries of category, when non-empty, get a small bonus.
func (ix *Index) Decide(query, category string) Decision {
	var top [3]candidate
	n := ix.rank(query, category, top[:])
	return ix.decide(top[:n])
}

func (ix *Index) decide(top []candidate) Decision {
	if len(top) == 0 || top[0].score < ix.opts.Accept {
		d := Decision{Kind: NoMatch}
		if len(top) > 0 {
			d.Score = clamp01(top[0].score)
		}
		return d
	}
	best := top[0]
	var close []string
	for _, c := range top[1:] {
		if best.score-c.score <= ix.opts.Margin && c.score >= ix.opts.Accept {
			close = append(close, ix.entries[c.entry].ID)
		}
	}
	if len(close) > 0 {
		return Decision{Kind: Clarify, Candidates: append([]string{ix.entries[best.entry].ID}, close...), Score: clamp01(best.score)}
	}
	return Decision{Kind: Answer, ID: ix.entries[best.entry].ID, Score: clamp01(best.score)}
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// rank fills top with the best distinct entries, best first, and returns how
// many it filled.
func (ix *Index) rank(query, category string, top []candidate) int {
	s := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(s)
	q := Normalize(query)
	s.runes = s.runes[:0]
	for _, r := range q {
		s.runes = append(s.runes, r)
	}
	s.terms = charBigrams(s.terms[:0], s.runes)
	if len(s.terms) == 0 {
		return 0
	}
	acc := s.acc
	clear(acc)
	self := ix.bigram.score(s.terms, acc)
	if self <= 0 {
		return 0
	}
	n := 0
	for d, v := range acc {
		if v == 0 {
			continue
		}
		e := ix.docEntry[d]
		sc := float64(v / self)
		if category != "" && ix.entries[e].Category == category {
			sc += ix.opts.CategoryBonus
		}
		n = insertTop(top, n, candidate{e, sc})
	}
	return n
}

// insertTop inserts c into the sorted top list of length n (capacity
// len(top)), keeping one candidate per entry, and returns the new length.
func insertTop(top []candidate, n int, c candidate) int {
	for i := 0; i < n; i++ {
		if top[i].entry == c.entry {
			if c.score <= top[i].score {
				return n
			}
			copy(top[i:n-1], top[i+1:n])
			n--
			break
		}
	}
	if n == len(top) && c.score <= top[n-1].score {
		return n
	}
	i := n
	if n < len(top) {
		n++
	} else {
		i = n - 1
	}
	for i > 0 && top[i-1].score < c.score {
		top[i] = top[i-1]
		i--
	}
	top[i] = c
	return n
}

// Rank returns up to k entries, best first, with their calibrated scores.
func (ix *Index) Rank(query, category string, k int) []Scored {
	top := make([]candidate, k)
	n := ix.rank(query, category, top)
	out := make([]Scored, n)
	for i := range out {
		out[i] = Scored{ix.entries[top[i].entry].ID, top[i].score}
	}
	return out
}
