package faq

import (
	"slices"
	"sync"
)

// functionWords are general Korean spellings (normalised, without spaces)
// that carry no topic: polite and request endings, auxiliary verbs,
// question words and fillers. Written by hand, not mined from any data.
// They still count in every score; they only never count as topic
// evidence (see topicEvidence), so an utterance that shares nothing but
// "…해 주세요" or a lone "아직" with an entry is not answered from it.
var functionWords = []string{
	// request and polite endings
	"주세요", "해주", "해줘", "주실", "주시", "줄래", "드려요", "드립니다", "부탁", "바랍니다",
	"세요", "해요", "에요", "예요", "이에요", "어요", "아요", "여요", "이요", "나요", "가요", "까요",
	"래요", "대요", "네요", "데요", "죠", "거든", "는데", "은데", "습니다", "니다", "입니다", "합니다",
	"돼요", "되요", "되나", "될까", "있어", "있나", "있는", "없어", "없나", "싶어", "싶은", "싶다",
	"하고", "하는", "할래", "할까", "했어", "했는", "해야", "인가", "건가",
	// asking for information or whether something is possible
	"알려", "가르쳐", "말해", "궁금", "가능",
	// generic predicates and request templates that take any object:
	// "X 변경하고 싶어요", "X 바꿔 주세요", "X 언제 들어와요", "X 어디에
	// 입력해요", "X 추천해 줘", "X 방법 알려 주세요", "X 하는 법"
	"변경", "바꾸", "바꿔", "바꿀", "들어와", "들어오", "입력", "추천", "방법", "는법",
	// question words
	"언제", "어떻게", "어디", "어떤", "얼마", "무엇", "무슨", "뭐예", "뭐에", "뭔가", "뭐",
	// fillers and discourse adverbs
	"좀", "혹시", "그냥", "제발", "아직", "진짜", "정말", "그럼", "근데", "그런데", "그리고",
	"저기", "이거", "그거", "여기", "거기",
}

// functionIndex maps a first rune to the function words starting with it.
var functionIndex = sync.OnceValue(func() map[rune][][]rune {
	m := make(map[rune][][]rune)
	for _, w := range functionWords {
		rs := []rune(w)
		m[rs[0]] = append(m[rs[0]], rs)
	}
	return m
})

// markFunction sets mask[i] for every rune of rs inside a function word.
// mask has len(rs).
func markFunction(mask []bool, rs []rune) {
	clear(mask)
	idx := functionIndex()
	for i, r := range rs {
		for _, w := range idx[r] {
			if i+len(w) <= len(rs) && slices.Equal(rs[i:i+len(w)], w) {
				for k := i; k < i+len(w); k++ {
					mask[k] = true
				}
			}
		}
	}
}

// markTopic fills the query's function-word masks in s: fmask over its
// runes, jmask over its jamo. topicEvidence reads them.
func markTopic(s *scratch) {
	s.fmask = slices.Grow(s.fmask[:0], len(s.runes))[:len(s.runes)]
	markFunction(s.fmask, s.runes)
	// jamo index -> rune index: a Hangul syllable has 2 or 3 jamo.
	j := 0
	s.jmask = slices.Grow(s.jmask[:0], len(s.jamos))[:len(s.jamos)]
	for i, r := range s.runes {
		n := 1
		if r >= hangulBase && r <= hangulLast {
			n = 2
			if (r-hangulBase)%jamoTails != 0 {
				n = 3
			}
		}
		for k := 0; k < n && j < len(s.jmask); k++ {
			s.jmask[j] = s.fmask[i]
			j++
		}
	}
}

// entryTopicEvidence reports whether any indexed text of entry e shares a
// topic n-gram with the analysed query in s (topicEvidence), trying
// document first (one of e's, or -1). markTopic must have run.
func (ix *Index) entryTopicEvidence(s *scratch, e, first int32) bool {
	if first >= 0 && ix.topicEvidence(s, first) {
		return true
	}
	d, _ := slices.BinarySearch(ix.docEntry, e)
	for ; d < len(ix.docEntry) && ix.docEntry[d] == e; d++ {
		if int32(d) != first && ix.topicEvidence(s, int32(d)) {
			return true
		}
	}
	return false
}

// topicEvidence reports whether document d shares a topic n-gram with the
// analysed query in s: a character bigram with at least one rune outside
// the function words, or two jamo trigrams made entirely of such runes
// (two, so that a typo still counts but a chance jamo overlap does not).
// markTopic must have filled the query's masks.
func (ix *Index) topicEvidence(s *scratch, d int32) bool {
	if len(s.runes) == 1 {
		return !s.fmask[0] && len(s.idB) == 1 && ix.bigram.has(d, s.idB[0])
	}
	for i, t := range s.idB {
		if t >= 0 && !(s.fmask[i] && s.fmask[i+1]) && ix.bigram.has(d, t) {
			return true
		}
	}
	shared := 0
	for i, t := range s.idJ {
		// trigram i covers jamo i..i+2 (the whole sequence when shorter)
		end := min(i+3, len(s.jmask))
		if t < 0 || slices.Contains(s.jmask[i:end], true) || !ix.jamo.has(d, t) {
			continue
		}
		if shared++; shared == 2 {
			return true
		}
	}
	return false
}

// has reports whether document d contains term t.
func (f *field) has(d, t int32) bool {
	_, ok := slices.BinarySearch(f.docTerms[f.docOff[d]:f.docOff[d+1]], t)
	return ok
}
