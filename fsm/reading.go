package fsm

import (
	"slices"
	"strings"
	"sync"
	"unicode"
)

// reading is a typed utterance read once: folded whole as configs.Fold folds
// it, and split, in the same pass, into words (at spaces and punctuation)
// and tokens (at symbols too: "~", "♡"). A turn reads its utterance once
// (turn.reading); the keyword rules, complaints and the contact prompt's
// answers work on that reading and none folds the utterance again.
type reading struct {
	// raw is the utterance as typed, without surrounding spaces.
	raw string
	// norm is raw folded: spaces and punctuation dropped, lower case.
	norm string
	// toks are raw's tokens folded, each a substring of norm; tokAt[i] is
	// where toks[i] starts in norm.
	toks  []string
	tokAt []int
	// wordAt are where raw's words start in norm. A word may start with a
	// symbol ("😡"), so it need not start a token.
	wordAt []int
}

// read reads u into r, reusing r's slices.
func (r *reading) read(u string) {
	u = strings.TrimSpace(u)
	var b strings.Builder
	b.Grow(len(u))
	r.tokAt, r.wordAt = r.tokAt[:0], r.wordAt[:0]
	var ends [16]int
	tokEnd := ends[:0] // where each token ends in the fold
	inWord, inTok := false, false
	for _, c := range u {
		sep := unicode.IsSpace(c) || unicode.IsPunct(c)
		sym := !sep && unicode.IsSymbol(c)
		if inTok && (sep || sym) {
			tokEnd, inTok = append(tokEnd, b.Len()), false
		}
		if sep {
			inWord = false
			continue
		}
		if !inWord {
			r.wordAt, inWord = append(r.wordAt, b.Len()), true
		}
		if !sym && !inTok {
			r.tokAt, inTok = append(r.tokAt, b.Len()), true
		}
		b.WriteRune(unicode.ToLower(c))
	}
	if inTok {
		tokEnd = append(tokEnd, b.Len())
	}
	r.raw, r.norm = u, b.String()
	if cap(r.toks) < len(r.tokAt) {
		r.toks = make([]string, 0, len(r.tokAt))
	}
	r.toks = r.toks[:0]
	for i, at := range r.tokAt {
		r.toks = append(r.toks, r.norm[at:tokEnd[i]])
	}
}

// answerTokens splits u on spaces, punctuation and symbols ("~", "♡") into
// tokens folded as the tables are (configs.Fold: lower case), as a reading
// does. The tokens are the caller's to change.
func answerTokens(u string) []string {
	r := readings.Get().(*reading)
	r.read(u)
	toks := slices.Clone(r.toks)
	*r = r.emptied()
	readings.Put(r)
	return toks
}

// readings recycle the slices of the readings answerTokens makes.
var readings = sync.Pool{New: func() any { return new(reading) }}

// emptied returns r without its text, keeping its slices' arrays for the
// next read (the turns' pool).
func (r *reading) emptied() reading {
	clear(r.toks) // they hold the old fold
	return reading{toks: r.toks[:0], tokAt: r.tokAt[:0], wordAt: r.wordAt[:0]}
}

// reading returns the turn's utterance read (reading.read), reading it on
// the first call.
func (t *turn) reading() *reading {
	if !t.readDone {
		t.rd.read(t.in.Utterance)
		t.readDone = true
	}
	return &t.rd
}
