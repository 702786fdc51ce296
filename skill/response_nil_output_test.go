package skill

import (
	"errors"
	"testing"
)

// TestResponseTypedNilOutput: an output that is a nil pointer of a
// component type is refused like a nil output (ErrInvalidResponse), not a
// panic in the middle of a turn.
func TestResponseTypedNilOutput(t *testing.T) {
	var st *SimpleText
	_, err := Response{Outputs: []Component{st}}.Marshal()
	if !errors.Is(err, ErrInvalidResponse) {
		t.Fatalf("Marshal with a (*SimpleText)(nil) output: got %v, want ErrInvalidResponse", err)
	}
}
