package skill

import (
	"sync"
	"time"
)

// Fallback answers are logged at ERROR, with their request ids, up to
// fallbackLogBurst per reason in each fallbackLogWindow; the others of that
// window go to DEBUG, and the next ERROR line of the reason counts them
// (unlogged). A store that fails every turn (a full disk) is then a few
// lines a minute instead of one per turn, while a rarer reason keeps a line,
// and its request id, for each fallback.
const (
	fallbackLogBurst  = 10
	fallbackLogWindow = time.Minute
)

// fallbackLog decides which fallback answers are logged at ERROR.
type fallbackLog struct {
	mu sync.Mutex
	by map[string]*fallbackWindow
}

// fallbackWindow is one reason's current window.
type fallbackWindow struct {
	start    time.Time
	logged   int // at ERROR since start
	unlogged int // at DEBUG since the last ERROR line
}

// admit reports whether a fallback for reason at now is logged at ERROR
// and, if so, how many of the reason were not since the last one that was.
func (l *fallbackLog) admit(reason string, now time.Time) (ok bool, unlogged int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.by[reason]
	if w == nil {
		if l.by == nil {
			l.by = make(map[string]*fallbackWindow)
		}
		w = &fallbackWindow{start: now}
		l.by[reason] = w // reasons are a few fixed words: the map stays small
	}
	if now.Sub(w.start) >= fallbackLogWindow || now.Before(w.start) {
		w.start, w.logged = now, 0
	}
	if w.logged >= fallbackLogBurst {
		w.unlogged++
		return false, 0
	}
	w.logged++
	unlogged, w.unlogged = w.unlogged, 0
	return true, unlogged
}
