package faq

// FNV-1a style mixing for n-gram hashes; the kind tag keeps hashes of
// different n-gram families apart.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashRunes(kind uint32, rs []rune) uint32 {
	h := uint32(fnvOffset) ^ kind
	h *= fnvPrime
	for _, r := range rs {
		h ^= uint32(r)
		h *= fnvPrime
		h ^= uint32(r) >> 16
		h *= fnvPrime
	}
	return h
}

// Term kinds.
const (
	kindBigram uint32 = iota + 1
	kindUnigram
	kindJamo3
	kindWord
)

// charBigrams appends the character bigrams of the space-stripped runes of s
// (a single-character string yields its unigram).
func charBigrams(dst []uint32, rs []rune) []uint32 {
	n := 0
	var prev rune
	for _, r := range rs {
		if r == ' ' {
			continue
		}
		if n > 0 {
			dst = append(dst, hashRunes(kindBigram, []rune{prev, r}))
		}
		prev = r
		n++
	}
	if n == 1 {
		dst = append(dst, hashRunes(kindUnigram, []rune{prev}))
	}
	return dst
}
