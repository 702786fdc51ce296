package store

import (
	"context"
	"strings"
	"testing"
)

// queryPlan returns the detail lines of EXPLAIN QUERY PLAN q.
func queryPlan(t *testing.T, db *DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.ReadDB().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTurnsReadersSearchNotScan: turns has no index by time (migration
// 00025), so the reads of turns by time that retention and the
// unanswered-questions report run must each be a range of a b-tree, not a
// scan of the table. The one walk allowed is retention's bound: in rowid
// order (no sort), stopped by its LIMIT 1 at the first turn not expired.
func TestTurnsReadersSearchNotScan(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	var rule retentionRule
	for _, r := range (Retention{}).rules() {
		if r.table == "turns" {
			rule = r
		}
	}
	bound, find := rule.findSQL()
	if bound == "" || !strings.HasSuffix(bound, "ORDER BY rowid LIMIT 1") {
		t.Fatalf("retention of turns: bound %q, want a walk in rowid order stopped at the first unexpired turn", bound)
	}
	if got := queryPlan(t, db, bound, 0); len(got) != 1 || got[0] != "SCAN turns" {
		t.Errorf("retention bound %q: plan %q, want one SCAN turns in rowid order (no index, no sort)", bound, got)
	}
	for _, c := range []struct {
		name, q string
		args    []any
		want    string
	}{
		{"retention find", find, []any{0, 0, 0}, "SEARCH turns USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"},
		{"unanswered report", reportTurnsSQL, []any{0, ""}, "SEARCH turns USING INDEX sqlite_autoindex_turns_1 (id>?)"},
	} {
		plan := queryPlan(t, db, c.q, c.args...)
		found := false
		for _, line := range plan {
			if strings.Contains(line, "turns") && line != c.want {
				t.Errorf("%s: plan line %q reads turns otherwise than %q (plan %q)", c.name, line, c.want, plan)
			}
			found = found || line == c.want
		}
		if !found {
			t.Errorf("%s: plan %q has no %q", c.name, plan, c.want)
		}
	}
}
