package configs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// Duration is a time.Duration that also accepts a "d" (24 h) unit in YAML,
// alone or mixed with the standard units: "30d", "1d12h", "90s".
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// ParseDuration parses s like time.ParseDuration plus the "d" unit.
// It returns an error naming s when it cannot.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var days int64
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		if n > maxDays {
			return 0, fmt.Errorf("invalid duration %q: at most %dd", s, maxDays)
		}
		days, s = n, s[i+1:]
		if s == "" {
			return Duration(time.Duration(days) * 24 * time.Hour), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid duration %q (use s, m, h or d, e.g. 30m, 90d)", s)
	}
	whole := time.Duration(days) * 24 * time.Hour
	if d > math.MaxInt64-whole {
		return 0, fmt.Errorf("invalid duration %dd%s: at most %dd", days, s, maxDays)
	}
	return Duration(whole + d), nil
}

// maxDays is the most days a Duration holds (about 292 years): more would
// overflow time.Duration and wrap around to a short or negative one.
const maxDays = math.MaxInt64 / int64(24*time.Hour)

// UnmarshalText implements encoding.TextUnmarshaler (used by the YAML decoder).
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) {
	td := time.Duration(d)
	if td != 0 && td%(24*time.Hour) == 0 {
		return []byte(strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"), nil
	}
	return []byte(td.String()), nil
}

// UnmarshalYAML implements yaml.NodeUnmarshaler for goccy/go-yaml so that a
// bad duration is reported at its line and column. A null value leaves d
// unchanged (the default applies).
func (d *Duration) UnmarshalYAML(node ast.Node) error {
	switch n := unwrap(node).(type) {
	case *ast.NullNode:
		return nil
	case *ast.StringNode:
		v, err := ParseDuration(n.Value)
		if err != nil {
			return &nodeError{tok: n.GetToken(), msg: fmt.Sprintf("invalid duration %q (use s, m, h or d, e.g. 30m, 90d)", n.Value)}
		}
		*d = v
		return nil
	default:
		return &nodeError{tok: node.GetToken(), msg: fmt.Sprintf("invalid duration %q (a number needs a unit: s, m, h or d, e.g. 30m, 90d)", node.GetToken().Value)}
	}
}
