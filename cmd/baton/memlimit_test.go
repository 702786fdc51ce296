package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestApplyMemoryLimit(t *testing.T) {
	limit0, gc0 := debug.SetMemoryLimit(-1), gcPercent()
	t.Cleanup(func() {
		debug.SetMemoryLimit(limit0)
		debug.SetGCPercent(gc0)
	})
	tests := []struct {
		name, gomemlimit, gogc string
		limitBefore            int64 // the runtime's limit before the call (as GOMEMLIMIT would have set it)
		wantLimit              int64
		wantGC                 int
	}{
		{"defaults", "", "", math.MaxInt64, defaultMemoryLimit, defaultGCPercent},
		{"GOGC set", "", "150", math.MaxInt64, defaultMemoryLimit, 150},
		{"GOMEMLIMIT set", "200MiB", "", 200 << 20, 200 << 20, defaultGCPercent},
		{"GOMEMLIMIT off", "off", "", math.MaxInt64, math.MaxInt64, 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.gomemlimit)
			t.Setenv("GOGC", tt.gogc)
			debug.SetMemoryLimit(tt.limitBefore)
			debug.SetGCPercent(150) // stands for whatever GOGC or the default set
			if got := applyMemoryLimit(); got != tt.wantLimit {
				t.Errorf("got limit %d, want %d", got, tt.wantLimit)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.wantLimit {
				t.Errorf("got runtime limit %d, want %d", got, tt.wantLimit)
			}
			if got := gcPercent(); got != tt.wantGC {
				t.Errorf("got GOGC %d, want %d", got, tt.wantGC)
			}
		})
	}
}
