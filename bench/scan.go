package bench

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// The client reads every answer, so reading it must cost little and the
// same for every target: encoding/json spends ~50 allocations and tens of
// microseconds on a menu answer, which on a small machine is CPU taken
// from the server under test. scanAnswer walks the JSON once, keeps only
// the fields classify needs and skips the rest; a test checks it agrees
// with encoding/json.

// scannedAnswer is what the client reads from a SkillResponse.
type scannedAnswer struct {
	version     string
	useCallback bool
	hasTemplate bool
	outputs     int
	// first output's textCard description and first button action.
	firstCard        bool
	firstDescription string
	firstAction      string
	// simpleText texts of all outputs.
	texts   []string
	replies []QuickReply
}

var errSyntax = errors.New("bench: answer is not valid JSON")

type scanner struct {
	b []byte
	i int
}

func scanAnswer(b []byte) (scannedAnswer, error) {
	s := scanner{b: b}
	var a scannedAnswer
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "version":
			return s.stringInto(&a.version)
		case "useCallback":
			v, err := s.boolean()
			a.useCallback = v
			return err
		case "template":
			s.ws()
			if s.null() {
				return nil
			}
			a.hasTemplate = true
			return s.template(&a)
		}
		return s.skip()
	})
	if err != nil {
		return a, err
	}
	s.ws()
	if s.i != len(s.b) {
		return a, fmt.Errorf("%w: trailing data at %d", errSyntax, s.i)
	}
	return a, nil
}

func (s *scanner) template(a *scannedAnswer) error {
	return s.object(func(key []byte) error {
		switch string(key) {
		case "outputs":
			return s.array(func(i int) error {
				a.outputs++
				return s.output(a, i == 0)
			})
		case "quickReplies":
			start := s.ws()
			if err := s.skip(); err != nil {
				return err
			}
			if rs, ok := replySets.get(s.b[start:s.i]); ok {
				a.replies = rs
				return nil
			}
			end := s.i
			s.i = start
			if err := s.quickReplies(a); err != nil {
				return err
			}
			replySets.put(s.b[start:end], a.replies)
			return nil
		}
		return s.skip()
	})
}

// quickReplies reads a quickReplies array into a.replies.
func (s *scanner) quickReplies(a *scannedAnswer) error {
	return s.array(func(int) error {
		var q QuickReply
		err := s.object(func(key []byte) error {
			switch string(key) {
			case "label":
				return s.stringInto(&q.Label)
			case "action":
				return s.stringInto(&q.Action)
			case "messageText":
				return s.stringInto(&q.MessageText)
			case "blockId":
				return s.stringInto(&q.BlockID)
			case "extra":
				start := s.ws()
				if err := s.skip(); err != nil {
					return err
				}
				if raw := s.b[start:s.i]; string(raw) != "null" {
					q.Extra = append([]byte(nil), raw...)
				}
				return nil
			}
			return s.skip()
		})
		a.replies = append(a.replies, q)
		return err
	})
}

func (s *scanner) output(a *scannedAnswer, first bool) error {
	return s.object(func(key []byte) error {
		switch string(key) {
		case "simpleText":
			s.ws()
			if s.null() {
				return nil
			}
			var t string
			err := s.object(func(key []byte) error {
				if string(key) != "text" {
					return s.skip()
				}
				return s.stringInto(&t)
			})
			a.texts = append(a.texts, t)
			return err
		case "textCard":
			s.ws()
			if !first || s.null() {
				return s.skip()
			}
			a.firstCard = true
			return s.object(func(key []byte) error {
				switch string(key) {
				case "description":
					return s.stringInto(&a.firstDescription)
				case "buttons":
					return s.array(func(i int) error {
						if i > 0 {
							return s.skip()
						}
						return s.object(func(key []byte) error {
							if string(key) != "action" {
								return s.skip()
							}
							return s.stringInto(&a.firstAction)
						})
					})
				}
				return s.skip()
			})
		}
		return s.skip()
	})
}

// ws skips whitespace and returns the position.
func (s *scanner) ws() int {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return s.i
		}
	}
	return s.i
}

func (s *scanner) fail(what string) error {
	return fmt.Errorf("%w: %s at %d", errSyntax, what, s.i)
}

func (s *scanner) expect(c byte) error {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != c {
		return s.fail(fmt.Sprintf("want %q", c))
	}
	s.i++
	return nil
}

// object reads an object (null reads as empty), calling field for each
// key with the scanner at the value, which field must consume.
func (s *scanner) object(field func(key []byte) error) error {
	s.ws()
	if s.null() {
		return nil
	}
	if err := s.expect('{'); err != nil {
		return err
	}
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.rawString()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.fail("unterminated object")
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.fail("want , or }")
		}
	}
}

