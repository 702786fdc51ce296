package skill

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/rivo/uniseg"
)

func TestSplitTextExamples(t *testing.T) {
	family := "👩‍👩‍👧‍👦" // 7 runes, one grapheme
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"blank", " \n\t ", 10, nil},
		{"fits", "  안녕하세요  ", 10, []string{"안녕하세요"}},
		{"two words", "배송 조회", 2, []string{"배송", "조회"}},
		{"greedy", "a bb ccc dddd", 6, []string{"a bb", "ccc", "dddd"}},
		{"keeps interior spacing", "가 나\n\n다 라", 8, []string{"가 나\n\n다 라"}},
		{"prefers a paragraph break", "가 나\n\n다 라 마", 6, []string{"가 나", "다 라 마"}},
		{"prefers a sentence end", "네. 배송은 내일 와요", 10, []string{"네. 배송은 내일", "와요"}},
		{"sentence end past half", "배송은 내일 와요. 감사 합니다", 14, []string{"배송은 내일 와요.", "감사 합니다"}},
		{"paragraph break too early is ignored", "a\nbbb ccc ddd", 11, []string{"a\nbbb ccc", "ddd"}},
		{"long word cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"long word then words", "abcdefghij kl m", 4, []string{"abcd", "efgh", "ij", "kl m"}},
		{"zwj family not cut", "ab" + family + family, 9, []string{"ab" + family, family}},
		{"flags not cut", "🇰🇷🇯🇵🇺🇸", 3, []string{"🇰🇷", "🇯🇵", "🇺🇸"}},
		{"skin tone not cut", "👍🏽👍🏽👍🏽", 3, []string{"👍🏽", "👍🏽", "👍🏽"}},
		{"conjoining jamo not cut", "\u1112\u1161\u11ab\u1100\u1173\u11af", 4, []string{"\u1112\u1161\u11ab", "\u1100\u1173\u11af"}},
		{"cluster longer than max", family, 3, []string{"👩\u200d👩", "\u200d👧\u200d", "👦"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, SplitText(tt.in, tt.max)); diff != "" {
				t.Errorf("SplitText(%q, %d) mismatch (-want +got):\n%s", tt.in, tt.max, diff)
			}
		})
	}
}

// graphemeBoundaries returns the byte offsets at which clusters of s start,
// plus len(s).
func graphemeBoundaries(s string) map[int]bool {
	out := map[int]bool{len(s): true}
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		from, _ := g.Positions()
		out[from] = true
	}
	return out
}

func maxClusterRunes(s string) int {
	max := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if n := utf8.RuneCountInString(g.Str()); n > max {
			max = n
		}
	}
	return max
}

// edgeClusters returns the first and last grapheme clusters of s.
func edgeClusters(s string) (first, last string) {
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if first == "" {
			first = g.Str()
		}
		last = g.Str()
	}
	return first, last
}

// checkSplit asserts the SplitText properties for one input.
func checkSplit(t *testing.T, in string, max int, parts []string) {
	t.Helper()
	bounds := graphemeBoundaries(in)
	pos := 0
	for i, p := range parts {
		if p == "" {
			t.Fatalf("part %d is empty", i)
		}
		if n := utf8.RuneCountInString(p); n > max {
			t.Fatalf("part %d has %d runes, want at most %d", i, n, max)
		}
		if first, last := edgeClusters(p); isBlank(first) || isBlank(last) {
			t.Fatalf("part %d %q starts or ends with a whitespace cluster", i, p)
		}
		at := strings.Index(in[pos:], p)
		if at < 0 {
			t.Fatalf("part %d %q is not the next piece of the input", i, p)
		}
		if gap := in[pos : pos+at]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
			t.Fatalf("part %d: skipped non-space %q", i, gap)
		}
		start, end := pos+at, pos+at+len(p)
		if !bounds[start] || !bounds[end] {
			t.Fatalf("part %d %q starts or ends inside a grapheme cluster", i, p)
		}
		pos = end
	}
	if rest := in[pos:]; strings.TrimFunc(rest, unicode.IsSpace) != "" {
		t.Fatalf("input tail %q was dropped", rest)
	}
}

// TestSplitTextProperty: parts reassemble the input modulo the whitespace
// split on, each part ≤ max runes, and no part starts or ends inside a
// grapheme cluster.
func TestSplitTextProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	spaces := []string{" ", "  ", "\n", "\n\n", "\t", " \n ", "\r\n", "\u3000", "\u00a0", " \u0301"}
	// tricky units join across spaces: combining marks, modifiers, ZWJ,
	// a Prepend (U+0600), lone regional indicators.
	tricky := alphabet{"tricky", append([]string{"\u0301", "🏽", "\u200d", "\u0600", "🇰", "ᄒ", "\u11ab", "가", "a"}, emoji.units...)}
	for _, a := range append(alphabets, tricky) {
		t.Run(a.name, func(t *testing.T) {
			for range 300 {
				var b strings.Builder
				for w := rng.IntN(60); w > 0; w-- {
					b.WriteString(genText(rng, a, 1+rng.IntN(25)))
					b.WriteString(spaces[rng.IntN(len(spaces))])
				}
				in := b.String()
				// max at least the longest cluster (7 runes for a ZWJ family):
				// below that SplitText must cut a cluster and says so.
				max := 7 + rng.IntN(40)
				if rng.IntN(4) == 0 {
					max = MaxSimpleText
				}
				if c := maxClusterRunes(in); c > max {
					max = c
				}
				checkSplit(t, in, max, SplitText(in, max))
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	family := "👩‍👩‍👧‍👦"
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"안녕하세요", 10, "안녕하세요"},
		{"안녕하세요", 3, "안녕하"},
		{"ab" + family, 8, "ab"},
		{"ab" + family, 9, "ab" + family},
		{"ab cd", 3, "ab"},
		{family, 3, ""},
		{"  x  ", 1, "x"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.max); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func BenchmarkSplitText(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	text := genText(rng, mixed, 2500)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if len(SplitText(text, MaxSimpleText)) < 3 {
			b.Fatal("want 3 parts")
		}
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("교환이나 반품은 7일 이내에 신청하세요.\n\n감사합니다 👩‍👩‍👧‍👦🇰🇷", 12)
	f.Add("abcdefghij kl m", 4)
	f.Add("ㅋㅋㅋㅋ ㅠㅠ 👍🏽👍🏽", 3)
	f.Add("a \u0600 b\r\n\u3000 \u0301c 🏽", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if !utf8.ValidString(s) || max < 1 || max > 2000 {
			t.Skip()
		}
		if c := maxClusterRunes(s); c > max {
			max = c
		}
		checkSplit(t, s, max, SplitText(s, max))
	})
}
