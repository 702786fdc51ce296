package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamName is the one JetStream stream Baton uses (stable).
const StreamName = "BATON"

// Stream subjects (stable, DESIGN §6). Messages carry ids only.
const (
	subjectsAll = "baton.>"
)

// StreamConfig returns the settings of the BATON stream (DESIGN §6): file
// storage, a 2-minute dedupe window for outbox Msg-Ids, 14-day MaxAge and
// message schedules for durable timers. replicas is 1 for the embedded node
// and a single server, StreamReplicas on a cluster.
func StreamConfig(replicas int) jetstream.StreamConfig {
	if replicas < 1 {
		replicas = 1
	}
	return jetstream.StreamConfig{
		Name:              StreamName,
		Description:       "Baton handoffs, tickets, notifications and timers (ids only)",
		Subjects:          []string{subjectsAll},
		Storage:           jetstream.FileStorage,
		Retention:         jetstream.LimitsPolicy,
		Duplicates:        2 * time.Minute,
		MaxAge:            14 * 24 * time.Hour,
		AllowMsgSchedules: true,
		Replicas:          replicas,
	}
}

// EnsureStream creates the BATON stream, or updates it to StreamConfig when it
// exists with other settings. It is idempotent. It never lowers the
// replicas of a stream that has more: a cluster node down while Baton
// starts makes it know fewer servers (StreamReplicas), and that must not
// shrink the stream. So a lookup that fails for any reason other than
// jetstream.ErrStreamNotFound (a timeout, a cluster without a meta leader
// for a moment, a permission) is returned, wrapped, and nothing is created
// or updated: the caller retries (the router, the timers and the relay do
// on their own backoff). When more than one replica was asked, its error
// names them and the way to a right count.
func EnsureStream(ctx context.Context, js jetstream.JetStream, replicas int) (jetstream.Stream, error) {
	cur, err := js.Stream(ctx, StreamName)
	switch {
	case err == nil:
		replicas = max(replicas, cur.CachedInfo().Config.Replicas)
	case !errors.Is(err, jetstream.ErrStreamNotFound):
		return nil, fmt.Errorf("handoff: ensure stream %s: look it up (nothing created or updated): %w", StreamName, err)
	}
	s, err := js.CreateOrUpdateStream(ctx, StreamConfig(replicas))
	if err != nil && replicas > 1 {
		return nil, fmt.Errorf("handoff: ensure stream %s with %d replicas (a NATS cluster with fewer JetStream servers, "+
			"or with some down, refuses it; Baton counts the servers listed in --nats and those the cluster advertises: "+
			"list them all in --nats): %w", StreamName, replicas, err)
	}
	if err != nil {
		return nil, fmt.Errorf("handoff: ensure stream %s: %w", StreamName, err)
	}
	return s, nil
}

// Embedded is an in-process NATS server with JetStream, for a single
// `baton serve` without --nats.
type Embedded struct {
	srv *server.Server
}

// StartEmbedded starts an in-process JetStream node storing under dir. It does
// not listen on any port (DontListen), never installs signal handlers
// (NoSigs), and fsyncs every write (sync_interval: always), so an
// acknowledged publish survives a crash like a committed SQLite row. It
// returns an error when the server does not become ready within 10 s.
func StartEmbedded(dir string, logger *slog.Logger) (*Embedded, error) {
	opts := &server.Options{
		ServerName:         "baton-embedded",
		JetStream:          true,
		StoreDir:           filepath.Clean(dir),
		DontListen:         true,
		NoSigs:             true,
		SyncAlways:         true,
		JetStreamMaxMemory: 64 << 20,
		NoLog:              true,
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("handoff: embedded nats: %w", err)
	}
	if logger != nil {
		srv.SetLoggerV2(&natsLogger{l: logger.With("component", "nats")}, false, false, false)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("handoff: embedded nats: not ready after 10s")
	}
	return &Embedded{srv: srv}, nil
}

// Connect opens a client connection to the embedded server through an
// in-process pipe.
func (e *Embedded) Connect(name string) (*nats.Conn, error) {
	nc, err := nats.Connect("", nats.Name(name), nats.InProcessServer(e), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("handoff: connect embedded nats: %w", err)
	}
	return nc, nil
}

// ClientURL is empty: the embedded server has no listener. It exists so
// Embedded satisfies nats.InProcessConnProvider together with InProcessConn.
func (e *Embedded) ClientURL() string { return "" }

// InProcessConn implements nats.InProcessConnProvider.
func (e *Embedded) InProcessConn() (net.Conn, error) { return e.srv.InProcessConn() }

// Shutdown stops the server and waits until it has stopped.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}

// Connect dials an external NATS server (--nats URL), retrying in the
// background if it is down: the outbox holds messages until it is back.
func Connect(url, name string, logger *slog.Logger) (*nats.Conn, error) {
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.RetryOnFailedConnect(true),
		nats.ReconnectWait(500*time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if logger != nil && err != nil {
				logger.Warn("nats disconnected", "err", err)
			}
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("handoff: connect nats %s: %w", url, err)
	}
	return nc, nil
}

// natsLogger adapts the server's logger to slog.
type natsLogger struct{ l *slog.Logger }

func (n *natsLogger) Noticef(format string, v ...any) { n.l.Debug(fmt.Sprintf(format, v...)) }
func (n *natsLogger) Warnf(format string, v ...any)   { n.l.Warn(fmt.Sprintf(format, v...)) }
func (n *natsLogger) Fatalf(format string, v ...any)  { n.l.Error(fmt.Sprintf(format, v...)) }
func (n *natsLogger) Errorf(format string, v ...any)  { n.l.Error(fmt.Sprintf(format, v...)) }
func (n *natsLogger) Debugf(format string, v ...any)  { n.l.Debug(fmt.Sprintf(format, v...)) }
func (n *natsLogger) Tracef(format string, v ...any)  {}
