package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/metrics"
	"github.com/ranstream/ranstream/pkg/stage"
	"github.com/ranstream/ranstream/streams"
)

// serveMetrics starts the metrics server when Config.Metrics asks for one: a
// registry of this pipeline's own, and /readyz answering from Ready.
func (p *Pipeline) serveMetrics(ctx context.Context) error {
	if p.cfg.Metrics == "" {
		return nil
	}
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	m.Stages(p.cfg.Stages...)
	sctx, cancel := context.WithCancel(ctx)
	srv, err := metrics.Serve(sctx, p.cfg.Metrics, reg, p.Ready, p.log)
	if err != nil {
		cancel()
		return err
	}
	p.metrics, p.metricsSrv, p.stopMetrics = m, srv, cancel
	return nil
}

// MetricsAddr is the address metrics are served on ("" without --metrics).
func (p *Pipeline) MetricsAddr() string {
	if p.metricsSrv == nil {
		return ""
	}
	return p.metricsSrv.Addr()
}

// stageObserver is the observer a stage reports to: nil without metrics.
func (p *Pipeline) stageObserver() stage.Observer {
	if p.metrics == nil {
		return nil
	}
	return p.metrics
}

// errNotReady is the reason of /readyz before the topology was found.
var errNotReady = errors.New("connecting to NATS and checking the streams")

// Ready reports whether this process can work: connected to NATS and the
// streams and consumers of streams/ present.
func (p *Pipeline) Ready(ctx context.Context) error {
	p.readyMu.Lock()
	nc, js := p.nc, p.js
	p.readyMu.Unlock()
	if nc == nil || js == nil {
		return errNotReady
	}
	if st := nc.Status(); st != nats.CONNECTED {
		return fmt.Errorf("NATS connection %s", st)
	}
	if err := streams.Check(ctx, js, p.topology); err != nil {
		return err
	}
	return nil
}

// pollConsumers reads the backlog of the consumers of the stages this process
// runs every MetricsPoll, each read bounded, until ctx ends.
func (p *Pipeline) pollConsumers(ctx context.Context) {
	every := p.cfg.MetricsPoll
	if every <= 0 {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, name := range p.cfg.Stages {
			c, err := p.topology.Consumer(name)
			if err != nil {
				continue
			}
			cctx, cancel := context.WithTimeout(ctx, min(every, 5*time.Second))
			// Looking the consumer up reads its info afresh.
			cons, err := p.js.Consumer(cctx, c.Stream, c.Config.Durable)
			if err == nil {
				ci := cons.CachedInfo()
				p.metrics.Consumer(name, int(ci.NumPending), ci.NumAckPending, ci.NumRedelivered)
			} else if ctx.Err() == nil {
				p.log.Debug("consumer info for metrics", zap.String("stage", name), zap.Error(err))
			}
			cancel()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
