package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeQueries writes rows (JSON Lines) to a temp file and returns its path.
func writeQueries(t *testing.T, rows ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "q.jsonl")
	text := strings.Join(rows, "\n")
	if text != "" {
		text += "\n"
	}
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// shopQueries writes the rows of testdata/shop-faq/queries.jsonl, each
// changed by edit, to a temp file and returns its path.
func shopQueries(t *testing.T, edit func(line string) string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "shop-faq", "queries.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for l := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
		rows = append(rows, edit(l))
	}
	return writeQueries(t, rows...)
}

// runFAQEval runs `baton faq eval` with args and returns its exit code,
// stdout and stderr.
func runFAQEval(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"faq", "eval"}, args...), nil, &out, &errb)
	return code, out.String(), errb.String()
}

// TestFAQEvalSplitSelectsNoRows: a --split no row has (a typo of "test")
// exits 1 naming the split and the splits the file has, with nothing
// evaluated. It used to evaluate zero queries, print every figure as 0.000
// and exit 0.
func TestFAQEvalSplitSelectsNoRows(t *testing.T) {
	q := writeQueries(t,
		`{"qid": "a1", "query": "택배 지금 어디에 있어요?", "expected_id": "ship-track", "kind": "in_scope", "split": "dev"}`,
		`{"qid": "a2", "query": "배송조회 어디서해요", "expected_id": "ship-track", "kind": "in_scope", "split": "test"}`,
		`{"qid": "a3", "query": "송장 번호 어디서 봐요?", "expected_id": "ship-track", "kind": "in_scope", "split": "test"}`,
		`{"qid": "a4", "query": "배송언제와요", "expected_id": "ship-time", "kind": "in_scope"}`,
	)
	code, out, errOut := runFAQEval("--config", shippedExample, "--queries", q, "--split", "tset", "--lexicon=false")
	want := "baton faq eval: " + q + `: --split "tset" selects no row; the file has split "dev" (1 row), "test" (2 rows) and 1 row without one; --split all reports every row` + "\n"
	if code != 1 || errOut != want || out != "" {
		t.Errorf("--split tset: exit %d, stderr %q, stdout %q; want exit 1, stderr %q and nothing evaluated", code, errOut, out, want)
	}
}

// TestFAQEvalQueriesWithoutSplit: a bot master's own query file whose rows
// have no "split" field, run the documented way (no --split, so split=test),
// exits 1 saying no row has a split and that --split all reports every row;
// with --split all it is evaluated. It used to report "0 queries", every
// figure 0.000, and exit 0.
func TestFAQEvalQueriesWithoutSplit(t *testing.T) {
	q := shopQueries(t, func(l string) string {
		l = strings.Replace(l, `, "split": "dev"`, "", 1)
		return strings.Replace(l, `, "split": "test"`, "", 1)
	})
	if b, _ := os.ReadFile(q); strings.Contains(string(b), `"split"`) {
		t.Fatal("fixture still has split fields")
	}
	code, out, errOut := runFAQEval("--config", shippedExample, "--queries", q)
	want := "baton faq eval: " + q + `: --split "test" selects no row: no row has a "split" field; --split all reports every row` + "\n"
	if code != 1 || errOut != want || out != "" {
		t.Errorf("no split fields, default --split: exit %d, stderr %q, stdout %q; want exit 1, stderr %q and nothing evaluated", code, errOut, out, want)
	}

	code, out, errOut = runFAQEval("--config", shippedExample, "--queries", q, "--split", "all", "--lexicon=false")
	if code != 0 || strings.Contains(out, ": 0 queries") || !strings.Contains(out, "reporting split=all") {
		t.Errorf("no split fields, --split all: exit %d, stderr %q; want 0 and every row evaluated:\n%s", code, errOut, out)
	}
}

// TestFAQEvalEmptyQueries: a query file without a single row exits 1
// naming the file. It used to evaluate zero queries and exit 0.
func TestFAQEvalEmptyQueries(t *testing.T) {
	q := writeQueries(t)
	code, out, errOut := runFAQEval("--config", shippedExample, "--queries", q, "--split", "all")
	want := "baton faq eval: " + q + ": no queries (want one JSON object per line: qid, query, expected_id, kind, split)\n"
	if code != 1 || errOut != want || out != "" {
		t.Errorf("empty query file: exit %d, stderr %q, stdout %q; want exit 1, stderr %q", code, errOut, out, want)
	}
}

