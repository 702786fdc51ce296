package configs

import (
	"fmt"
	"strings"
)

// underIndented finds the slip behind the parser's "value is not allowed
// in this context" at line:col when the key there is indented less than
// the first key of its mapping but more than the key that holds that
// mapping:
//
//	events:
//	     text: 안내      <- first key, 5 spaces
//	    category: x     <- 4 spaces: the parser stops here
//
// It returns the first key's name, line and indent. Blank and comment lines
// are skipped, and so are lines deeper than the first key (its own values).
func underIndented(data []byte, line, col int) (first string, firstLine, firstIndent int, ok bool) {
	lines := strings.Split(string(data), "\n")
	if line < 2 || line > len(lines) {
		return "", 0, 0, false
	}
	text := lines[line-1]
	body := strings.TrimLeft(text, " ")
	indent := len(text) - len(body)
	if indent+1 != col || !deepKeyRE.MatchString(body) {
		return "", 0, 0, false
	}
	for i := line - 2; i >= 0; i-- {
		above := strings.TrimLeft(lines[i], " ")
		if strings.TrimSpace(above) == "" || strings.HasPrefix(above, "#") {
			continue
		}
		ind := len(lines[i]) - len(above)
		if ind <= indent {
			// The holder of the mapping (or a sibling at the same
			// indent): the mapping's first key is the line found last.
			if ind == indent || first == "" || !strings.HasSuffix(strings.TrimSpace(stripComment(above)), ":") {
				return "", 0, 0, false
			}
			return first, firstLine, firstIndent, true
		}
		if m := deepKeyRE.FindStringSubmatch(above); m != nil && (first == "" || ind <= firstIndent) {
			first, firstLine, firstIndent = m[1], i+1, ind
		}
	}
	return "", 0, 0, false
}

// stripComment drops a " #" comment from a line of YAML.
func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	return s
}

// underIndentedMessage is the message for a key indented less than the
// first key of its mapping.
func underIndentedMessage(data []byte, line, col int, first string, firstLine, firstIndent int) string {
	text := strings.TrimLeft(strings.Split(string(data), "\n")[line-1], " ")
	key := deepKeyRE.FindStringSubmatch(text)[1]
	return fmt.Sprintf("YAML syntax error: %q is indented %d spaces, but %q, the first key of the same mapping on line %d, is indented %d: the keys of one mapping line up; indent them alike",
		key, col-1, first, firstLine, firstIndent)
}
