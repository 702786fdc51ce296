package skill

import (
	"log/slog"
	"sync"
)

// maxUnknownBlocks bounds how many block names unknownBlockLog remembers:
// a misnamed welcome block is one or two names, and a client sending
// made-up names must not grow the set without end.
const maxUnknownBlocks = 100

// unknownBlockLog logs, once per block name, a block that called the skill
// with no utterance while the config names it nowhere (fsm.Outcome
// EmptyText): Open Builder's welcome block does that, so it is most likely
// the welcome block under a name blocks.welcome does not list, whose users
// get the menu without the welcome text and the bot master is not told.
type unknownBlockLog struct {
	mu   sync.Mutex
	seen map[string]bool
}

// note logs the block once (name, else id); later calls for it, and any
// past maxUnknownBlocks names, log nothing.
func (l *unknownBlockLog) note(log *slog.Logger, name, id string) {
	key := name
	if key == "" {
		key = id
	}
	if key == "" {
		return
	}
	l.mu.Lock()
	if l.seen == nil {
		l.seen = make(map[string]bool)
	}
	first := !l.seen[key] && len(l.seen) < maxUnknownBlocks
	if first {
		l.seen[key] = true
	}
	l.mu.Unlock()
	if first {
		log.Warn("skill: a block the config does not name called the skill with no utterance and was answered with the menu: "+
			"if it is the welcome block, add its name (or id) to blocks.welcome (logged once per block)", "block", name, "block_id", id)
	}
}
