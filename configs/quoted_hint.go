package configs

import (
	"reflect"

	"github.com/goccy/go-yaml/token"
)

// quotedHint explains a true or false written in quotes ("true"), which YAML
// reads as text: the message "must be true or false, not \"true\"" alone
// reads as a contradiction. Quoted numbers decode as numbers already.
func quotedHint(tk *token.Token, dst reflect.Type) string {
	if tk == nil || dst == nil || dst.Kind() != reflect.Bool {
		return ""
	}
	if tk.Type != token.DoubleQuoteType && tk.Type != token.SingleQuoteType {
		return ""
	}
	if tk.Value != "true" && tk.Value != "false" {
		return ""
	}
	return " (in quotes it is text: remove the quotes)"
}
