package skill

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// cluster is one grapheme cluster of a string.
type cluster struct {
	start, end int // byte offsets
	runes      int
	space      bool
}

// clusters splits s into grapheme clusters (uniseg).
func clusters(s string) []cluster {
	out := make([]cluster, 0, len(s)/2)
	state := -1
	off := 0
	rest := s
	for len(rest) > 0 {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		out = append(out, cluster{start: off, end: off + len(c), runes: utf8.RuneCountInString(c), space: isBlank(c)})
		off += len(c)
	}
	return out
}

func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// SplitText splits s into parts of at most max runes each, for spreading a
// long answer over several simpleText bubbles. It breaks at whitespace
// (dropping the whitespace it breaks at, and trimming s), packing as many
// words into each part as fit, and never inside a grapheme cluster (emoji
// ZWJ sequences, flags, skin tones, Hangul jamo sequences stay whole). A
// single word longer than max is cut at grapheme boundaries. Only a single
// grapheme cluster longer than max runes (which needs max below ~10) is
// cut between runes. It returns nil for blank s; max < 1 is treated as 1.
func SplitText(s string, max int) []string {
	if max < 1 {
		max = 1
	}
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return nil
	}
	if utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	cs := clusters(s)
	var parts []string
	partStart, partEnd, partRunes := -1, 0, 0 // current part, byte offsets
	gapRunes := 0                             // whitespace since partEnd
	flush := func() {
		if partStart >= 0 {
			parts = append(parts, s[partStart:partEnd])
		}
		partStart, partRunes, gapRunes = -1, 0, 0
	}
	for i := 0; i < len(cs); {
		if cs[i].space {
			if partStart >= 0 {
				gapRunes += cs[i].runes
			}
			i++
			continue
		}
		// A word: clusters i..j-1.
		j, wordRunes := i, 0
		for j < len(cs) && !cs[j].space {
			wordRunes += cs[j].runes
			j++
		}
		if partStart >= 0 && partRunes+gapRunes+wordRunes <= max {
			partEnd = cs[j-1].end
			partRunes += gapRunes + wordRunes
			gapRunes = 0
			i = j
			continue
		}
		flush()
		if wordRunes <= max {
			partStart, partEnd, partRunes = cs[i].start, cs[j-1].end, wordRunes
			i = j
			continue
		}
		// Cut the long word at grapheme boundaries; its tail stays open.
		for k := i; k < j; k++ {
			c := cs[k]
			if c.runes > max {
				flush()
				parts = append(parts, cutRunes(s[c.start:c.end], max)...)
				continue
			}
			if partStart >= 0 && partRunes+c.runes > max {
				flush()
			}
			if partStart < 0 {
				partStart = c.start
			}
			partEnd = c.end
			partRunes += c.runes
		}
		i = j
	}
	flush()
	return parts
}

// cutRunes cuts s into pieces of at most max runes (last resort for a single
// grapheme cluster longer than max).
func cutRunes(s string, max int) []string {
	var out []string
	for s != "" {
		n, i := 0, 0
		for i < len(s) && n < max {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			n++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// Truncate returns the longest prefix of s (whitespace-trimmed) that has at
// most max runes and ends on a grapheme cluster boundary. It returns "" when
// even the first cluster is longer than max.
func Truncate(s string, max int) string {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	state, rest, n, end := -1, s, 0, 0
	for len(rest) > 0 {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		r := utf8.RuneCountInString(c)
		if n+r > max {
			break
		}
		n += r
		end += len(c)
	}
	return strings.TrimRightFunc(s[:end], unicode.IsSpace)
}
