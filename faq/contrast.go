package faq

import "slices"

// Contrast ("X 말고 Y", "X 대신 Y", "X 안 하고 Y"): the speaker turns X
// down and asks for Y, so an entry about X is no answer though it shares
// X's words — "배송 조회 말고 배송비요" is not ship tracking, "취소 말고
// 교환할래요" not a cancellation. The rule is a gate, not a cut: every word
// still counts in every score; an entry that has a topic bigram (topic.go)
// found only in the turned-down part of the query simply has no topic
// evidence (rankWith), unless its own text turns something down too
// (turnsDown: "건조기 말고 세탁기로" answers "건조기 말고 세탁기로 빨래해"). Only a noun
// is turned down this way: a prohibition "…하지 말고" is the negation
// feature's business (features.go), and "X 안 하고 있어요" (not doing X) is
// a complaint about X.

// maxTurnedDown is the most runes before a contrast mark that it turns
// down.
const maxTurnedDown = 4

// contrastMarks are the contrast markers in space-stripped normalised text.
// General Korean, not mined from any data.
var contrastMarks = [][]rune{[]rune("말고"), []rune("대신"), []rune("안하고")}

// contrastSplit finds the first contrast mark in rs (compact runes; sp
// the same text with its spaces) and returns the turned-down part
// rs[negStart:negEnd] — the word before the mark, and the word before
// that too when the first is all function words ("배송지 변경 말고"), at
// most maxTurnedDown runes — and
// where the wished-for part starts; ok is false when there is none, or
// nothing on either side of it. "X 말고" turns down X, not the whole
// sentence before it: in "난방을 회사 말고 가정집에서" 난방 is still asked
// about.
func contrastSplit(rs, sp []rune, fmask []bool) (negStart, negEnd, posStart int, ok bool) {
	for i := 1; i < len(rs); i++ {
		for _, m := range contrastMarks {
			end := i + len(m)
			if end > len(rs) || !slices.Equal(rs[i:end], m) {
				continue
			}
			if m[0] == '말' && (rs[i-1] == '지' || i > 1 && rs[i-2] == '지' && (rs[i-1] == '는' || rs[i-1] == '도')) {
				continue // "…하지 말고", "…하지는 말고": a prohibition
			}
			if m[0] == '안' && end < len(rs) && (rs[end] == '있' || rs[end] == '계') { // "안 하고 있어요"
				continue
			}
			if len(rs)-end < 2 {
				return 0, 0, 0, false
			}
			start := wordStart(sp, i-1)
			if allMarked(fmask[start:i]) && start > 0 {
				start = wordStart(sp, start-1)
			}
			// a noun is a few syllables; text typed without spaces
			// ("난방을회사말고") must not turn the whole sentence down
			start = max(start, i-maxTurnedDown)
			return start, i, end, true
		}
	}
	return 0, 0, 0, false
}

// wordStart returns the compact index of the first rune of the word of sp
// (spaced text) that holds the compact rune at index c.
func wordStart(sp []rune, c int) int {
	k, start := -1, 0
	prevSpace := true
	for _, r := range sp {
		if r == ' ' {
			prevSpace = true
			continue
		}
		k++
		if prevSpace {
			start = k
		}
		prevSpace = false
		if k == c {
			return start
		}
	}
	return start
}

func allMarked(m []bool) bool {
	for _, b := range m {
		if !b {
			return false
		}
	}
	return true
}

// contrastTerms sets dst and dstH to the known bigram ids of ids (the
// bigrams of rs, hs their hashes, fmask rs's function-word mask, sp rs
// with spaces), and their hashes, that lie wholly in the turned-down part
// of rs, are not function words, and occur nowhere else in rs; empty when
// rs has no contrast.
func contrastTerms(dst []int32, dstH []uint32, rs, sp []rune, fmask []bool, ids []int32, hs []uint32) ([]int32, []uint32) {
	dst, dstH = dst[:0], dstH[:0]
	negStart, negEnd, _, ok := contrastSplit(rs, sp, fmask)
	if !ok {
		return dst, dstH
	}
	for j := negStart; j+1 < negEnd && j < len(ids); j++ {
		t := ids[j]
		if t < 0 || fmask[j] && fmask[j+1] || slices.Contains(dst, t) ||
			slices.Contains(ids[:negStart], t) || slices.Contains(ids[min(negEnd, len(ids)):], t) {
			continue
		}
		dst, dstH = append(dst, t), append(dstH, hs[j])
	}
	return dst, dstH
}

// turnMarks are further spellings by which a text turns something down
// ("비옷은 안돼", "미국이 아니라", "노트북보다는"). General Korean.
var turnMarks = [][]rune{[]rune("아니라"), []rune("아니고"), []rune("보다는"), []rune("보단"), []rune("안돼"), []rune("안되")}

// turnsDown reports whether a text (compact runes rs, sp with spaces)
// turns something down itself: a contrast, a prohibition or a turnMark.
// Such a text is never barred by a query's contrast (turnedDown): what it
// names it may be turning down too ("우산 챙겨. 비옷은 안돼" answers "비옷
// 말고 우산 가져가렴").
func turnsDown(rs, sp []rune) bool {
	if hasNegation(rs) {
		return true
	}
	for _, m := range turnMarks {
		for i := 0; i+len(m) <= len(rs); i++ {
			if slices.Equal(rs[i:i+len(m)], m) {
				return true
			}
		}
	}
	mask := make([]bool, len(rs))
	markFunction(mask, rs)
	_, _, _, ok := contrastSplit(rs, sp, mask)
	return ok
}

// turnedDown reports whether entry e has a text that names, other than to
// turn it down too, one of the query's turned-down topic bigrams (s.negT).
func (ix *Index) turnedDown(s *scratch, e int32) bool {
	d, _ := slices.BinarySearch(ix.docEntry, e)
	for ; d < len(ix.docEntry) && ix.docEntry[d] == e; d++ {
		if ix.docTurns[d] {
			continue
		}
		for _, t := range s.negT {
			if ix.bigram.has(int32(d), t) {
				return true
			}
		}
	}
	return false
}
