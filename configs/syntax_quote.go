package configs

import (
	"fmt"
	"strings"
)

// quoteRun is a quoted value that starts on one line and ends (at its
// closing quote) on a later one.
type quoteRun struct {
	ch        rune
	line, col int // where the opening quote is (1-based, runes)
	end       int // the line of the closing quote
}

// runawayQuote finds a quote left open: the error at line:col comes just
// after a quoted value that began on an earlier line and closed on the
// error's line. YAML lets a quoted
// value span lines, so a forgotten closing quote swallows the keys below it
// up to the next quote of its kind, and the parser complains there; a bot
// master's config almost never means a value to span lines in quotes.
func runawayQuote(data []byte, line, col int) (quoteRun, bool) {
	var open, last *quoteRun
	block := -1 // the indent of the key of a block scalar being skipped
	for i, text := range strings.Split(string(data), "\n") {
		ln := i + 1
		if ln > line {
			break
		}
		indent := len(text) - len(strings.TrimLeft(text, " "))
		if open == nil && block >= 0 {
			if strings.TrimSpace(text) == "" || indent > block {
				continue
			}
			block = -1
		}
		rs := []rune(text)
		prev := ' '
		end := len(rs)
		for j := 0; j < len(rs); j++ {
			r := rs[j]
			if ln == line && j+1 >= col {
				end = j
				break
			}
			if open != nil {
				switch {
				case open.ch == '\'' && r == '\'' && j+1 < len(rs) && rs[j+1] == '\'':
					j++ // '' is a quote inside '...'
				case open.ch == '"' && r == '\\':
					j++
				case r == open.ch:
					open.end = ln
					if open.line < ln {
						last = open
					}
					open = nil
					prev = r
				}
				continue
			}
			if r == '#' && (j == 0 || rs[j-1] == ' ' || rs[j-1] == '\t') {
				end = j
				break
			}
			if (r == '"' || r == '\'') && strings.ContainsRune(" :,[{-", prev) {
				open = &quoteRun{ch: r, line: ln, col: j + 1}
				continue
			}
			if r != ' ' && r != '\t' {
				prev = r
			}
		}
		if open == nil && blockScalarRE.MatchString(string(rs[:end])) {
			block = indent
		}
	}
	if last != nil && last.end == line {
		return *last, true
	}
	return quoteRun{}, false
}

// runawayQuoteMessage is the message for a quote left open.
func runawayQuoteMessage(q quoteRun) string {
	return fmt.Sprintf("YAML syntax error: this %c is not closed on its line, so the value runs on to line %d: close it with %c (or drop it)", q.ch, q.end, q.ch)
}