// TestFAQEvalUnknownExpectedID: an expected_id that names no FAQ entry (a
// typo of the id) exits 1 before evaluating, naming the id, the closest
// entry id and the qid that uses it. It used to be counted silently as a
// matcher miss.
func TestFAQEvalUnknownExpectedID(t *testing.T) {
	q := shopQueries(t, func(l string) string {
		if strings.Contains(l, `"qid": "shq0001"`) {
			return strings.Replace(l, `"expected_id": "ship-track"`, `"expected_id": "ship-trak"`, 1)
		}
		return l
	})
	code, out, errOut := runFAQEval("--config", shippedExample, "--queries", q, "--split", "all", "--lexicon=false")
	want := "baton faq eval: " + q + `: expected_id "ship-trak" names no FAQ entry of ` + shippedExample +
		` (did you mean "ship-track"?); used by qid "shq0001"` + "\n"
	if code != 1 || errOut != want || strings.Contains(out, "matcher (shipped defaults") {
		t.Errorf("expected_id ship-trak: exit %d, stderr %q; want exit 1, stderr %q and nothing evaluated:\n%s", code, errOut, want, out)
	}

	// With --faq: ids far from every entry get no suggestion; each unknown
	// id is one line, its qids listed.
	faqFile := writeQueries(t,
		`{"id": "ship-track", "question": "배송 조회는 어떻게 하나요?"}`,
		`{"id": "refund", "question": "환불은 언제 되나요?"}`,
	)
	q = writeQueries(t,
		`{"qid": "x1", "query": "택배 어디", "expected_id": "ship-track", "kind": "in_scope", "split": "test"}`,
		`{"qid": "x2", "query": "반품", "expected_id": "returns", "kind": "in_scope", "split": "test"}`,
		`{"qid": "x3", "query": "반품 되나요", "expected_id": "returns", "kind": "in_scope", "split": "test"}`,
		`{"query": "환블", "expected_id": "refnd", "kind": "in_scope", "split": "test"}`,
		`{"qid": "x5", "query": "날씨", "expected_id": null, "kind": "out_of_scope", "split": "test"}`,
	)
	code, _, errOut = runFAQEval("--faq", faqFile, "--queries", q, "--lexicon=false")
	want = "baton faq eval: " + q + `: expected_id "returns" names no FAQ entry of ` + faqFile + `; used by qid "x2", qid "x3"` + "\n" +
		"baton faq eval: " + q + `: expected_id "refnd" names no FAQ entry of ` + faqFile + ` (did you mean "refund"?); used by query 4 (no qid)` + "\n"
	if code != 1 || errOut != want {
		t.Errorf("--faq with unknown expected_ids: exit %d, stderr %q; want exit 1, stderr %q", code, errOut, want)
	}
}

// TestFAQHelpExitsZero: `baton faq eval -h` and `baton faq --help` print
// the usage and exit 0, as chat, validate and report do on a help request.
// They used to exit 2, as on a usage error.
func TestFAQHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"faq", "eval", "-h"}, {"faq", "eval", "--help"}, {"faq", "--help"}, {"faq", "-h"}, {"faq", "help"}} {
		var out, errb bytes.Buffer
		code := run(args, nil, &out, &errb)
		if code != 0 || !strings.Contains(out.String()+errb.String(), faqUsage) {
			t.Errorf("baton %s: exit %d, stdout %q, stderr %q; want 0 and the usage", strings.Join(args, " "), code, out.String(), errb.String())
		}
	}
}

// TestFAQEvalStrayArgument: an argument faq eval does not take (as "test"
// in `--split all test`) is a usage error, exit 2, named, with nothing
// evaluated. It used to be ignored and the run went on with split=all.
func TestFAQEvalStrayArgument(t *testing.T) {
	q := shopQueries(t, func(l string) string { return l })
	code, out, errOut := runFAQEval("--config", shippedExample, "--queries", q, "--lexicon=false", "--split", "all", "test")
	want := `baton faq eval: unexpected argument "test"` + "\n" + faqUsage + "\n"
	if code != 2 || errOut != want || out != "" {
		t.Errorf("stray argument \"test\": exit %d, stderr %q, stdout %q; want exit 2, stderr %q", code, errOut, out, want)
	}
}
