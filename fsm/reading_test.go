package fsm

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/baton-chat/baton/configs"
)

// TestReadingAgreesWithFold checks the one pass of reading.read against
// the plain definitions it stands for: norm is configs.Fold of the
// utterance, the tokens are its pieces between spaces, punctuation and
// symbols, folded, and a word starts in norm where a piece between spaces
// and punctuation starts (a symbol may lead it). Random utterances mix
// Hangul, Latin upper case, digits, symbols, emoji, full-width and
// invalid UTF-8; one reading is reused throughout, as a turn's is.
func TestReadingAgreesWithFold(t *testing.T) {
	parts := []string{"사람", "말고", "상담원", "AI", "ＡＩ", "İ", "1:1", "최악", "😡", "^^", "~", "♡", "?", "？",
		",", ".", " ", "  ", "\t", "\xff", "ㅋㅋ", "문자", "메시지도", "ß", "Ω"}
	rng := rand.New(rand.NewPCG(12, 34))
	var r reading
	for i := range 20000 {
		var b strings.Builder
		for n := rng.IntN(8); n >= 0; n-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		u := b.String()
		r = r.emptied()
		r.read(u)
		if want := configs.Fold(u); r.norm != want {
			t.Fatalf("%d %q: got norm %q, want %q", i, u, r.norm, want)
		}
		var toks []string
		for _, p := range strings.FieldsFunc(u, func(c rune) bool {
			return unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsSymbol(c)
		}) {
			toks = append(toks, configs.Fold(p))
		}
		if !slices.Equal(r.toks, toks) {
			t.Fatalf("%d %q: got tokens %q, want %q", i, u, r.toks, toks)
		}
		for j, at := range r.tokAt {
			if !strings.HasPrefix(r.norm[at:], r.toks[j]) {
				t.Fatalf("%d %q: token %d %q is not at %d of %q", i, u, j, r.toks[j], at, r.norm)
			}
		}
		var wordAt []int
		n := 0
		for _, w := range strings.FieldsFunc(u, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsPunct(c) }) {
			wordAt = append(wordAt, n)
			n += len(configs.Fold(w))
		}
		if !slices.Equal(r.wordAt, wordAt) {
			t.Fatalf("%d %q: got word starts %v, want %v", i, u, r.wordAt, wordAt)
		}
		if got := answerTokens(u); !slices.Equal(got, toks) {
			t.Fatalf("%d %q: answerTokens got %q, want %q", i, u, got, toks)
		}
	}
}
