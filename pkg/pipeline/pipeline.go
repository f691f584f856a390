package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/blobstore"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/metrics"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/resultstore"
	"github.com/ranstream/ranstream/pkg/sizing"
	"github.com/ranstream/ranstream/pkg/stage"
	"github.com/ranstream/ranstream/streams"
)

// Pipeline is a connected process running some or all stages.
type Pipeline struct {
	cfg      Config
	log      *zap.Logger
	bus      *natsbus.Bus
	js       jetstream.JetStream
	topology streams.Set
	blobs    *blobstore.Store
	results  *resultstore.Store
	pub      *stage.Publisher
	// deps are what the stages are built from.
	deps *Deps
	// pressure holds stage intake while available RAM is below the floor.
	pressure *sizing.Pressure

	// metrics is nil without Config.Metrics.
	metrics     *metrics.Metrics
	metricsSrv  *metrics.Server
	stopMetrics context.CancelFunc
	// readyMu guards nc and js for /readyz, which runs while init sets them.
	readyMu sync.Mutex
	nc      *nats.Conn

	mu     sync.Mutex
	stages map[string]*running
	wg     sync.WaitGroup
}

type running struct {
	st     *stage.Stage
	cancel context.CancelFunc
	done   chan error
}

// Start connects, applies or checks the topology, and starts the configured
// stages. The pipeline stops when ctx ends; Close waits for that.
func Start(ctx context.Context, cfg Config, log *zap.Logger) (*Pipeline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	bus, err := natsbus.New(cfg.NATS, log)
	if err != nil {
		return nil, err
	}
	cfg.Ingest.setDefaults()
	p := &Pipeline{cfg: cfg, log: log, bus: bus, stages: map[string]*running{}}
	if err := p.serveMetrics(ctx); err != nil {
		bus.Close()
		return nil, err
	}
	if err := p.init(ctx); err != nil {
		p.closeMetrics()
		bus.Close()
		return nil, err
	}
	if p.metrics != nil {
		pctx, cancel := context.WithCancel(ctx)
		stop, polled := p.stopMetrics, make(chan struct{})
		p.stopMetrics = func() { cancel(); <-polled; stop() }
		go func() { defer close(polled); p.pollConsumers(pctx) }()
	}
	for _, name := range cfg.Stages {
		if err := p.StartStage(ctx, name); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

func (p *Pipeline) init(ctx context.Context) error {
	nc, js, err := p.bus.JetStream("control")
	if err != nil {
		return err
	}
	if p.topology, err = streams.Load(); err != nil {
		return err
	}
	// A cluster that is still electing its JetStream leader, or whose topology
	// another process is applying, answers with timeouts and "not found" for a
	// while: retry until TopologyWait is spent.
	apply := func(ctx context.Context) error { return streams.Check(ctx, js, p.topology) }
	if p.cfg.ApplyTopology {
		apply = func(ctx context.Context) error { return streams.Apply(ctx, js, p.topology, p.cfg.Topology) }
	}
	deadline := time.Now().Add(p.cfg.TopologyWait)
	for attempt := 1; ; attempt++ {
		err := apply(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		p.log.Info("waiting for the stream topology", zap.Int("attempt", attempt), zap.Error(err))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(time.Duration(attempt)*500*time.Millisecond, 5*time.Second)):
		}
	}
	p.readyMu.Lock()
	p.nc, p.js = nc, js
	p.readyMu.Unlock()
	if p.blobs, err = blobstore.Open(ctx, js, names.BucketBlobs); err != nil {
		return err
	}
	if p.results, err = resultstore.Open(ctx, js, names.BucketResults); err != nil {
		return err
	}
	if p.pub, err = stage.NewPublisher(nc); err != nil {
		return err
	}
	p.pressure = sizing.NewPressure(p.cfg.MemoryFloor, sizing.Cached(sizing.AvailableRAM, 500*time.Millisecond))
	o := DepsOptions{Blobs: p.blobs, Results: p.results}
	if p.metrics != nil {
		o.LLMObserver, o.RouteObserver = p.metrics, p.metrics
	}
	o.SpecsSeen = &kvSeen{js: js}
	p.deps, err = NewDeps(p.cfg, o, p.log)
	return err
}

// JetStream is the control connection's JetStream context.
func (p *Pipeline) JetStream() jetstream.JetStream { return p.js }

// Bus is the broker.
func (p *Pipeline) Bus() *natsbus.Bus { return p.bus }

// Results is the results store.
func (p *Pipeline) Results() *resultstore.Store { return p.results }

// StartStage starts the named stage in this process (tests restart stages).
func (p *Pipeline) StartStage(ctx context.Context, name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.stages[name]; ok {
		return fmt.Errorf("stage %s already running", name)
	}
	st, err := p.build(ctx, name)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(ctx)
	r := &running{st: st, cancel: cancel, done: make(chan error, 1)}
	p.stages[name] = r
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		err := st.Run(sctx)
		if err != nil {
			p.log.Error("stage failed", zap.String("stage", name), zap.Error(err))
		}
		r.done <- err
	}()
	select {
	case <-st.Running():
		return nil
	case err := <-r.done:
		r.done <- err
		return fmt.Errorf("stage %s did not start: %w", name, err)
	case <-time.After(30 * time.Second):
		return fmt.Errorf("stage %s did not start within 30s", name)
	}
}

