// Package metrics exposes what ranstream does in the Prometheus text format:
// per stage messages in, out, failed, dead-lettered and redelivered, handler
// latency, consumer backlog and sizing; quality and routing per mode; LLM calls.
// Every metric lives on a registry the caller creates and passes in, never on
// the global default one. Metrics implements the small observer interfaces of
// pkg/stage, pkg/route and pkg/llm, so none of them imports Prometheus.
package metrics

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/route"
	"github.com/ranstream/ranstream/pkg/stage"
)

// Namespace prefixes every metric name: ranstream_.
const Namespace = "ranstream"

// Metrics holds the collectors of one process.
type Metrics struct {
	in, out, failed, dead, redelivered *prometheus.CounterVec
	latency                            *prometheus.HistogramVec
	pending, ackPending, redelivering  *prometheus.GaugeVec
	workers, maxAckPending             *prometheus.GaugeVec
	quality                            *prometheus.HistogramVec
	hops                               *prometheus.CounterVec
	accepted                           *prometheus.CounterVec
	llmCalls                           *prometheus.CounterVec
	llmLatency                         prometheus.Histogram
	llmItems                           *prometheus.CounterVec
	llmBreaker                         prometheus.Gauge
}

var (
	_ stage.Observer = (*Metrics)(nil)
	_ route.Observer = (*Metrics)(nil)
	_ llm.Observer   = (*Metrics)(nil)
)

// New registers ranstream's metrics, and Go's runtime and process metrics, on reg.
func New(reg prometheus.Registerer) (*Metrics, error) {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help}, labels)
	}
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help}, labels)
	}
	m := &Metrics{
		in:          counter("messages_in_total", "Deliveries of messages to a stage (redeliveries included).", "stage"),
		out:         counter("messages_out_total", "Messages a stage published (outputs of its handlings).", "stage"),
		failed:      counter("messages_failed_total", "Handling attempts that failed (each in-process retry counts).", "stage"),
		dead:        counter("messages_dead_lettered_total", "Messages a stage sent to dlq.<stage>.", "stage"),
		redelivered: counter("messages_redelivered_total", "Deliveries of a message that had been delivered before.", "stage"),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "handler_duration_seconds",
			Help:    "Time one handling of a message took, outputs stored included.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}, []string{"stage"}),
		pending:       gauge("consumer_pending", "Messages of the stage's durable consumer not yet delivered.", "stage"),
		ackPending:    gauge("consumer_ack_pending", "Messages delivered to the stage and not yet acked (in flight).", "stage"),
		redelivering:  gauge("consumer_redelivered", "Messages of the stage's consumer delivered more than once and not yet acked.", "stage"),
		workers:       gauge("stage_workers", "Workers of the stage, as sized at start.", "stage"),
		maxAckPending: gauge("stage_max_ack_pending", "Max ack pending of the stage's consumer, as sized at start.", "stage"),
		quality: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "quality",
			Help:    "Quality score (0..1) of each chunk extraction, by the mode it was made in.",
			Buckets: prometheus.LinearBuckets(0.1, 0.1, 10)}, []string{"mode"}),
		hops:     counter("route_hops_total", "Chunks sent back to a richer mode by quality-route.", "from", "to"),
		accepted: counter("route_accepted_total", "Chunk results accepted into the results bucket, by mode.", "mode"),
		llmCalls: counter("llm_calls_total", "LLM calls by outcome: ok, error, or refused (breaker open).", "outcome"),
		llmLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "llm_call_duration_seconds",
			Help: "Time one LLM call took.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}),
		llmItems: counter("llm_items_total", "Items the LLM pass gave: kept (grounded) or dropped.", "outcome"),
		llmBreaker: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "llm_breaker_open",
			Help: "1 while the LLM circuit breaker is open (hybrid unavailable), else 0."}),
	}
	for _, c := range []prometheus.Collector{m.in, m.out, m.failed, m.dead, m.redelivered, m.latency,
		m.pending, m.ackPending, m.redelivering, m.workers, m.maxAckPending, m.quality, m.hops, m.accepted,
		m.llmCalls, m.llmLatency, m.llmItems, m.llmBreaker,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Stages makes every per-stage series exist at zero, so that dashboards and
// rate() see a stage before its first message.
func (m *Metrics) Stages(names ...string) {
	for _, s := range names {
		for _, v := range []*prometheus.CounterVec{m.in, m.out, m.failed, m.dead, m.redelivered} {
			v.WithLabelValues(s)
		}
	}
}

// Received counts a delivery.
func (m *Metrics) Received(stage string, redelivered bool) {
	m.in.WithLabelValues(stage).Inc()
	if redelivered {
		m.redelivered.WithLabelValues(stage).Inc()
	}
}

// Handled records one handling attempt.
func (m *Metrics) Handled(stage string, took time.Duration, outputs int, err error) {
	m.latency.WithLabelValues(stage).Observe(took.Seconds())
	m.out.WithLabelValues(stage).Add(float64(outputs))
	if err != nil {
		m.failed.WithLabelValues(stage).Inc()
	}
}

// DeadLettered counts a dead letter.
func (m *Metrics) DeadLettered(stage string) { m.dead.WithLabelValues(stage).Inc() }

// Consumer sets the backlog of a stage's consumer, as JetStream reports it.
func (m *Metrics) Consumer(stage string, pending, ackPending, redelivered int) {
	m.pending.WithLabelValues(stage).Set(float64(pending))
	m.ackPending.WithLabelValues(stage).Set(float64(ackPending))
	m.redelivering.WithLabelValues(stage).Set(float64(redelivered))
}

// Sized records a stage's sizing decision.
func (m *Metrics) Sized(stage string, workers, maxAckPending int) {
	m.workers.WithLabelValues(stage).Set(float64(workers))
	m.maxAckPending.WithLabelValues(stage).Set(float64(maxAckPending))
}

// Scored records a chunk's quality.
func (m *Metrics) Scored(mode extraction.Mode, quality float64) {
	m.quality.WithLabelValues(string(mode)).Observe(quality)
}

// Hopped counts a chunk sent to a richer mode.
func (m *Metrics) Hopped(from, to extraction.Mode) {
	m.hops.WithLabelValues(string(from), string(to)).Inc()
}

// Accepted counts an accepted chunk result.
func (m *Metrics) Accepted(mode extraction.Mode) { m.accepted.WithLabelValues(string(mode)).Inc() }

// LLMItems counts what an LLM pass kept and dropped.
func (m *Metrics) LLMItems(kept, dropped int) {
	m.llmItems.WithLabelValues("kept").Add(float64(kept))
	m.llmItems.WithLabelValues("dropped").Add(float64(dropped))
}

// Called records one LLM call.
func (m *Metrics) Called(took time.Duration, err error) {
	switch {
	case err == nil:
		m.llmCalls.WithLabelValues("ok").Inc()
	case errors.Is(err, llm.ErrUnavailable):
		m.llmCalls.WithLabelValues("refused").Inc()
		return
	default:
		m.llmCalls.WithLabelValues("error").Inc()
	}
	m.llmLatency.Observe(took.Seconds())
}

// Breaker records the LLM breaker's state.
func (m *Metrics) Breaker(open bool) {
	v := 0.0
	if open {
		v = 1
	}
	m.llmBreaker.Set(v)
}
