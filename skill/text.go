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

// trimSpace trims leading and trailing whitespace without splitting a
// grapheme cluster: a space followed by a combining mark or modifier (one
// cluster) is kept.
func trimSpace(s string) string {
	t := trimRightSpace(s)
	rest := strings.TrimLeftFunc(t, unicode.IsSpace)
	if cut := len(t) - len(rest); cut > 0 && rest != "" {
		_, size := utf8.DecodeLastRuneInString(t[:cut])
		c, _, _, _ := uniseg.FirstGraphemeClusterInString(t[cut-size:], -1)
		if len(c) > size {
			return t[cut-size:]
		}
	}
	return rest
}

// trimRightSpace trims trailing whitespace, keeping a space that belongs to
// the cluster before it (after a Prepend rune such as U+0600).
func trimRightSpace(s string) string {
	t := strings.TrimRightFunc(s, unicode.IsSpace)
	if len(t) == len(s) || t == "" {
		return t
	}
	p, psize := utf8.DecodeLastRuneInString(t)
	if plainRune(p) {
		return t
	}
	c, _, _, _ := uniseg.FirstGraphemeClusterInString(s[len(t)-psize:], -1)
	return s[:len(t)-psize+len(c)]
}

// SplitText splits s into parts of at most max runes each, for spreading a
// long answer over several simpleText bubbles. It breaks at whitespace
// (dropping the whitespace it breaks at, and trimming s) and never inside a
// grapheme cluster (emoji ZWJ sequences, flags, skin tones, Hangul jamo
// sequences stay whole). Each part takes as many words as fit, but when the
// fullest part would end mid-paragraph or mid-sentence it ends instead at
// the last line break, else the last sentence end (. ? ! …), provided the
// part stays at least half full. A single word longer than max is cut at
// grapheme boundaries; only a single grapheme cluster longer than max runes
// (which needs max below ~10) is cut between runes. It returns nil for blank
// s; max < 1 is treated as 1.
func SplitText(s string, max int) []string {
	if max < 1 {
		max = 1
	}
	s = trimSpace(s)
	if s == "" {
		return nil
	}
	if utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	words := splitWords(s, max)
	var parts []string
	acc := make([]int, 0, 64) // acc[j-i] = runes of words[i:j]
	for i := 0; i < len(words); {
		acc = append(acc[:0], 0, words[i].runes)
		k := i + 1
		for k < len(words) {
			n := acc[k-i] + words[k].gap + words[k].runes
			if n > max {
				break
			}
			acc = append(acc, n)
			k++
		}
		end := k
		if k < len(words) {
			end = niceBreak(s, words, acc, i, k, max)
		}
		parts = append(parts, s[words[i].start:words[end-1].end])
		i = end
	}
	return parts
}

// word is a run of non-space grapheme clusters (or a piece of one too long
// to fit), with the whitespace before it.
type word struct {
	start, end int // byte offsets
	runes      int
	gap        int  // runes of whitespace before the word (0: cut inside a word)
	newline    bool // the gap contains a line break
}

// splitWords tokenises s into words separated by whitespace clusters,
// cutting words longer than max at grapheme boundaries (and clusters
// longer than max between runes). Grapheme segmentation runs only around
// whitespace and inside over-long words, which keeps long answers cheap.
func splitWords(s string, max int) []word {
	words := make([]word, 0, len(s)/8+1)
	gap, newline := 0, false
	for i := 0; i < len(s); {
		if n := blankClusterAt(s, i); n > 0 {
			gap += utf8.RuneCountInString(s[i : i+n])
			newline = newline || strings.ContainsAny(s[i:i+n], "\n\r\u2028\u2029")
			i += n
			continue
		}
		j, runes := i, 0
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) && j > i && blankClusterAt(s, j) > 0 {
				break
			}
			runes++
			j += size
		}
		w := word{start: i, end: j, runes: runes, gap: gap, newline: newline}
		gap, newline = 0, false
		if runes <= max {
			words = append(words, w)
		} else {
			words = cutWord(words, s, w, max)
		}
		i = j
	}
	return words
}

// blankClusterAt returns the byte length of the whitespace-only grapheme
// cluster starting at byte i of s, or 0 when s[i:] does not start with one
// (no whitespace, or a space that a combining mark or modifier joins, or a
// position inside a cluster).
func blankClusterAt(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsSpace(r) {
		return 0
	}
	if i > 0 {
		// A break before a space depends only on the previous rune
		// (no break after CR before LF, or after a Prepend), so segmenting
		// from it is exact.
		p, psize := utf8.DecodeLastRuneInString(s[:i])
		if !plainRune(p) && !(unicode.IsSpace(p) && p != '\r') {
			if c, _, _, _ := uniseg.FirstGraphemeClusterInString(s[i-psize:], -1); len(c) != psize {
				return 0
			}
		}
	}
	// A space cluster continues only into CR LF or an Extend, ZWJ or
	// SpacingMark rune; plain runes and other spaces start a new cluster.
	if r != '\r' {
		next, _ := utf8.DecodeRuneInString(s[i+size:])
		if i+size == len(s) || plainRune(next) || unicode.IsSpace(next) {
			return size
		}
	}
	c, _, _, _ := uniseg.FirstGraphemeClusterInString(s[i:], -1)
	if !isBlank(c) {
		return 0
	}
	return len(c)
}

// plainRune reports runes that never join a neighbouring grapheme cluster
// across a space: printable ASCII and precomposed Hangul syllables.
func plainRune(r rune) bool {
	return (r >= 0x20 && r < 0x7f) || (r >= 0xAC00 && r <= 0xD7A3)
}

// cutWord appends the over-long word w to words in pieces of at most max
// runes that end on grapheme boundaries.
func cutWord(words []word, s string, w word, max int) []word {
	cur := word{start: w.start, gap: w.gap, newline: w.newline}
	for _, c := range clusters(s[w.start:w.end]) {
		c.start += w.start
		c.end += w.start
		switch {
		case c.runes > max:
			// Last resort: a single cluster longer than max.
			if cur.runes > 0 {
				words = append(words, cur)
				cur = word{}
			}
			off := c.start
			for _, piece := range cutRunes(s[c.start:c.end], max) {
				words = append(words, word{start: off, end: off + len(piece), runes: utf8.RuneCountInString(piece), gap: cur.gap, newline: cur.newline})
				cur.gap, cur.newline = 0, false
				off += len(piece)
			}
			cur = word{start: c.end}
			continue
		case cur.runes+c.runes > max:
			words = append(words, cur)
			cur = word{start: c.start}
		}
		cur.end = c.end
		cur.runes += c.runes
	}
	if cur.runes > 0 {
		words = append(words, cur)
	}
	return words
}

// niceBreak picks where the part words[i:k] (the fullest that fits) should
// end: before the last word that follows a line break, else after the last
// sentence end, as long as the part keeps at least max/2 runes; else k.
func niceBreak(s string, words []word, acc []int, i, k, max int) int {
	for j := k; j > i+1 && acc[j-i] >= max/2; j-- {
		if words[j].newline {
			return j
		}
	}
	for j := k; j > i+1 && acc[j-i] >= max/2; j-- {
		if words[j].gap > 0 && endsSentence(s[words[j-1].start:words[j-1].end]) {
			return j
		}
	}
	return k
}

// sentenceEnds are runes that end a sentence.
const sentenceEnds = ".?!…。！？"

func endsSentence(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return strings.ContainsRune(sentenceEnds, r)
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
	s = trimSpace(s)
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
	return trimRightSpace(s[:end])
}
