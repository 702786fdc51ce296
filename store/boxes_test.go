package store

import (
	"strconv"
	"testing"
)

// TestBoxesBounded checks that the writer's boxed texts give back the text
// they were given and stop growing at maxBoxes (block names come from
// requests): past it a text is still passed on, boxed per use.
func TestBoxesBounded(t *testing.T) {
	t.Parallel()
	var b boxes
	for i := range maxBoxes + 10 {
		s := "block-" + strconv.Itoa(i)
		for range 2 {
			if got := b.of(s); got != s {
				t.Fatalf("got %v, want %q", got, s)
			}
		}
	}
	if n := len(b.m); n != maxBoxes {
		t.Errorf("got %d boxed texts, want %d", n, maxBoxes)
	}
	if got := b.of(""); got != "" {
		t.Errorf("got %v for the empty text, want it", got)
	}
}
