package handoff

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRouterRetryScheduleAsDocumented holds docs/notify-webhook.md §1.3's
// retry schedule ("the retries come 5 s, 10 s, … and 15 min after the
// failure before them") to routerBackOff: the delays before the second to
// the DefaultMaxDeliver-th attempt.
func TestRouterRetryScheduleAsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/notify-webhook.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "### 1.3 ")
	if !ok {
		t.Fatal("docs/notify-webhook.md has no §1.3")
	}
	text := strings.Join(strings.Fields(sec), " ")
	_, list, ok := strings.Cut(text, "the retries come ")
	list, _, ok2 := strings.Cut(list, " after the failure before them")
	if !ok || !ok2 {
		t.Fatalf("notify-webhook.md §1.3 states no retry schedule:\n%s", text)
	}
	var doc []time.Duration
	for _, item := range strings.Split(strings.ReplaceAll(list, " and ", ", "), ", ") {
		d, err := time.ParseDuration(strings.NewReplacer(" s", "s", " min", "m").Replace(item))
		if err != nil {
			t.Fatalf("notify-webhook.md §1.3 retry %q: %v", item, err)
		}
		doc = append(doc, d)
	}
	if diff := cmp.Diff(doc, routerBackOff[:DefaultMaxDeliver-1]); diff != "" {
		t.Errorf("retry schedule (-doc +routerBackOff):\n%s", diff)
	}
}
