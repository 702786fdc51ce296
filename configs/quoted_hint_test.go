package configs

import (
	"errors"
	"testing"
)

// TestQuotedBoolHint: a true or false in quotes is text, and the error says
// so; other wrong values keep the plain message.
func TestQuotedBoolHint(t *testing.T) {
	for _, tc := range []struct {
		extra, want string
	}{
		{"tickets: {ask_contact: \"true\"}\n", `bool.yaml:27:24: key "ask_contact" in tickets must be true or false, not "true" (in quotes it is text: remove the quotes)`},
		{"tickets: {ask_contact: 'false'}\n", `bool.yaml:27:24: key "ask_contact" in tickets must be true or false, not "false" (in quotes it is text: remove the quotes)`},
		{"tickets: {ask_contact: yes}\n", `bool.yaml:27:24: key "ask_contact" in tickets must be true or false, not "yes"`},
		{"tickets: {ask_contact: \"네\"}\n", `bool.yaml:27:24: key "ask_contact" in tickets must be true or false, not "네"`},
	} {
		t.Run(tc.extra, func(t *testing.T) {
			_, err := Parse("bool.yaml", []byte(minimal(t)+tc.extra))
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("got %v, want one error", err)
			}
			if got := errs[0].Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
