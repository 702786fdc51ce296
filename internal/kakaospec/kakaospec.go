package kakaospec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error Validate and ValidateEvent return.
var ErrInvalid = errors.New("kakaospec: invalid skill response")

// MaxBodyBytes is Kakao's bubble size limit ("30KB 이하", spec §1), read as
// 30 × 1024 bytes.
const MaxBodyBytes = 30 * 1024

// Error lists every problem found, each prefixed with its JSON path.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return ErrInvalid.Error() + ": " + strings.Join(e.Problems, "; ")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *Error) Unwrap() error { return ErrInvalid }

// Validate checks a SkillResponse answering a user turn: version "2.0",
// 1–3 outputs (any number, template ignored, when useCallback is true),
// every component, button, quick reply and context value within §3, and the
// body within MaxBodyBytes. It returns nil or an *Error wrapping ErrInvalid.
func Validate(body []byte) error { return validate(body, false) }

// ValidateEvent is Validate for an event block's answer, which may also
// suppress the message with an empty outputs array.
func ValidateEvent(body []byte) error { return validate(body, true) }

type checker struct {
	problems []string
}

func (c *checker) fail(path, format string, args ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, args...))
}

func validate(body []byte, event bool) error {
	c := &checker{}
	if len(body) > MaxBodyBytes {
		c.fail("$", "body is %d bytes, limit %d", len(body), MaxBodyBytes)
	}
	if !utf8.Valid(body) {
		c.fail("$", "body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		c.fail("$", "not JSON: %v", err)
		return c.result()
	}
	if dec.More() {
		c.fail("$", "trailing data after the JSON value")
	}
	top, ok := root.(map[string]any)
	if !ok {
		c.fail("$", "not a JSON object")
		return c.result()
	}
	c.response(top, event)
	return c.result()
}

func (c *checker) result() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Error{Problems: c.problems}
}

func (c *checker) response(top map[string]any, event bool) {
	c.allowKeys("$", top, "version", "template", "context", "data", "useCallback", "extra")
	if v, _ := top["version"].(string); v != "2.0" {
		c.fail("$.version", "got %v, want \"2.0\"", top["version"])
	}
	callback := false
	if raw, present := top["useCallback"]; present {
		b, ok := raw.(bool)
		if !ok {
			c.fail("$.useCallback", "not a boolean")
		}
		callback = b
	}
	if raw, present := top["data"]; present {
		if _, ok := raw.(map[string]any); !ok {
			c.fail("$.data", "not an object")
		}
	}
	if raw, present := top["context"]; present {
		c.context(raw)
	}
	if raw, present := top["extra"]; present {
		c.extra(raw)
	}
	if callback {
		return // template is ignored in a useCallback response
	}
	tpl, ok := top["template"].(map[string]any)
	if !ok {
		c.fail("$.template", "missing or not an object")
		return
	}
	c.allowKeys("$.template", tpl, "outputs", "quickReplies")
	outputs, ok := tpl["outputs"].([]any)
	if !ok {
		c.fail("$.template.outputs", "missing or not an array")
		return
	}
	min := 1
	if event {
		min = 0
	}
	if len(outputs) < min || len(outputs) > 3 {
		c.fail("$.template.outputs", "%d outputs, spec allows %d to 3", len(outputs), min)
	}
	for i, o := range outputs {
		c.output(fmt.Sprintf("$.template.outputs[%d]", i), o)
	}
	if raw, present := tpl["quickReplies"]; present {
		c.quickReplies(raw)
	}
}

func (c *checker) allowKeys(path string, m map[string]any, keys ...string) {
	for k := range m {
		known := false
		for _, want := range keys {
			if k == want {
				known = true
				break
			}
		}
		if !known {
			c.fail(path, "unknown key %q", k)
		}
	}
}

func (c *checker) output(path string, raw any) {
	o, ok := raw.(map[string]any)
	if !ok {
		c.fail(path, "not an object")
		return
	}
	if len(o) != 1 {
		c.fail(path, "has %d keys, want exactly one component", len(o))
		return
	}
	for name, body := range o {
		card, ok := body.(map[string]any)
		if !ok {
			c.fail(path+"."+name, "not an object")
			return
		}
		p := path + "." + name
		switch name {
		case "simpleText":
			c.simpleText(p, card)
		case "simpleImage":
			c.simpleImage(p, card)
		case "carousel":
			c.carousel(p, card)
		case "textCard", "basicCard", "commerceCard", "listCard", "itemCard":
			c.card(p, name, card, false)
		default:
			c.fail(path, "unknown component %q", name)
		}
	}
}

func (c *checker) card(path, kind string, m map[string]any, inCarousel bool) {
	switch kind {
	case "textCard":
		c.textCard(path, m, inCarousel)
	case "basicCard":
		c.basicCard(path, m)
		if inCarousel { // §3.8: 2 lines each in a carousel
			c.maxLines(path, m, "title", 2)
			c.maxLines(path, m, "description", 2)
		}
	case "commerceCard":
		c.commerceCard(path, m)
	case "listCard":
		c.listCard(path, m, inCarousel)
	case "itemCard":
		c.itemCard(path, m, inCarousel)
	default:
		c.fail(path, "%q cannot be a carousel item", kind)
	}
}

