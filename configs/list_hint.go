package configs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/token"
)

// listHint shows how to write a single value where a list is wanted:
// "holidays: kr" → " (a list of one: [kr])", and a value with commas, a list
// whose brackets were left out, → " (write a list in [ ], ...)". It returns
// "" for a token that is not a plain value (a mapping, a list).
func listHint(tk *token.Token) string {
	if tk == nil || tk.Value == "" {
		return ""
	}
	switch tk.Type {
	case token.StringType, token.DoubleQuoteType, token.SingleQuoteType, token.IntegerType,
		token.FloatType, token.BoolType:
	default:
		return ""
	}
	v := tk.Value
	if tk.Type == token.StringType && strings.Contains(v, ",") {
		return " (write a list in [ ], its items separated by commas: [a, b])"
	}
	if strings.ContainsAny(v, `,[]{}#:"'`) || strings.ContainsAny(v[:1], "*&!|>%@`") {
		v = strconv.Quote(v)
	}
	return fmt.Sprintf(" (a list of one: [%s])", v)
}
