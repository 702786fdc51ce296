package jsonw

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "배송 언제 와요", `a"b\c`, "tab\tnl\n\x01\x1f", "bad\xffutf8", "</script>&", "👩‍👩‍👧"} {
		var got string
		if err := json.Unmarshal(AppendString(nil, s), &got); err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestAppendStrings(t *testing.T) {
	for _, ss := range [][]string{nil, {}, {"a"}, {"주문", `x"y`, "bad\xff"}} {
		var got []string
		if err := json.Unmarshal(AppendStrings(nil, ss), &got); err != nil {
			t.Fatalf("%q: %v", ss, err)
		}
		if len(got) != len(ss) {
			t.Fatalf("%q: got %q", ss, got)
		}
		for i := range ss {
			if want := strings.ToValidUTF8(ss[i], "\uFFFD"); got[i] != want {
				t.Errorf("element %d: got %q, want %q", i, got[i], want)
			}
		}
	}
}
