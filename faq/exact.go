package faq

import (
	"slices"
	"unicode/utf8"
)

// An utterance that is exactly one of an entry's texts — its question or an
// alternate, normalised and without spaces, a trailing polite 요 ignored
// ("전화번호요" is "전화번호") — is answered from that entry, whatever the
// ranking says: a bot master who lists "전화번호" as an alternate of the
// customer-service entry has said what a lone "전화번호" means, though
// another entry's text ("전화번호 바꾸기") may share more n-grams with it. A
// text that two entries list is left to the ranking.

// politeTail is the particle a noun takes as a polite fragment answer.
const politeTail = '요'

// intentTails are the endings that turn a verbal noun into a wish or a
// request without adding to what it names: "반품할래요", "반품할게요",
// "반품하고 싶어요", "반품 문의", "반품 접수", "반품 신청할래요" and "반품요"
// all ask about 반품, and an entry that lists "탈퇴하고 싶어요" has said what
// "탈퇴할래요" means. The endings are dropped from query and entry texts
// alike (at most two, longest first, and only when two runes or more are
// left: a lone "문의" stays).
// Only endings that attach to the noun itself: "반품 안 할래요" keeps its
// 안 and so is not "반품". General Korean, not mined from any data.
var intentTails = func() [][]rune {
	var ts [][]rune
	for _, t := range []string{
		"하고싶습니다", "하고싶은데요", "하고싶은데", "하고싶어요", "하고싶어",
		"하려고하는데요", "하려고하는데", "하려고요", "하려구요",
		"할래요", "할래", "할게요", "할께요", "할게", "할께",
		"해주세요", "해줘요", "해줘",
		"문의드립니다", "문의드려요", "문의합니다", "문의해요", "문의요", "문의",
		"접수", "신청",
	} {
		ts = append(ts, []rune(t))
	}
	slices.SortStableFunc(ts, func(a, b []rune) int { return len(b) - len(a) })
	return ts
}()

// appendExactKey appends to dst the exact key of rs, compact normalised
// runes: their UTF-8 without an intent tail or, failing one, a trailing
// politeTail (unless nothing would be left).
func appendExactKey(dst []byte, rs []rune) []byte {
	stripped := false
	for range 2 {
		for _, t := range intentTails {
			if n := len(rs) - len(t); n >= 2 && slices.Equal(rs[n:], t) {
				rs, stripped = rs[:n], true
				break
			}
		}
	}
	if n := len(rs); !stripped && n > 1 && rs[n-1] == politeTail {
		rs = rs[:n-1]
	}
	for _, r := range rs {
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// addExact records rs, a compact normalised text of entry e, as an exact
// key; a key of two entries is marked ambiguous (-1).
func (ix *Index) addExact(rs []rune, e int32) {
	if ix.exact == nil {
		ix.exact = make(map[string]int32)
	}
	k := string(appendExactKey(nil, rs))
	if prev, ok := ix.exact[k]; ok && prev != e {
		e = -1
	}
	ix.exact[k] = e
}

// exactEntry returns the entry whose text the query analysed in s is
// exactly, if exactly one entry has it. It does not allocate.
func (ix *Index) exactEntry(s *scratch) (int32, bool) {
	rs := s.runes[min(s.wished, len(s.runes)):]
	if len(rs) == 0 {
		return 0, false
	}
	s.key = appendExactKey(s.key[:0], rs)
	e, ok := ix.exact[string(s.key)]
	return e, ok && e >= 0
}
