package stagetrace

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestReport: the breakdown splits each turn's time between the stages it
// reached, and the slowest 1% are the turns with the longest total.
func TestReport(t *testing.T) {
	base := started.Add(2 * time.Second)
	var recs []*Rec
	for i := range 200 {
		r := &Rec{}
		due := base.Add(time.Duration(i) * time.Millisecond)
		r.MarkAt(Due, due)
		r.MarkAt(ClientGo, due.Add(100*time.Microsecond))
		commit := time.Millisecond
		if i >= 198 { // the slowest 1%: a slow commit
			commit = 9 * time.Millisecond
		}
		r.MarkAt(Committed, due.Add(100*time.Microsecond+commit)) // the stages between were not reached
		r.MarkAt(Done, due.Add(100*time.Microsecond+commit+200*time.Microsecond))
		recs = append(recs, r)
	}
	var out bytes.Buffer
	Report(&out, recs)
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 6 {
		t.Fatalf("got %d lines, want the header, three rows and the episodes:\n%s", len(lines), out.String())
	}
	// Columns: label, total, then stages ClientGo … Done.
	slow := strings.Fields(strings.TrimPrefix(lines[4], "  slowest 1%"))
	if want := []string{"9.30", "0.10", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "9.00", "0.00", "0.00", "0.20"}; strings.Join(slow, " ") != strings.Join(want, " ") {
		t.Errorf("got slowest 1%% row %q, want %q", slow, want)
	}
	if all := strings.Fields(strings.TrimPrefix(lines[2], "  all")); all[0] != "1.38" {
		t.Errorf("got mean total %s ms for all turns, want 1.38 (198 × 1.3 + 2 × 9.3, / 200)", all[0])
	}
	if !strings.Contains(lines[5], " 2.20: 2") {
		t.Errorf("got episodes %q, want the two slow turns due 2.20 s after start", lines[5])
	}
}

// TestLookup: the server finds the record the client began only while
// recording; the context carries it.
func TestLookup(t *testing.T) {
	r := Begin("st1", time.Now())
	if Lookup("st1") != nil {
		t.Error("got a record before Start, want none")
	}
	Start()
	if Lookup("st1") != r {
		t.Error("Lookup did not find the begun record")
	}
	if From(With(context.Background(), r)) != r || From(context.Background()) != nil {
		t.Error("the context does not carry the record")
	}
	r.Mark(Done)
	if got := Take(); len(got) != 1 || got[0] != r {
		t.Errorf("Take got %d records, want the finished one", len(got))
	}
	if Lookup("st1") != nil {
		t.Error("got a record after Take, want none")
	}
}
