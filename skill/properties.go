package skill

import (
	"bytes"
	"encoding/json"
)

// Properties is a JSON object as Open Builder sent it (user.properties,
// chat.properties), kept undecoded. Decode copies its bytes once; the
// typed accessors find the member they are asked for without building a
// map, so a turn pays only for the few properties Baton reads. A member
// named twice counts as its last occurrence, as encoding/json decodes a map.
// The zero value has no members.
type Properties struct {
	raw []byte // a JSON object, or nil
}

// UnmarshalJSON keeps an object's bytes. Anything else (null, a string,
// an array) leaves the properties empty: Decode is lenient about the
// fields Baton does not rely on.
func (p *Properties) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		p.raw = nil
		return nil
	}
	p.raw = append(p.raw[:0], b...)
	return nil
}

// MarshalJSON writes the object as received, or null when there is none.
func (p Properties) MarshalJSON() ([]byte, error) {
	if p.raw == nil {
		return []byte("null"), nil
	}
	return p.raw, nil
}

// Raw returns the member's JSON value as sent, or nil when it is absent.
// The bytes belong to p: do not modify them.
func (p Properties) Raw(key string) json.RawMessage {
	var found []byte
	forEachMember(p.raw, func(k, v []byte) {
		if keyEquals(k, key) {
			found = v
		}
	})
	return found
}

// Has reports whether the member is present (with any value, null included).
func (p Properties) Has(key string) bool { return p.Raw(key) != nil }

// String returns the member's value when it is a JSON string, else "".
func (p Properties) String(key string) string { return stringValue(p.Raw(key)) }

// stringValue unquotes v when it is a JSON string, else returns "".
func stringValue(v []byte) string {
	if len(v) < 2 || v[0] != '"' {
		return ""
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1])
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

// Bool reports whether the member is the boolean true or the string "true"
// (however escaped: "tru\u0065" is that string too).
func (p Properties) Bool(key string) bool {
	v := p.Raw(key)
	return string(v) == "true" || stringValue(v) == "true"
}

// Map decodes every member, for callers that need them all (logs, tests).
// It returns nil when there are none.
func (p Properties) Map() map[string]any {
	if p.raw == nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(p.raw, &m) != nil {
		return nil
	}
	return m
}

// keyEquals compares a member name as written (between its quotes) with
// key; an escaped name is unescaped first.
func keyEquals(written []byte, key string) bool {
	if bytes.IndexByte(written, '\\') < 0 {
		return string(written) == key
	}
	var s string
	quoted := make([]byte, 0, len(written)+2)
	quoted = append(append(append(quoted, '"'), written...), '"')
	return json.Unmarshal(quoted, &s) == nil && s == key
}

// forEachMember calls fn with the name (between its quotes, escapes kept)
// and the value of each member of the JSON object obj, in order. obj comes
// from a document encoding/json accepted; on anything malformed it stops
// early rather than panic.
func forEachMember(obj []byte, fn func(name, value []byte)) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] != '"' {
			return // '}' or malformed
		}
		end := skipString(obj, i)
		if end < 0 {
			return
		}
		name := obj[i+1 : end-1]
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return
		}
		i = skipSpace(obj, i+1)
		vend := skipValue(obj, i)
		if vend < 0 {
			return
		}
		fn(name, obj[i:vend])
		i = skipSpace(obj, vend)
		if i >= len(obj) || obj[i] != ',' {
			return
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i] (a
// quote), or -1 when it does not end.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index just past the JSON value starting at b[i],
// or -1 when it does not end.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				end := skipString(b, i)
				if end < 0 {
					return -1
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	default: // number, true, false, null
		start := i
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' &&
			b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		if i == start {
			return -1
		}
		return i
	}
}
