package main

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/baton-chat/baton/handoff"
)

// startEmbeddedNATS starts the embedded JetStream node on dir and, when
// nats-server reported at start that it found part of the store damaged (a
// checksum that does not match, a state file it could not read: it rebuilds
// what it can and drops what it cannot), logs one line saying so, naming dir
// and the runbook: messages in a damaged file are lost, and a waiting
// handoff whose request was among them reaches no agent until the store is
// replaced (docs/ops.md, "Disk full, read-only or corrupted store").
func (m *Main) startEmbeddedNATS(dir string) (*handoff.Embedded, error) {
	watch := &natsDamageWatch{Handler: m.Logger.Handler(), first: new(atomic.Pointer[string])}
	e, err := handoff.StartEmbedded(dir, slog.New(watch))
	if err != nil {
		return nil, err
	}
	if first := watch.first.Load(); first != nil {
		m.Logger.Warn("nats: JetStream store damaged; nats-server recovered what it could, and messages in damaged files are lost: "+
			"if handoffs wait without reaching agents, stop baton, move the directory aside and start again "+
			"(docs/ops.md, \"Disk full, read-only or corrupted store\")", "dir", dir, "nats_said", *first)
	}
	return e, nil
}

// natsDamageWatch passes records on to Handler and remembers the first
// warning of nats-server's file store about damaged files.
type natsDamageWatch struct {
	slog.Handler
	first *atomic.Pointer[string] // shared by the handlers WithAttrs returns
}

// natsDamageSigns are words of nats-server's file-store warnings about files
// it found damaged at start (none of them appears on a clean start).
var natsDamageSigns = []string{"Filestore", "metafile", "checksum", "corrupt"}

// Handle implements slog.Handler.
func (w *natsDamageWatch) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn && w.first.Load() == nil {
		for _, s := range natsDamageSigns {
			if strings.Contains(r.Message, s) {
				msg := strings.TrimSpace(r.Message)
				w.first.CompareAndSwap(nil, &msg)
				break
			}
		}
	}
	return w.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (w *natsDamageWatch) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &natsDamageWatch{Handler: w.Handler.WithAttrs(attrs), first: w.first}
}

// WithGroup implements slog.Handler.
func (w *natsDamageWatch) WithGroup(name string) slog.Handler {
	return &natsDamageWatch{Handler: w.Handler.WithGroup(name), first: w.first}
}
