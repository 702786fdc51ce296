package configs

import (
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// OffWord is how a bot master turns off a feature timed by an OffDuration.
const OffWord = "off"

// OffDuration is a Duration that may also be written "off" in YAML, which
// turns off what it times (DurationOff). An explicit zero is rejected rather
// than read as "use the default" or "off": "0s" is too easy to mean either.
type OffDuration Duration

// DurationOff is the value of an OffDuration written "off". It is negative,
// the convention the handoff timer policy already reads as "never".
const DurationOff OffDuration = -1

// D returns d as a time.Duration: negative when d is off.
func (d OffDuration) D() time.Duration { return time.Duration(d) }

// Off reports whether d was written "off".
func (d OffDuration) Off() bool { return d < 0 }

// ParseOffDuration parses "off" or a duration as ParseDuration does. It
// returns an error for anything else and for a zero duration.
func ParseOffDuration(s string) (OffDuration, error) {
	if strings.TrimSpace(s) == OffWord {
		return DurationOff, nil
	}
	v, err := ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if v == 0 {
		return 0, fmt.Errorf("duration %q is zero: write %s to turn it off, or a duration above zero", s, OffWord)
	}
	return OffDuration(v), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *OffDuration) UnmarshalText(b []byte) error {
	v, err := ParseOffDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler: "off" when off.
func (d OffDuration) MarshalText() ([]byte, error) {
	if d.Off() {
		return []byte(OffWord), nil
	}
	return Duration(d).MarshalText()
}

// UnmarshalYAML implements yaml.NodeUnmarshaler for goccy/go-yaml, reporting
// a bad value at its line and column. A null value leaves d unchanged (the
// default applies).
func (d *OffDuration) UnmarshalYAML(node ast.Node) error {
	switch n := unwrap(node).(type) {
	case *ast.NullNode:
		return nil
	case *ast.StringNode:
		v, err := ParseOffDuration(n.Value)
		if err != nil {
			return invalidOffDuration(n.GetToken())
		}
		*d = v
		return nil
	case *ast.BoolNode:
		// YAML 1.1 readers take a bare off for false; goccy/go-yaml may too.
		if !n.Value && strings.EqualFold(n.GetToken().Value, OffWord) {
			*d = DurationOff
			return nil
		}
	}
	return invalidOffDuration(node.GetToken())
}

// invalidOffDuration is the error for a value at tok that is neither off
// nor a duration above zero.
func invalidOffDuration(tok *token.Token) error {
	return &nodeError{tok: tok, msg: fmt.Sprintf("invalid duration %q (write %s, or a duration above zero in s, m, h or d, e.g. 12h, 2d)", tok.Value, OffWord)}
}
