package configs

import (
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/token"
)

// Error is one mistake in a config file, positioned at the offending key or
// value. Line and Col are 1-based; both are 0 when no position is known.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
}

// Error formats e as "file:line:col: message".
func (e Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors is the mistakes found in one config file, in file order: every
// unknown key, or the first value that does not decode, or every problem
// of the cross-validation (Parse stops after the first stage that finds
// any). Parse and Load return it (as error) whenever the file itself is at
// fault.
type Errors []Error

// Error formats the errors one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sort orders errors by position, keeping the order of errors at one spot.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b Error) int {
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Col, b.Col)
	})
}

// nodeError is an error raised while decoding one node; it keeps the node's
// token so the position survives the decoder.
type nodeError struct {
	tok *token.Token
	msg string
}

func (e *nodeError) Error() string { return e.msg }

// LogWarnings logs each of c.Warnings at Warn level, with its position.
func (c *Config) LogWarnings(log *slog.Logger) {
	for _, w := range c.Warnings {
		log.Warn("config warning", "at", fmt.Sprintf("%s:%d:%d", w.File, w.Line, w.Col), "warning", w.Msg)
	}
}
