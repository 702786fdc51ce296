package faq

import "testing"

func strp(s string) *string { return &s }

func TestLearnLexiconReadsDevRowsOnly(t *testing.T) {
	es := shopEntries()
	rows := []Query{
		{QID: "1", Query: "택배 도착 언제쯤", ExpectedID: strp("ship-when"), Split: "test"},
		{QID: "2", Query: "해외 직구 되나요", Split: "test"},
	}
	if got := LearnLexicon(es, rows); got.Size() != 0 || got.Negatives() != 0 {
		t.Errorf("test rows only: got %d links, %d out-of-scope examples, want 0 and 0", got.Size(), got.Negatives())
	}
	for i := range rows {
		rows[i].Split = "dev"
	}
	if got := LearnLexicon(es, rows); got.Size() == 0 || got.Negatives() != 1 {
		t.Errorf("dev rows: got %d links, %d out-of-scope examples, want > 0 and 1", got.Size(), got.Negatives())
	}
}

// An out-of-scope dev row close to a query lowers the query's acceptance
// score: the user asks what the known no-FAQ question asked.
func TestLexiconOutOfScopeExampleLowersScore(t *testing.T) {
	es := shopEntries()
	in := []Query{
		{QID: "1", Query: "택배 도착 언제쯤 해요", ExpectedID: strp("ship-when"), Split: "dev"},
		{QID: "2", Query: "환불 신청 방법 알려줘", ExpectedID: strp("refund"), Split: "dev"},
	}
	withOOS := append(in[:len(in):len(in)], Query{QID: "3", Query: "해외 배송은 언제 오나요", Split: "dev"})
	query := "해외로 배송은 언제 와요"
	var scores [2]float64
	for k, qs := range [][]Query{in, withOOS} {
		ix, err := New(es, Options{Lexicon: LearnLexicon(es, qs)})
		if err != nil {
			t.Fatal(err)
		}
		scores[k] = ix.Decide(query, "").Score
		if again := ix.Decide(query, "").Score; again != scores[k] {
			t.Fatalf("Decide not deterministic: got %v then %v", scores[k], again)
		}
	}
	t.Logf("score without the example %.3f, with %.3f", scores[0], scores[1])
	if scores[1] >= scores[0] {
		t.Errorf("got score %.3f with the out-of-scope example, want below %.3f without", scores[1], scores[0])
	}
}

// Decide with a lexicon is safe for concurrent use and gives the serial
// answers (run under -race).
func TestLexiconDecideConcurrent(t *testing.T) {
	es := shopEntries()
	qs := []Query{
		{QID: "1", Query: "택배 도착 언제쯤 해요", ExpectedID: strp("ship-when"), Split: "dev"},
		{QID: "2", Query: "반품 신청 방법 알려줘", ExpectedID: strp("refund"), Split: "dev"},
		{QID: "3", Query: "해외 배송은 언제 오나요", Split: "dev"},
	}
	ix, err := New(es, Options{Lexicon: LearnLexicon(es, qs)})
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"택배 언제 도착해요", "반품하고 싶어요", "해외로 배송 돼요?", "상담 시간 알려줘", "ㅋㅋ"}
	want := make([]Decision, len(queries))
	for i, q := range queries {
		want[i] = ix.Decide(q, "")
	}
	errs := make(chan string, 8)
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for r := 0; r < 200; r++ {
				i := (g + r) % len(queries)
				if got := ix.Decide(queries[i], ""); got.Kind != want[i].Kind || got.ID != want[i].ID || got.Score != want[i].Score {
					errs <- queries[i]
					return
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	close(errs)
	for q := range errs {
		t.Errorf("concurrent Decide(%q) differs from the serial decision", q)
	}
}
