package main

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/baton-chat/baton/handoff"
)

// startEmbeddedNATS starts the embedded JetStream node on dir and logs one
// line, naming dir and the runbook, when nats-server reported at start that
// it found part of the store damaged (a checksum that does not match, a
// metafile it could not read: it rebuilds what it can and drops what it
// cannot; messages in a damaged file are lost, and a waiting handoff whose
// request was among them reaches no agent until the store is replaced:
// docs/ops.md, "Disk full, read-only or corrupted store"). When it only
// rebuilt the stream's state from its message files, which it does after
// an unclean stop (a crash, kill -9) as well as after a damaged message
// file, and cannot tell apart, the line says both and does not claim damage.
func (m *Main) startEmbeddedNATS(dir string) (*handoff.Embedded, error) {
	watch := &natsDamageWatch{Handler: m.Logger.Handler(), seen: new(natsDamageSeen)}
	e, err := handoff.StartEmbedded(dir, slog.New(watch))
	if err != nil {
		return nil, err
	}
	if first := watch.seen.damage.Load(); first != nil {
		m.Logger.Warn("nats: JetStream store damaged; nats-server recovered what it could, and messages in damaged files are lost: "+
			"if handoffs wait without reaching agents, stop baton, move the directory aside and start again "+
			"(docs/ops.md, \"Disk full, read-only or corrupted store\")", "dir", dir, "nats_said", *first)
	} else if first := watch.seen.rebuild.Load(); first != nil {
		m.Logger.Warn("nats: JetStream store state rebuilt at start; harmless after an unclean stop (a crash, kill -9), but a damaged message file loses its messages: "+
			"if handoffs wait without reaching agents, stop baton, move the directory aside and start again "+
			"(docs/ops.md, \"Disk full, read-only or corrupted store\")", "dir", dir, "nats_said", *first)
	}
	return e, nil
}

// natsDamageWatch passes records on to Handler and remembers the first
// warnings of nats-server about damaged files and about a rebuilt state.
type natsDamageWatch struct {
	slog.Handler
	seen *natsDamageSeen // shared by the handlers WithAttrs returns
}

// natsDamageSeen holds the first warning of each kind natsDamageWatch saw.
type natsDamageSeen struct {
	damage, rebuild atomic.Pointer[string]
}

// natsDamageSigns are words of nats-server's warnings about a file it found
// damaged at start: a stream or consumer metafile, its checksum, the
// stream's state file (none of them appears on a clean start, nor after an
// unclean stop).
var natsDamageSigns = []string{"checksum", "metafile", "corrupt", "Stream state too short",
	"magic and version mismatch", "Stream state bad", "inconsistency"}

// natsRebuildSigns are words of nats-server's file-store warnings that it
// rebuilt a stream's state from its message files. It does after any
// unclean stop, whose state file is older than the last message, and after
// a damaged message file alike (docs/ops.md). Other file-store warnings at
// start (the schedule or TTL state "is outdated" after an unclean stop, a
// slow "took") are no sign of either.
var natsRebuildSigns = []string{"Stream state outdated", "could not locate msg block", "prior state file"}

// Handle implements slog.Handler.
func (w *natsDamageWatch) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn && w.seen.damage.Load() == nil {
		w.seen.note(r.Message)
	}
	return w.Handler.Handle(ctx, r)
}

// note remembers msg as the first warning of its kind, if it is a sign of
// one.
func (s *natsDamageSeen) note(msg string) {
	for kind, signs := range map[*atomic.Pointer[string]][]string{&s.damage: natsDamageSigns, &s.rebuild: natsRebuildSigns} {
		for _, sign := range signs {
			if strings.Contains(msg, sign) {
				msg := strings.TrimSpace(msg)
				kind.CompareAndSwap(nil, &msg)
				break
			}
		}
	}
}

// WithAttrs implements slog.Handler.
func (w *natsDamageWatch) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &natsDamageWatch{Handler: w.Handler.WithAttrs(attrs), seen: w.seen}
}

// WithGroup implements slog.Handler.
func (w *natsDamageWatch) WithGroup(name string) slog.Handler {
	return &natsDamageWatch{Handler: w.Handler.WithGroup(name), seen: w.seen}
}