// --- field helpers -------------------------------------------------------

func runes(s string) int { return utf8.RuneCountInString(s) }

// str returns m[key] as a string; a present non-string is reported.
func (c *checker) str(path string, m map[string]any, key string) (string, bool) {
	raw, present := m[key]
	if !present {
		return "", false
	}
	s, ok := raw.(string)
	if !ok {
		c.fail(path+"."+key, "not a string")
		return "", false
	}
	return s, true
}

// text checks an optional (or, with required, mandatory non-empty) string
// field against a rune limit (0 = no limit).
func (c *checker) text(path string, m map[string]any, key string, required bool, limit int) string {
	s, present := c.str(path, m, key)
	if required && strings.TrimSpace(s) == "" {
		c.fail(path+"."+key, "required")
	}
	if present && limit > 0 && runes(s) > limit {
		c.fail(path+"."+key, "%d characters, limit %d", runes(s), limit)
	}
	return s
}

// maxLines fails m[key] when its line breaks alone make it longer than
// limit lines (§3.8 states some limits in lines; how a line wraps depends
// on the screen, a break does not).
func (c *checker) maxLines(path string, m map[string]any, key string, limit int) {
	s, _ := m[key].(string)
	if n := breakLines(s); n > limit {
		c.fail(path+"."+key, "%d lines, limit %d", n, limit)
	}
}

// breakLines counts the lines of s as its line breaks make them (0 for "").
// MaxMentions is the most group-chat mentions one response may carry
// (spec §3.11, §3.8).
const MaxMentions = 15

// extra checks the response's top-level extra: an object whose mentions
// (group bots, spec §3.11) are at most MaxMentions, each of type
// botUserKey or appUserId with an id.
func (c *checker) extra(raw any) {
	ex, ok := raw.(map[string]any)
	if !ok {
		c.fail("$.extra", "not an object")
		return
	}
	rawMs, present := ex["mentions"]
	if !present {
		return
	}
	ms, ok := rawMs.(map[string]any)
	if !ok {
		c.fail("$.extra.mentions", "not an object")
		return
	}
	if len(ms) > MaxMentions {
		c.fail("$.extra.mentions", "got %d mentions, want at most %d", len(ms), MaxMentions)
	}
	for name, rawM := range ms {
		path := "$.extra.mentions." + name
		m, ok := rawM.(map[string]any)
		if !ok {
			c.fail(path, "not an object")
			continue
		}
		if t, _ := m["type"].(string); t != "botUserKey" && t != "appUserId" {
			c.fail(path+".type", "got %v, want botUserKey or appUserId", m["type"])
		}
		if id, _ := m["id"].(string); id == "" {
			c.fail(path+".id", "required")
		}
	}
}

func breakLines(s string) int {
	if s == "" {
		return 0
	}
	// Any mandatory line break starts a line: CRLF is one.
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return 1 + strings.Count(s, "\n") + strings.Count(s, "\r") + strings.Count(s, "\v") + strings.Count(s, "\f") +
		strings.Count(s, "\u0085") + strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
}

func (c *checker) url(path string, m map[string]any, key string, required bool) {
	s, present := c.str(path, m, key)
	if !present || s == "" {
		if required {
			c.fail(path+"."+key, "required")
		}
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		c.fail(path+"."+key, "%q is not an absolute http(s) URL", s)
	}
}

// integer returns m[key] as an int64 when it is a JSON integer.
func (c *checker) integer(path string, m map[string]any, key string, required bool) (int64, bool) {
	raw, present := m[key]
	if !present {
		if required {
			c.fail(path+"."+key, "required")
		}
		return 0, false
	}
	n, ok := raw.(json.Number)
	if !ok {
		c.fail(path+"."+key, "not a number")
		return 0, false
	}
	v, err := n.Int64()
	if err != nil {
		c.fail(path+"."+key, "%s is not an integer", n)
		return 0, false
	}
	return v, true
}

func (c *checker) boolean(path string, m map[string]any, key string) bool {
	raw, present := m[key]
	if !present {
		return false
	}
	b, ok := raw.(bool)
	if !ok {
		c.fail(path+"."+key, "not a boolean")
	}
	return b
}

func (c *checker) object(path string, m map[string]any, key string, required bool) map[string]any {
	raw, present := m[key]
	if !present {
		if required {
			c.fail(path+"."+key, "required")
		}
		return nil
	}
	o, ok := raw.(map[string]any)
	if !ok {
		c.fail(path+"."+key, "not an object")
	}
	return o
}

func (c *checker) array(path string, m map[string]any, key string, required bool) ([]any, bool) {
	raw, present := m[key]
	if !present {
		if required {
			c.fail(path+"."+key, "required")
		}
		return nil, false
	}
	a, ok := raw.([]any)
	if !ok {
		c.fail(path+"."+key, "not an array")
	}
	return a, ok
}
