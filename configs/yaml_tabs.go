package configs

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// tabMark stands in, while the parser reads the file, for a tab inside a
// double-quoted value: goccy/go-yaml counts such a tab twice and then
// skips a character after the closing quote, so the line below is glued to
// this one and refused with a syntax error at a column past the line's end.
// The mark is one rune, as the tab is, so every line:col stays true; it is
// a Unicode noncharacter, which no text means, and the values get their
// tab back once parsed (fixTabs). A file that holds the mark itself is
// read as is, its quoted tabs refused with a hint (quotedTabError).
const tabMark = '\uFDD0'

// quotedTabs returns the positions (byte offsets into data) of the tabs
// inside double-quoted values that have more of their value after them on
// their line (a tab that ends a line of a value spanning lines is folded
// away, and one that starts it is indentation: the parser handles both).
// It reads data as a bot master writes YAML: a # after a blank (or at a
// line's start) begins a comment, the text of a block scalar (| or >) is
// skipped, and a quote begins a value where a value can begin: at the
// start of a line, after "- ", "? ", "key: ", an anchor (&name) or a tag,
// or after [ { or , inside brackets.
func quotedTabs(data []byte) []int {
	var tabs []int
	var quote byte // the quote of the value being read across lines, or 0
	flow := 0      // depth of [ and { outside quotes
	block := -1    // the indent of the line that opened the block scalar being skipped
	for off := 0; off < len(data); {
		end := off + bytes.IndexByte(data[off:], '\n')
		if end < off {
			end = len(data)
		}
		line := data[off:end]
		indent := len(line) - len(bytes.TrimLeft(line, " "))
		if quote == 0 && block >= 0 {
			if len(bytes.TrimSpace(line)) == 0 || indent > block {
				off = end + 1
				continue
			}
			block = -1
		}
		atNode := quote == 0  // a value may begin here
		leading := quote != 0 // in the blanks that start a line inside quotes
		cut := len(line)      // where a comment starts
	scan:
		for j := 0; j < len(line); j++ {
			c := line[j]
			if quote != 0 {
				switch {
				case c == ' ' || c == '\t' || c == '\r':
					if c == '\t' && !leading && quote == '"' && moreOnLine(line[j+1:]) {
						tabs = append(tabs, off+j)
					}
					continue
				case quote == '"' && c == '\\':
					j++
				case c == quote:
					if quote == '\'' && j+1 < len(line) && line[j+1] == '\'' {
						j++ // '' is a quote inside '...'
						break
					}
					quote = 0
					atNode = false
				}
				leading = false
				continue
			}
			switch c {
			case ' ', '\t', '\r':
				continue
			case '#':
				if j == 0 || line[j-1] == ' ' || line[j-1] == '\t' {
					cut = j
					break scan
				}
			}
			if atNode {
				switch {
				case c == '"' || c == '\'':
					quote = c
					leading = false
					continue
				case (c == '-' || c == '?') && (j+1 == len(line) || isBlank(line[j+1])):
					continue
				case c == '[' || c == '{':
					flow++
					continue
				case (c == ']' || c == '}') && flow > 0:
					flow--
					atNode = false
					continue
				case c == '&' || c == '!':
					for j+1 < len(line) && !isBlank(line[j+1]) {
						j++
					}
					continue
				}
				atNode = false
				continue
			}
			switch {
			case c == ':' && (flow > 0 || j+1 == len(line) || isBlank(line[j+1])):
				atNode = true
			case c == ',' && flow > 0:
				atNode = true
			case (c == ']' || c == '}') && flow > 0:
				flow--
			}
		}
		if quote == 0 && blockScalarRE.Match(line[:cut]) {
			block = indent
		}
		off = end + 1
	}
	return tabs
}

// moreOnLine reports whether rest (the line after a tab) holds more than
// blanks.
func moreOnLine(rest []byte) bool {
	return len(bytes.Trim(rest, " \t\r")) > 0
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// markQuotedTabs returns data with the tabs at tabs (quotedTabs) replaced
// by tabMark.
func markQuotedTabs(data []byte, tabs []int) []byte {
	var b strings.Builder
	b.Grow(len(data) + 2*len(tabs))
	prev := 0
	for _, at := range tabs {
		b.Write(data[prev:at])
		b.WriteRune(tabMark)
		prev = at + 1
	}
	b.Write(data[prev:])
	return []byte(b.String())
}

// quotedTabError is the error for the tab at byte at of data, in a file the
// tab cannot be read from (it holds tabMark itself).
func (t *tree) quotedTabError(data []byte, at int) Error {
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	start := bytes.LastIndexByte(data[:at], '\n') + 1
	col := utf8.RuneCount(data[start:at]) + 1
	return Error{File: t.file, Line: line, Col: col, Msg: `a tab inside quotes: write \t for a tab, or a space`}
}

// fixTabs puts back the tabs of a text value: a marked tab of a
// double-quoted value (tabMark), and a tab between the words of a plain
// (unquoted) value on one line, which the parser drops, gluing the words
// (배송<TAB>조회 would reach users as 배송조회). A plain value spanning lines
// with a tab inside cannot be put back with certainty: that is an error at
// the tab.
func (t *tree) fixTabs(n *ast.StringNode, marked bool) {
	tk := n.GetToken()
	if tk == nil {
		return
	}
	if marked && strings.ContainsRune(n.Value, tabMark) {
		n.Value = strings.ReplaceAll(n.Value, string(tabMark), "\t")
		tk.Value = strings.ReplaceAll(tk.Value, string(tabMark), "\t")
		return
	}
	if tk.Type != token.StringType || !strings.Contains(tk.Origin, "\t") || strings.Contains(n.Value, "\t") {
		return
	}
	written := strings.Trim(tk.Origin, " \t\r\n")
	at := strings.IndexByte(written, '\t')
	if at < 0 {
		return // only blanks around the value
	}
	if !strings.ContainsAny(written, "\r\n") && strings.ReplaceAll(written, "\t", "") == n.Value {
		n.Value, tk.Value = written, written
		return
	}
	if tk.Position == nil {
		return
	}
	line, col := tk.Position.Line, tk.Position.Column+utf8.RuneCountInString(written[:at])
	if nl := strings.LastIndexByte(written[:at], '\n'); nl >= 0 {
		line += strings.Count(written[:at], "\n")
		col = utf8.RuneCountInString(written[nl+1:at]) + 1
	}
	t.errs = append(t.errs, Error{File: t.file, Line: line, Col: col,
		Msg: "a tab inside an unquoted value that spans lines: replace the tab with a space, or quote the value"})
}
