package bench

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// histogram records durations in log-linear buckets (128 sub-buckets per
// power of two, so every value is kept within 0.8%), safe for concurrent
// use. It never allocates after creation.
type histogram struct {
	counts [histBuckets]atomic.Uint64
	total  atomic.Uint64
	max    atomic.Int64
}

const (
	histSub     = 128                     // sub-buckets per power of two
	histLinear  = 2 * histSub             // values below this are exact
	histBuckets = histLinear + 48*histSub // up to 2^56 ns (~2 years)
	histMaxNS   = int64(1)<<56 - 1        // larger values are clamped
)

func bucketOf(ns int64) int {
	if ns < 0 {
		ns = 0
	}
	if ns > histMaxNS {
		ns = histMaxNS
	}
	v := uint64(ns)
	if v < histLinear {
		return int(v)
	}
	shift := bits.Len64(v) - 8 // ≥ 1: v>>shift is in [128, 256)
	return histLinear + (shift-1)*histSub + int(v>>shift) - histSub
}

// lowerBound is the smallest value of bucket i.
func lowerBound(i int) int64 {
	if i < histLinear {
		return int64(i)
	}
	i -= histLinear
	shift := i/histSub + 1
	return int64(i%histSub+histSub) << shift
}

// record adds one observation.
func (h *histogram) record(d time.Duration) {
	ns := int64(d)
	h.counts[bucketOf(ns)].Add(1)
	h.total.Add(1)
	for {
		m := h.max.Load()
		if ns <= m || h.max.CompareAndSwap(m, ns) {
			return
		}
	}
}

// Latency summarises a latency distribution.
type Latency struct {
	Count                    uint64
	P50, P90, P99, P999, Max time.Duration
}

// summary returns the quantiles (each the midpoint of its bucket, the max
// exactly).
func (h *histogram) summary() Latency {
	l := Latency{Count: h.total.Load(), Max: time.Duration(h.max.Load())}
	if l.Count == 0 {
		return l
	}
	q := []struct {
		p   float64
		dst *time.Duration
	}{{0.50, &l.P50}, {0.90, &l.P90}, {0.99, &l.P99}, {0.999, &l.P999}}
	var seen uint64
	j := 0
	for i := range h.counts {
		seen += h.counts[i].Load()
		for j < len(q) && float64(seen) >= q[j].p*float64(l.Count) && seen > 0 {
			lo, hi := lowerBound(i), lowerBound(i+1)
			v := time.Duration((lo + hi) / 2)
			if v > l.Max {
				v = l.Max
			}
			*q[j].dst = v
			j++
		}
		if j == len(q) {
			break
		}
	}
	return l
}
