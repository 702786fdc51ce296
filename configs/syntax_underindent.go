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
// It returns the first key and the key holding the mapping. Blank and
// comment lines are skipped, and so are lines deeper than the first key
// (its own values).
func underIndented(data []byte, line, col int) (first, holder keyAt, ok bool) {
	lines := strings.Split(string(data), "\n")
	if line < 2 || line > len(lines) {
		return keyAt{}, keyAt{}, false
	}
	text := lines[line-1]
	body := strings.TrimLeft(text, " ")
	indent := len(text) - len(body)
	if indent+1 != col || !deepKeyRE.MatchString(body) {
		return keyAt{}, keyAt{}, false
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
			h := strings.TrimSpace(stripComment(above))
			if ind == indent || first.name == "" || !strings.HasSuffix(h, ":") {
				return keyAt{}, keyAt{}, false
			}
			h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(h, ":"), "-"))
			return first, keyAt{name: h, line: i + 1, indent: ind}, true
		}
		if m := deepKeyRE.FindStringSubmatch(above); m != nil && (first.name == "" || ind <= first.indent) {
			first = keyAt{name: m[1], line: i + 1, indent: ind}
		}
	}
	return keyAt{}, keyAt{}, false
}

// keyAt is a key of the file: its name, 1-based line and indent in spaces.
type keyAt struct {
	name         string
	line, indent int
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
func underIndentedMessage(data []byte, line, col int, first, holder keyAt) string {
	text := strings.TrimLeft(strings.Split(string(data), "\n")[line-1], " ")
	key := deepKeyRE.FindStringSubmatch(text)[1]
	return fmt.Sprintf("YAML syntax error: %q is indented %d spaces, between %q (line %d, %d spaces) and the first key under it, %q (line %d, %d spaces): "+
		"indent %q %d spaces if it belongs beside %q, or give %q and %q the same indent if they belong together",
		key, col-1, holder.name, holder.line, holder.indent, first.name, first.line, first.indent,
		key, holder.indent, holder.name, key, first.name)
}
