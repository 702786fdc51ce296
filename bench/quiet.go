package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// MetricWriterQueue is the gauge of the writes waiting for a `baton serve`'s
// group-commit writer (store.Stats.QueueDepth) on its admin /metrics.
const MetricWriterQueue = "baton_store_writer_queue_depth"

// StoreActivity is a Baton store's backlog and progress at one moment:
// what StoreQuiet reads.
type StoreActivity struct {
	// Queued is the writes waiting for the writer; Owed the cached
	// conversations newer than their rows (the rows the writer defers).
	Queued, Owed float64
	// Writes and Checkpoints are the writes the writer has carried and
	// the runs the WAL checkpointer has finished so far (cumulative).
	Writes, Checkpoints float64
}

// StoreQuiet returns a Target.Quiet that reads the store's activity every
// poll until the store is quiet: no write queued, no row owed, no write
// since the reading before, and two checkpointer runs finished since a
// write was last seen (the first may have begun before it), so that the
// pages the writes put in the WAL are in the database file too. The
// outbox's deliveries to notify sinks record themselves through the
// writer, so they are done as well once the writes stop. It returns an
// error when read fails, ctx ends, or the store is not quiet within
// within.
func StoreQuiet(read func(context.Context) (StoreActivity, error), poll, within time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		deadline := time.Now().Add(within)
		a, err := read(ctx)
		if err != nil {
			return fmt.Errorf("bench: the store's activity: %w", err)
		}
		mark := a.Checkpoints // the checkpointer's runs when work was last seen
		for {
			select {
			case <-ctx.Done():
				return fmt.Errorf("bench: waiting for the store to be quiet: %w", ctx.Err())
			case <-time.After(poll):
			}
			b, err := read(ctx)
			if err != nil {
				return fmt.Errorf("bench: the store's activity: %w", err)
			}
			if b.Queued > 0 || b.Owed > 0 || b.Writes != a.Writes {
				mark = b.Checkpoints
			} else if b.Checkpoints >= mark+2 {
				return nil
			}
			if !time.Now().Before(deadline) {
				return fmt.Errorf("bench: the store is not quiet after %s: %g writes queued, %g conversations' rows owed, %g writes in the last %s, %g checkpoints since the last write (want 2)",
					within, b.Queued, b.Owed, b.Writes-a.Writes, poll, b.Checkpoints-mark)
			}
			a = b
		}
	}
}

// ScrapeStoreActivity reads StoreActivity from the admin /metrics of a
// `baton serve` (metricsURL; MetricWriterQueue, MetricCacheDirty,
// MetricWrites, MetricCheckpoints), for StoreQuiet. A missing metric is
// an error.
func ScrapeStoreActivity(client *http.Client, metricsURL string) func(context.Context) (StoreActivity, error) {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return func(ctx context.Context) (StoreActivity, error) {
		v, err := scrape(ctx, client, metricsURL)
		if err != nil {
			return StoreActivity{}, err
		}
		var a StoreActivity
		for _, m := range []struct {
			name string
			dst  *float64
		}{{MetricWriterQueue, &a.Queued}, {MetricCacheDirty, &a.Owed}, {MetricWrites, &a.Writes}, {MetricCheckpoints, &a.Checkpoints}} {
			x, ok := v[m.name]
			if !ok {
				return StoreActivity{}, fmt.Errorf("no %s in %s", m.name, metricsURL)
			}
			*m.dst = x
		}
		return a, nil
	}
}
