package handoff

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// CSATCollector exposes the stored CSAT answers of real users as
// baton_csat_answers{score="1".."5"}, read from the store at scrape time so
// the figure survives restarts.
type CSATCollector struct {
	db   *store.DB
	log  *slog.Logger
	desc *prometheus.Desc
}

// NewCSATCollector returns a collector reading db.
func NewCSATCollector(db *store.DB, log *slog.Logger) *CSATCollector {
	return &CSATCollector{db: db, log: log.With("component", "csat"), desc: prometheus.NewDesc("baton_csat_answers",
		"CSAT answers after human sessions by score (1 worst .. 5 best), test traffic excluded.", []string{"score"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *CSATCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector. A failed read reports nothing
// (and is logged) rather than failing the scrape.
func (c *CSATCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	scores, err := c.db.CSATScores(ctx)
	if err != nil {
		c.log.Warn("csat: read scores", "err", err)
		return
	}
	for s := 1; s <= 5; s++ {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(scores[s]), strconv.Itoa(s))
	}
}