// StopStage stops the named stage: messages in work finish or stay unacked and
// are redelivered to whoever consumes next.
func (p *Pipeline) StopStage(name string) error {
	p.mu.Lock()
	r, ok := p.stages[name]
	delete(p.stages, name)
	p.mu.Unlock()
	if !ok {
		return fmt.Errorf("stage %s not running", name)
	}
	r.cancel()
	err := <-r.done
	return err
}

func (p *Pipeline) build(ctx context.Context, name string) (*stage.Stage, error) {
	spec, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	sub, err := p.bus.Conn(name + "-sub")
	if err != nil {
		return nil, err
	}
	pub, err := p.bus.Conn(name + "-pub")
	if err != nil {
		return nil, err
	}
	cons, err := p.topology.Consumer(spec.Consumer)
	if err != nil {
		return nil, err
	}
	dec, err := p.size(ctx, name)
	if err != nil {
		return nil, err
	}
	ccfg := cons.Config
	ccfg.MaxAckPending = dec.MaxAckPending
	ccfg.AckWait = ackWait(p.cfg.Topology, ccfg.AckWait)
	if err := streams.ApplyConsumer(ctx, p.js, cons.Stream, ccfg); err != nil {
		return nil, err
	}
	timeout, err := cons.HandlerTimeout()
	if err != nil {
		return nil, err
	}
	scfg := stage.Config{
		Name: name, Stream: cons.Stream, Consumer: ccfg.Durable,
		Workers: dec.Workers, MaxDeliver: ccfg.MaxDeliver, AckWait: ccfg.AckWait, Timeout: timeout,
		Throttle: p.throttle(), Observer: p.stageObserver(),
	}
	h, err := spec.Build(ctx, p.deps)
	if err != nil {
		return nil, err
	}
	return h.Stage(scfg, sub, pub, p.log)
}

func (p *Pipeline) size(ctx context.Context, name string) (sizing.Decision, error) {
	res := p.cfg.Resources
	if res == nil {
		r, err := sizing.Detect(ctx)
		if err != nil {
			return sizing.Decision{}, fmt.Errorf("sizing %s: %w", name, err)
		}
		res = &r
	}
	prof, ok := sizing.DefaultProfiles()[name]
	if !ok {
		return sizing.Decision{}, fmt.Errorf("sizing: no cost profile for stage %s", name)
	}
	dec := sizing.Decide(*res, prof, sizing.Override{Workers: p.cfg.Workers[name], MaxAckPending: p.cfg.MaxAckPending[name]})
	if name == names.StageLLMExtract && p.cfg.LLM.Enabled() && p.cfg.Workers[name] == 0 {
		// Hybrid chunks wait on the LLM, which serves a few at a time: as many
		// workers again, so that rule-mode chunks are not stuck behind them.
		extra := p.cfg.LLM.Concurrency
		if extra <= 0 {
			extra = llm.DefaultConcurrency
		}
		dec.Workers += extra
		if p.cfg.MaxAckPending[name] == 0 {
			dec.MaxAckPending += 2 * extra
		}
		dec.Reason += fmt.Sprintf("; +%d workers for the LLM's calls", extra)
	}
	p.log.Info("sizing decision", dec.Fields()...)
	if p.metrics != nil {
		p.metrics.Sized(name, dec.Workers, dec.MaxAckPending)
	}
	return dec, nil
}

// throttle holds a stage's intake under memory pressure. With injected
// Resources the machine is not read at all, memory included.
func (p *Pipeline) throttle() func(context.Context) error {
	if p.cfg.MemoryFloor == 0 || p.cfg.Resources != nil {
		return nil
	}
	return p.pressure.Wait
}

// StopStages stops every stage and waits for messages in work to finish (or to
// be left unacked for redelivery); the broker stays up.
func (p *Pipeline) StopStages() {
	p.mu.Lock()
	for _, r := range p.stages {
		r.cancel()
	}
	p.stages = map[string]*running{}
	p.mu.Unlock()
	p.wg.Wait()
}

// Publish publishes e through the pipeline's control connection.
func (p *Pipeline) Publish(ctx context.Context, e event.Event) error {
	return p.pub.Publish(ctx, e, "")
}

// Close stops every stage, then closes the broker (the embedded server last).
func (p *Pipeline) Close() {
	p.closeMetrics()
	p.StopStages()
	p.bus.Close()
}

func (p *Pipeline) closeMetrics() {
	if p.stopMetrics != nil {
		p.stopMetrics()
		p.metricsSrv.Close()
		p.stopMetrics = nil
	}
}
