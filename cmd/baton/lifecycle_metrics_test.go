package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// series returns the value of the sample of name whose labels include all
// of want: a counter's or gauge's value, a histogram's sample count (and its
// sum as the second result). ok is false when there is no such series.
func series(t testing.TB, reg *prometheus.Registry, name string, want map[string]string) (v, sum float64, ok bool) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if have[k] != v {
					continue next
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue(), 0, true
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue(), 0, true
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount()), m.GetHistogram().GetSampleSum(), true
			}
		}
	}
	return 0, 0, false
}

func TestLifecycleMetricsFromTheStore(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	clock := &testClock{t: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)}
	reg := prometheus.NewRegistry()
	l := newLifecycleMetrics(db, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now, reg)

	t0 := clock.Now().Add(time.Minute).UnixMilli()
	sec := int64(1000)
	err = db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO users(key, first_seen, last_seen) VALUES ('u1', ?1, ?1), ('u2', ?1, ?1), ('u3', ?1, ?1), ('u4', ?1, ?1), ('u5', ?1, ?1)`, t0)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO handoffs(id, code, user_key, queue, target, reason, created_at, accepted_at, ended_at, end_reason, test) VALUES
			('h1', 'A', 'u1', 'general', 'notify', 'keyword', ?1, ?1 + 30 * ?2, ?1 + 330 * ?2, 'ended', 0),
			('h2', 'B', 'u2', 'vip', 'dealer:happytalk', 'menu', ?1, NULL, ?1 + 60 * ?2, 'cancel', 0),
			('h3', 'C', 'u3', 'general', 'notify', 'faq_misses', ?1, NULL, ?1 + 600 * ?2, 'wait_timeout', 0),
			('h4', 'D', 'u4', 'general', 'notify', 'keyword', ?1, NULL, NULL, '', 0),
			('h5', 'E', 'u5', 'general', 'notify', 'keyword', ?1, ?1 + 5 * ?2, NULL, '', 1)`, t0, sec)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * time.Minute)
	l.scan(ctx)
	l.scan(ctx) // a second scan over the same time counts nothing twice

	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
		sum    float64
	}{
		{"baton_handoffs_opened_total", map[string]string{"queue": "general", "reason": "keyword", "target": "notify"}, 2, 0},
		{"baton_handoffs_opened_total", map[string]string{"queue": "vip", "reason": "menu", "target": "dealer:happytalk"}, 1, 0},
		{"baton_handoff_wait_seconds", map[string]string{"queue": "general"}, 1, 30},
		{"baton_handoff_handle_seconds", map[string]string{"queue": "general"}, 1, 300},
		{"baton_handoffs_ended_total", map[string]string{"queue": "general", "accepted": "true"}, 1, 0},
		{"baton_handoffs_ended_total", map[string]string{"queue": "general", "accepted": "false"}, 1, 0},
		{"baton_handoffs_abandoned_total", map[string]string{"queue": "vip", "reason": "cancel"}, 1, 0},
		{"baton_handoffs_abandoned_total", map[string]string{"queue": "general", "reason": "wait_timeout"}, 1, 0},
	} {
		v, sum, ok := series(t, reg, c.name, c.labels)
		if !ok || v != c.want || sum != c.sum {
			t.Errorf("%s%v: got %v (sum %v, found %v), want %v (sum %v)", c.name, c.labels, v, sum, ok, c.want, c.sum)
		}
	}

	// Gauges read on scrape: an unpublished outbox row ages with the clock.
	err = db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO outbox(id, subject, payload, created_at) VALUES ('o1', 's', x'00', ?)`, clock.Now().Add(-90*time.Second).UnixMilli())
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO timers(kind, id, user_key, due_at, created_at) VALUES ('wait_timeout', 'h4', 'u4', ?1, ?1), ('reopen', 'u1', 'u1', ?2, ?1)`,
			clock.Now().Add(-time.Minute).UnixMilli(), clock.Now().Add(time.Hour).UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want float64
	}{{"baton_outbox_oldest_unpublished_seconds", 90}, {"baton_timers_pending", 2}, {"baton_timers_overdue", 1}} {
		if v, _, ok := series(t, reg, c.name, nil); !ok || v != c.want {
			t.Errorf("%s: got %v (found %v), want %v", c.name, v, ok, c.want)
		}
	}
}

func TestContainmentMetric(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	for _, tr := range []turn{
		{User: "u-c1", Block: "웰컴 블록"},
		{User: "u-c1", Utterance: "배송 조회는 어떻게 하나요?"},
		{User: "u-c2", Utterance: "상담원 연결해 주세요"}, // confirm: toward a human
	} {
		if code, out := postSkill(t, m, tr.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn: %d %s", code, out)
		}
	}
	scrape := func() string {
		t.Helper()
		resp, err := http.Get("http://" + m.AdminAddrBound() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	// The router's consumer is created when the router starts.
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		if b := scrape(); !strings.Contains(b, "baton_router_consumer_pending 0") || !strings.Contains(b, "baton_router_consumer_ack_pending 0") {
			return fmt.Errorf("consumer gauges not 0 yet")
		}
		return nil
	})
	b := scrape()
	for _, want := range []string{`baton_turns_contained_total{contained="true"} 2`, `baton_turns_contained_total{contained="false"} 1`,
		"baton_outbox_oldest_unpublished_seconds", "baton_retention_deleted_rows_total", "baton_timers_overdue"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
