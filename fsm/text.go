package fsm

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Kakao limits the engine keeps by construction.
const (
	maxLabelRunes = 14   // button and quick-reply labels
	maxTextRunes  = 1000 // simpleText
	maxCardRunes  = 400  // textCard title + description
)

const ellipsis = "…"

// truncateLabel shortens s to maxLabelRunes runes, cutting between grapheme
// clusters, at a space when one is near the cut (truncateWords), and ending
// with an ellipsis when it had to cut.
func truncateLabel(s string) string {
	return truncateWords(strings.TrimSpace(s), maxLabelRunes)
}

// truncateText shortens s to n runes, preferring to cut at whitespace, never
// inside a grapheme cluster, and marks the cut with an ellipsis.
func truncateText(s string, n int) string {
	return truncateRunes(s, n, true)
}

func truncateRunes(s string, n int, atSpace bool) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := cutAt(s, n-utf8.RuneCountInString(ellipsis), atSpace)
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + ellipsis
}

// cutAt returns the byte offset at which s is cut so that s[:cut] holds at
// most limit runes: after the last whole grapheme cluster that fits, or,
// when atSpace, at the last whitespace if that is in the last third.
func cutAt(s string, limit int, atSpace bool) int {
	cut, runes, lastSpace := 0, 0, -1
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		c := g.Str()
		r := utf8.RuneCountInString(c)
		if runes+r > limit {
			break
		}
		start, _ := g.Positions()
		if r == 1 {
			if ch, _ := utf8.DecodeRuneInString(c); unicode.IsSpace(ch) {
				lastSpace = start
			}
		}
		runes += r
		_, cut = g.Positions()
	}
	if atSpace && lastSpace > 0 && lastSpace > cut*2/3 {
		cut = lastSpace
	}
	return cut
}

// splitText splits s into at most max pieces of at most n runes each, cut
// at a line break, else at whitespace, where it can and never inside a
// grapheme cluster (the whitespace at a cut is dropped): a numbered list
// (a group chat's menu) is split between its lines. What does not fit in
// max pieces ends the last one with an ellipsis.
func splitText(s string, n, max int) []string {
	var out []string
	for len(out) < max-1 && utf8.RuneCountInString(s) > n {
		cut := cutAt(s, n, true)
		if cut == 0 {
			break // a grapheme cluster longer than n: truncate below
		}
		if nl := strings.LastIndexByte(s[:cut], '\n'); nl > 0 && nl > cut*2/3 {
			cut = nl
		}
		out = append(out, strings.TrimRightFunc(s[:cut], unicode.IsSpace))
		s = strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
	}
	return append(out, truncateRunes(s, n, true))
}

// fill replaces each {key} of pairs (key, value, key, value, ...) in s.
// A "{code}" with an empty code removes the parenthesised part holding it,
// so "… (상담번호 {code})" reads well when the code is unknown.
func fill(s string, pairs ...string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		key, val := "{"+pairs[i]+"}", pairs[i+1]
		if val == "" {
			s = dropPlaceholder(s, key)
		}
		s = strings.ReplaceAll(s, key, val)
	}
	return s
}

// dropPlaceholder removes the "(…key…)" group around key, with the space
// before it; if key is not in parentheses it is left for ReplaceAll.
func dropPlaceholder(s, key string) string {
	for {
		i := strings.Index(s, key)
		if i < 0 {
			return s
		}
		open := strings.LastIndex(s[:i], "(")
		closeRel := strings.Index(s[i:], ")")
		if open < 0 || closeRel < 0 || strings.Contains(s[open:i], ")") {
			return s
		}
		end := i + closeRel + 1
		start := open
		for start > 0 && s[start-1] == ' ' {
			start--
		}
		s = s[:start] + s[end:]
	}
}

// koreanDuration renders d as Korean: 90일, 12시간, 1일 12시간, 30분.
func koreanDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	days := int64(d / (24 * time.Hour))
	d -= time.Duration(days) * 24 * time.Hour
	hours := int64(d / time.Hour)
	d -= time.Duration(hours) * time.Hour
	mins := int64(d / time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, strconv.FormatInt(days, 10)+"일")
	}
	if hours > 0 {
		parts = append(parts, strconv.FormatInt(hours, 10)+"시간")
	}
	if mins > 0 {
		parts = append(parts, strconv.FormatInt(mins, 10)+"분")
	}
	if len(parts) == 0 {
		return "1분"
	}
	return strings.Join(parts, " ")
}

var koreanWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// koreanTime renders t (in its own location) like "11월 23일(월) 오전 9시"
// or "11월 23일(월) 오후 1시 30분".
func koreanTime(t time.Time) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(t.Month())))
	b.WriteString("월 ")
	b.WriteString(strconv.Itoa(t.Day()))
	b.WriteString("일(")
	b.WriteString(koreanWeekdays[t.Weekday()])
	b.WriteString(") ")
	b.WriteString(koreanClock(t))
	return b.String()
}

// koreanClock renders t's wall-clock time like "오전 9시" or "오후 1시 30분".
// Noon is "오후 12시"; the hour after midnight is "오전 0시" ("오전 0시",
// "오전 0시 15분"), never "오전 12시", which many read as noon. Midnight
// with a date stays "오전 0시" ("2월 19일(목) 오전 0시": the start of the
// 19th), not 자정, which after a date is read as either end of the day;
// nextOpening says a midnight that ends today "오늘 밤 12시".
func koreanClock(t time.Time) string {
	var b strings.Builder
	h := t.Hour()
	if h < 12 {
		b.WriteString("오전 ")
	} else {
		b.WriteString("오후 ")
	}
	h12 := h % 12
	if h == 12 {
		h12 = 12
	}
	b.WriteString(strconv.Itoa(h12))
	b.WriteString("시")
	if m := t.Minute(); m > 0 {
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(m))
		b.WriteString("분")
	}
	return b.String()
}