// array reads an array (null reads as empty), calling elem for each element.
func (s *scanner) array(elem func(i int) error) error {
	s.ws()
	if s.null() {
		return nil
	}
	if err := s.expect('['); err != nil {
		return err
	}
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return nil
	}
	for n := 0; ; n++ {
		if err := elem(n); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.fail("unterminated array")
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.fail("want , or ]")
		}
	}
}

func (s *scanner) null() bool {
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

func (s *scanner) boolean() (bool, error) {
	s.ws()
	switch {
	case len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "true":
		s.i += 4
		return true, nil
	case len(s.b)-s.i >= 5 && string(s.b[s.i:s.i+5]) == "false":
		s.i += 5
		return false, nil
	case s.null():
		return false, nil
	}
	return false, s.fail("want a boolean")
}

// rawString reads a string and returns its bytes between the quotes,
// escapes undecoded.
func (s *scanner) rawString() ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return nil, err
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], nil
		case c == '\\':
			if s.i+1 >= len(s.b) {
				return nil, s.fail("unterminated string")
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u':
			default:
				return nil, s.fail("bad escape")
			}
			s.i += 2
		case c < 0x20:
			return nil, s.fail("control character in string")
		default:
			s.i++
		}
	}
	return nil, s.fail("unterminated string")
}

// stringInto reads a string value (null leaves dst alone) and decodes its
// escapes into dst.
func (s *scanner) stringInto(dst *string) error {
	s.ws()
	if s.null() {
		return nil
	}
	raw, err := s.rawString()
	if err != nil {
		return err
	}
	v, ok := unescape(raw)
	if !ok {
		return s.fail("bad escape")
	}
	*dst = v
	return nil
}

func unescape(raw []byte) (string, bool) {
	i := 0
	for i < len(raw) && raw[i] != '\\' && raw[i] < utf8.RuneSelf {
		i++
	}
	if i == len(raw) || (bytes.IndexByte(raw[i:], '\\') < 0 && utf8.Valid(raw[i:])) {
		return string(raw), true
	}
	out := make([]byte, i, len(raw)+8)
	copy(out, raw[:i])
	for i < len(raw) {
		c := raw[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError) // as encoding/json does
			} else {
				out = append(out, raw[i:i+size]...)
			}
			i += size
			continue
		}
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(raw) {
			return "", false
		}
		switch e := raw[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw[i+2:])
			if !ok {
				return "", false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if i+1 < len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if r2, ok := hex4(raw[i+2:]); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							out = utf8.AppendRune(out, d)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return "", false
		}
		i += 2
	}
	return string(out), true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// skip skips one value of any kind.
func (s *scanner) skip() error {
	s.ws()
	if s.i >= len(s.b) {
		return s.fail("want a value")
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		return s.array(func(int) error { return s.skip() })
	case c == '"':
		_, err := s.rawString()
		return err
	case c == 't' || c == 'f':
		_, err := s.boolean()
		return err
	case c == 'n':
		if s.null() {
			return nil
		}
		return s.fail("want null")
	case c == '-' || (c >= '0' && c <= '9'):
		start := s.i
		for s.i < len(s.b) {
			switch c := s.b[s.i]; {
			case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
				s.i++
				continue
			}
			break
		}
		if s.i == start {
			return s.fail("want a number")
		}
		return nil
	}
	return s.fail("want a value")
}

// replySets interns the quick replies of answers by their JSON text. Every
// simulated user keeps its last answer's quick replies for its next tap;
// parsed afresh, that is ten-odd strings per user, so with tens of
// thousands of users the load client held most of the process's live heap
// (27 of 45 MB after Baton's saturation phase, 64 of 81 MB after bare's),
// which every collection had to mark whichever target's phase it fell in.
// The servers answer from a bounded set of quick-reply arrays (rendered
// menus), so the users share one read-only slice per distinct array.
var replySets = internedReplies{m: map[string][]QuickReply{}}

// maxReplySets bounds the interned arrays; later ones are parsed per answer.
const maxReplySets = 4096

type internedReplies struct {
	mu sync.RWMutex
	m  map[string][]QuickReply
}

func (r *internedReplies) get(raw []byte) ([]QuickReply, bool) {
	r.mu.RLock()
	rs, ok := r.m[string(raw)]
	r.mu.RUnlock()
	return rs, ok
}

// put interns rs (read-only from now on: its capacity is clipped, so an
// append copies) under raw, unless the table is full.
func (r *internedReplies) put(raw []byte, rs []QuickReply) {
	r.mu.Lock()
	if len(r.m) < maxReplySets {
		r.m[string(raw)] = slices.Clip(rs)
	}
	r.mu.Unlock()
}
