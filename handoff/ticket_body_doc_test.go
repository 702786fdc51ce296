package handoff

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/store"
)

// docTicketExample returns the ticket.created example of
// docs/notify-webhook.md §1.2, decoded.
func docTicketExample(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../docs/notify-webhook.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "### 1.2 ")
	if !ok {
		t.Fatal("docs/notify-webhook.md has no §1.2")
	}
	_, block, ok := strings.Cut(sec, "```json\n")
	if !ok {
		t.Fatal("docs/notify-webhook.md §1.2 has no json example")
	}
	block, _, _ = strings.Cut(block, "```")
	var doc map[string]any
	if err := json.Unmarshal([]byte(block), &doc); err != nil {
		t.Fatalf("docs/notify-webhook.md §1.2 example: %v", err)
	}
	return doc
}

// docShapeKeys lists the keys of m, nested objects as "parent.key".
func docShapeKeys(m map[string]any, prefix string) []string {
	var out []string
	for k, v := range m {
		out = append(out, prefix+k)
		if sub, ok := v.(map[string]any); ok {
			out = append(out, docShapeKeys(sub, prefix+k+".")...)
		}
	}
	slices.Sort(out)
	return out
}

// TestTicketBodyMatchesTheDocumentedShape: the ticket.created body a pii
// webhook gets has exactly the fields of the documented example (the user
// object with bot_user_key only; a ticket whose user asked for a text, so
// contact_preference is there, and left it under an FAQ answer, so origin
// is); without pii, the same minus user.
func TestTicketBodyMatchesTheDocumentedShape(t *testing.T) {
	doc := docShapeKeys(docTicketExample(t), "")
	tk := store.Ticket{ID: "01TICKET", Code: "B3Q9", Queue: "general", Reason: store.TicketReasonUserMessage,
		UserKey: "u-doc", Message: "환불 문의드려요", ContactID: "c1", ContactPref: "sms", Origin: "faq", CreatedAt: time.Unix(0, 0)}
	for _, tc := range []struct {
		name string
		pii  bool
		want []string
	}{
		{"pii", true, doc},
		{"no pii", false, slices.DeleteFunc(slices.Clone(doc), func(k string) bool { return strings.HasPrefix(k, "user") })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := (&WebhookSink{PII: tc.pii}).TicketBody(TicketNotice{Ticket: tk})
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, docShapeKeys(got, "")); diff != "" {
				t.Errorf("ticket.created fields differ from docs/notify-webhook.md §1.2 (-doc +got):\n%s\nbody %s", diff, b)
			}
		})
	}
}
