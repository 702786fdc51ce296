package faq

// FNV-1a style mixing for n-gram hashes; the kind tag keeps hashes of
// different n-gram families apart.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func mix(h, v uint32) uint32 {
	h ^= v & 0xffff
	h *= fnvPrime
	h ^= v >> 16
	h *= fnvPrime
	return h
}

func hash2(kind uint32, a, b rune) uint32 {
	return mix(mix(mix(fnvOffset, kind), uint32(a)), uint32(b))
}

func hash3(kind uint32, a, b, c rune) uint32 {
	return mix(mix(mix(mix(fnvOffset, kind), uint32(a)), uint32(b)), uint32(c))
}

// Term kinds.
const (
	kindBigram uint32 = iota + 1
	kindUnigram
	kindJamo3
	kindStem
)

// stems appends one term per word of the spaced runes: the word's first two
// characters (its whole self when shorter) — truncation stemming, which
// keeps most Korean nouns and verb stems and drops particles and endings.
func stems(dst []uint32, spaced []rune) []uint32 {
	i := 0
	for i < len(spaced) {
		j := i
		for j < len(spaced) && spaced[j] != ' ' {
			j++
		}
		switch n := j - i; {
		case n == 1:
			dst = append(dst, hash2(kindStem, spaced[i], 0))
		case n >= 2:
			dst = append(dst, hash2(kindStem, spaced[i], spaced[i+1]))
		}
		i = j + 1
	}
	return dst
}

// compact appends the runes of s without spaces to dst.
func compact(dst []rune, s string) []rune {
	for _, r := range s {
		if r != ' ' {
			dst = append(dst, r)
		}
	}
	return dst
}

// charBigrams appends the character bigrams of rs (already space-stripped);
// a single character yields its unigram.
func charBigrams(dst []uint32, rs []rune) []uint32 {
	if len(rs) == 1 {
		return append(dst, hash2(kindUnigram, rs[0], 0))
	}
	for i := 1; i < len(rs); i++ {
		dst = append(dst, hash2(kindBigram, rs[i-1], rs[i]))
	}
	return dst
}

// Hangul syllable decomposition constants (Unicode §3.12).
const (
	hangulBase  = 0xAC00
	hangulLast  = 0xD7A3
	jamoPerLead = 588 // 21 vowels × 28 tails
	jamoTails   = 28
)

// jamo appends the jamo sequence of rs: a Hangul syllable becomes lead,
// vowel and (when present) tail, each as a small code tagged by position;
// other runes pass through unchanged.
func jamo(dst []rune, rs []rune) []rune {
	for _, r := range rs {
		if r >= hangulBase && r <= hangulLast {
			i := r - hangulBase
			lead := i / jamoPerLead
			vowel := (i % jamoPerLead) / jamoTails
			tail := i % jamoTails
			dst = append(dst, 0x1100+lead, 0x1161+vowel)
			if tail != 0 {
				dst = append(dst, 0x11A7+tail)
			}
			continue
		}
		dst = append(dst, r)
	}
	return dst
}

// jamoTrigrams appends the trigrams of the jamo sequence js; shorter
// sequences yield one term for the whole sequence.
func jamoTrigrams(dst []uint32, js []rune) []uint32 {
	switch len(js) {
	case 0:
		return dst
	case 1:
		return append(dst, hash3(kindJamo3, js[0], 0, 0))
	case 2:
		return append(dst, hash3(kindJamo3, js[0], js[1], 0))
	}
	for i := 2; i < len(js); i++ {
		dst = append(dst, hash3(kindJamo3, js[i-2], js[i-1], js[i]))
	}
	return dst
}
