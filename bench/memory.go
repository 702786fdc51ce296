package bench

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// Memory is the process's memory at one moment, split so that a reader can
// tell which part grows: the resident set by kind (Linux), the Go runtime's
// own total, and the C heap a CMemory reports (SQLite's allocations).
type Memory struct {
	// RSS is the resident set size now (Linux /proc/self/status VmRSS;
	// elsewhere the peak RSS, the closest figure available).
	RSS int64
	// RSSAnon, RSSFile and RSSShmem split RSS (Linux only, else 0):
	// anonymous memory (the Go heap, C malloc, stacks), mapped files (the
	// binary, libraries) and shared memory (SQLite's WAL index, the -shm
	// file, is mapped shared and counts here).
	RSSAnon, RSSFile, RSSShmem int64
	// GoTotal is the memory the Go runtime has mapped and not returned to
	// the OS (runtime/metrics /memory/classes/total:bytes less
	// /memory/classes/heap/released:bytes): an upper bound of Go's share
	// of RSSAnon.
	GoTotal int64
	// HeapInuse and Sys are the Go runtime's figures.
	HeapInuse, Sys uint64
	// HeapLive is the heap the last collection found reachable
	// (runtime/metrics /gc/heap/live:bytes): what the process holds, as
	// opposed to HeapInuse, which includes garbage not yet collected. With
	// a soft memory limit the collector runs once per (limit − HeapLive −
	// the rest of GoTotal) allocated, so this is the figure that says how
	// much room it has. 0 where unknown.
	HeapLive int64
	// GCCycles is the number of completed collections so far; the
	// difference between two readings is how often the collector ran.
	GCCycles uint64
	// CPU is the process's CPU time (user + system) so far; 0 where unknown.
	CPU time.Duration
	// C is what the CMemory reported (SQLite's allocations in `baton
	// bench`), or -1 when none was given.
	C int64
	// Store is the server's store and disk counters, where it exports
	// them (a remote `baton serve`); its Known is false otherwise.
	Store StoreCounters
	// Goroutines is the number of goroutines.
	Goroutines int
}

// CMemory reports the bytes allocated on the C heap by a library the Go
// runtime does not see (in `baton bench`: store.ReadSQLiteMemory). bench
// takes it as a function so that it need not import store.
type CMemory func() int64

// ReadMemory returns the process's memory now; cmem may be nil.
func ReadMemory(cmem CMemory) Memory {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := Memory{HeapInuse: ms.HeapInuse, Sys: ms.Sys, Goroutines: runtime.NumGoroutine(), C: -1, GCCycles: uint64(ms.NumGC)}
	m.GoTotal, m.HeapLive = goTotal()
	if cmem != nil {
		m.C = cmem()
	}
	st := procStatus()
	m.RSS, m.RSSAnon, m.RSSFile, m.RSSShmem = st["VmRSS"], st["RssAnon"], st["RssFile"], st["RssShmem"]
	var peak int64
	m.CPU, peak = usage()
	if m.RSS == 0 {
		m.RSS = peak
	}
	return m
}

// Other is the part of the anonymous resident memory that neither the Go
// runtime nor the CMemory accounts for: the C allocator's free lists and
// per-thread arenas, thread stacks of C code, and Go memory counted in
// GoTotal but not resident (negative then). It is 0 when a figure is
// missing.
func (m Memory) Other() int64 {
	if m.RSSAnon == 0 || m.C < 0 {
		return 0
	}
	return m.RSSAnon - m.GoTotal - m.C
}

// String formats m in MB.
func (m Memory) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "RSS %.1f MB", mb(m.RSS))
	if m.RSSAnon > 0 {
		fmt.Fprintf(&b, " (anon %.1f, file %.1f, shmem %.1f)", mb(m.RSSAnon), mb(m.RSSFile), mb(m.RSSShmem))
	}
	fmt.Fprintf(&b, "; Go total %.1f MB (heap in use %.1f MB, live %.1f MB, runtime Sys %.1f MB)", mb(m.GoTotal), mb(int64(m.HeapInuse)), mb(m.HeapLive), mb(int64(m.Sys)))
	if m.C >= 0 {
		fmt.Fprintf(&b, "; SQLite %.1f MB; anon not Go nor SQLite %.1f MB", mb(m.C), mb(m.Other()))
	}
	fmt.Fprintf(&b, "; %d goroutines", m.Goroutines)
	return b.String()
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// goTotal is the Go runtime's mapped memory less what it released, and
// the live heap the last collection marked.
func goTotal() (total, live int64) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var v [3]int64
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = int64(s[i].Value.Uint64())
		}
	}
	return v[0] - v[1], v[2]
}

// procStatus reads the kB lines of /proc/self/status as bytes by key; it
// returns an empty map where the file does not exist.
func procStatus() map[string]int64 {
	st := map[string]int64{}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return st
	}
	for line := range strings.Lines(string(b)) {
		key, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			st[key] = kb << 10
		}
	}
	return st
}

// columns formats the split of m for a soak report line: anon, file,
// shmem, Go, live heap, SQLite and other in MB, "-" where not known.
func (m Memory) columns() string {
	col := func(n int64, known bool) string {
		if !known {
			return fmt.Sprintf("%8s", "-")
		}
		return fmt.Sprintf("%8.1f", mb(n))
	}
	linux, c := m.RSSAnon > 0, m.C >= 0
	return strings.Join([]string{col(m.RSSAnon, linux), col(m.RSSFile, linux), col(m.RSSShmem, linux),
		col(m.GoTotal, m.GoTotal > 0), col(m.HeapLive, m.HeapLive > 0), col(m.C, c), col(m.Other(), linux && c && m.GoTotal > 0)}, " ")
}

// load1 is the machine's 1-minute load average, or "".
func load1() string {
	l, _, _ := strings.Cut(loadAverage(), " ")
	return l
}
