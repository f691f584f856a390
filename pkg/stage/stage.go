// Package stage turns pure stage logic, `Handle(ctx, In) ([]event.Event, error)`,
// into a watermill router reading a durable JetStream consumer. The logic never sees
// NATS or watermill; this adapter decodes, dead-letters, retries, times out,
// recovers from panics, publishes what the logic returns with deterministic
// Nats-Msg-Ids, and only then acks.
package stage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmjs "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/jetstream"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/logging"
)

// Metadata keys set on messages.
const (
	// MetaDeliveries carries JetStream's delivery count of the incoming message.
	MetaDeliveries = "Ranstream-Deliveries"
	// MetaDecodeError carries why a message could not be turned into a watermill message.
	MetaDecodeError = "Ranstream-Decode-Error"
	// MetaCorrelation follows a document through every stage.
	MetaCorrelation = "Ranstream-Correlation-Id"
	// MetaSubject carries the subject the incoming message was read from.
	MetaSubject = "Ranstream-Subject"
	// MetaStream and MetaStreamSeq locate the incoming message in its stream,
	// so that a dead letter can name the original for a redrive.
	MetaStream    = "Ranstream-Stream"
	MetaStreamSeq = "Ranstream-Stream-Seq"
)

// Handler is pure stage logic: one input, zero or more outputs.
type Handler[In any] func(ctx context.Context, in In) ([]event.Event, error)

// Emit publishes one output of a handling at once; an error means the output
// could not be sent (or an earlier one of the same handling failed) and the
// handler should return it.
type Emit = func(event.Event) error

// StreamHandler is stage logic whose outputs are too many to hold at once (the
// chunks of a very large document): it hands them to emit one by one. The input
// is acked only after the handler returns and every output is stored.
type StreamHandler[In any] func(ctx context.Context, in In, emit Emit) error

// Streaming turns a Handler into a StreamHandler.
func Streaming[In any](h Handler[In]) StreamHandler[In] {
	return func(ctx context.Context, in In, emit Emit) error {
		outs, err := h(ctx, in)
		if err != nil {
			return err
		}
		for _, o := range outs {
			if err := emit(o); err != nil {
				return err
			}
		}
		return nil
	}
}

// Config configures one stage's consumer loop.
type Config struct {
	// Name is the stage name, used in logs and in the dead-letter subject dlq.<Name>.
	Name string
	// Stream and Consumer name the durable consumer (defined in streams/) to read.
	Stream, Consumer string
	// Workers is how many messages are handled at once.
	Workers int
	// MaxDeliver is the consumer's delivery limit: the last delivery of a message
	// that still fails transiently is dead-lettered instead of nacked.
	MaxDeliver int
	// AckWait is the consumer's ack wait. A message in work has it renewed every
	// Heartbeat (in-progress acks), so it can stay short however long a handling
	// takes: it is how soon the messages of a crashed worker come back.
	AckWait time.Duration
	// Heartbeat is how often a message in work has its ack wait renewed.
	// Default a third of AckWait.
	Heartbeat time.Duration
	// Timeout bounds one handling (a huge document, an LLM call). Default 5m.
	Timeout time.Duration
	// CallTimeout bounds one JetStream call of the adapter itself (publishing
	// an output or a dead letter, looking up the consumer). Default 15s.
	CallTimeout time.Duration
	// FetchWait bounds one pull request. Default 5s.
	FetchWait time.Duration
	// StopGrace is how long a stopping stage lets handlers in work finish
	// before it cancels them; their messages are nak'ed for another consumer.
	// Default 10s.
	StopGrace time.Duration
	// Retries is how often a transient error is retried in-process before the
	// message is nacked for a later redelivery. 0 means the default, 2; a
	// negative value means none (the redelivery is the only retry).
	Retries int
	// RetryInterval is the first in-process retry delay. Default 100ms.
	RetryInterval time.Duration
	// NakDelay is the redelivery delay after the first nack; it doubles per
	// delivery up to 30s. Default 500ms.
	NakDelay time.Duration
	// Throttle, when set, is waited on before each message (memory pressure).
	Throttle func(ctx context.Context) error
	// Observer, when set, is told of every delivery, handling and dead letter
	// (metrics).
	Observer Observer
}

func (c *Config) setDefaults() {
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = c.AckWait / 3
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Minute
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 15 * time.Second
	}
	if c.FetchWait <= 0 {
		c.FetchWait = 5 * time.Second
	}
	if c.StopGrace <= 0 {
		c.StopGrace = 10 * time.Second
	}
	switch {
	case c.Retries == 0:
		c.Retries = 2
	case c.Retries < 0:
		c.Retries = 0
	}
	if c.RetryInterval == 0 {
		c.RetryInterval = 100 * time.Millisecond
	}
	if c.NakDelay == 0 {
		c.NakDelay = 500 * time.Millisecond
	}
	if c.MaxDeliver == 0 {
		c.MaxDeliver = 5
	}
	if c.Observer == nil {
		c.Observer = nopObserver{}
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.Name == "" || c.Stream == "" || c.Consumer == "" {
		return errors.New("stage: Name, Stream and Consumer are required")
	}
	if c.Heartbeat >= c.AckWait {
		return fmt.Errorf("stage %s: heartbeat %s not below ack wait %s would let messages in work be redelivered", c.Name, c.Heartbeat, c.AckWait)
	}
	return nil
}

// Stage is a running consumer loop.
type Stage struct {
	cfg    Config
	router *message.Router
	sub    *subscriber
	log    *zap.Logger
}

// New builds the stage on two connections of its own: subscribing drains sub on
// close, publishing uses pub. h handles the decoded payloads.
func New[In any](cfg Config, sub, pub *nats.Conn, h Handler[In], log *zap.Logger) (*Stage, error) {
	return NewStreaming(cfg, sub, pub, Streaming(h), log)
}

// NewStreaming is New for a handler that emits its outputs as it goes.
func NewStreaming[In any](cfg Config, sub, pub *nats.Conn, h StreamHandler[In], log *zap.Logger) (*Stage, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log = log.With(zap.String("stage", cfg.Name))
	wlog := logging.Watermill(log)

	js, err := jetstream.New(sub)
	if err != nil {
		return nil, fmt.Errorf("stage %s: jetstream: %w", cfg.Name, err)
	}
	subscriber := newSubscriber(js, cfg.Stream, cfg.Consumer, subConfig{
		Heartbeat: cfg.Heartbeat, FetchWait: cfg.FetchWait, StopGrace: cfg.StopGrace,
		NakDelay: backoff{first: cfg.NakDelay, max: 30 * time.Second}, Call: cfg.CallTimeout,
	}, log)
	publisher, err := NewPublisher(pub)
	if err != nil {
		return nil, fmt.Errorf("stage %s: %w", cfg.Name, err)
	}
	// Close lets handlers in work finish for StopGrace, then cancels them; their
	// nacks follow at once.
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: cfg.StopGrace + 5*time.Second}, wlog)
	if err != nil {
		return nil, fmt.Errorf("stage %s: router: %w", cfg.Name, err)
	}
	// Outermost first: correlation id, poison queue, retry (transient errors only),
	// timeout, recoverer. Retry sits inside the poison queue so that a permanent
	// error goes to the DLQ at once and a transient one only after its retries.
	router.AddMiddleware(
		received(cfg.Name, cfg.Observer),
		correlation,
		poison{cfg: cfg, pub: publisher, log: log, stopping: subscriber.stopping}.middleware,
		middleware.Retry{
			MaxRetries:          cfg.Retries,
			InitialInterval:     cfg.RetryInterval,
			MaxInterval:         2 * time.Second,
			Multiplier:          2,
			RandomizationFactor: 0.2,
			ResetContextOnRetry: true,
			ShouldRetry: func(p middleware.RetryParams) bool {
				return !fault.IsPermanent(p.Err) && !isPanic(p.Err)
			},
			Logger: wlog,
		}.Middleware,
		middleware.Timeout(cfg.Timeout),
		middleware.Recoverer,
	)
	handle := adapt(cfg, publisher, h, log)
	for i := range cfg.Workers {
		router.AddConsumerHandler(cfg.Name+"-"+strconv.Itoa(i), cfg.Consumer, subscriber, handle)
	}
	return &Stage{cfg: cfg, router: router, sub: subscriber, log: log}, nil
}

// Run handles messages until ctx ends, then stops taking new ones and lets
// those in work finish for StopGrace; the handlers still running then are
// cancelled and their messages nak'ed, so whoever consumes next takes them at once.
func (s *Stage) Run(ctx context.Context) error {
	s.log.Info("stage started", zap.String("consumer", s.cfg.Consumer), zap.Int("workers", s.cfg.Workers),
		zap.Duration("ack_wait", s.cfg.AckWait), zap.Duration("handler_timeout", s.cfg.Timeout))
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			// The router is closed, not its context cancelled: a cancelled
			// context stops the workers without a stop of the subscriber, and
			// the messages in work would never be released.
			_ = s.sub.Close()
			if err := s.router.Close(); err != nil {
				s.log.Warn("stage stop", zap.Error(err))
			}
		case <-stopped:
		}
	}()
	err := s.router.Run(context.WithoutCancel(ctx))
	s.log.Info("stage stopped")
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stage %s: %w", s.cfg.Name, err)
	}
	return nil
}

// Running is closed once the stage consumes.
func (s *Stage) Running() chan struct{} { return s.router.Running() }

// Close stops the stage.
func (s *Stage) Close() error {
	_ = s.sub.Close()
	return s.router.Close()
}

func adapt[In any](cfg Config, pub *Publisher, h StreamHandler[In], log *zap.Logger) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		if reason := msg.Metadata.Get(MetaDecodeError); reason != "" {
			return fault.Permanentf("undecodable message: %s", reason)
		}
		var in In
		if err := json.Unmarshal(msg.Payload, &in); err != nil {
			return fault.Permanentf("decode %T: %w", in, err)
		}
		if v, ok := any(in).(event.Versioned); ok && v.SchemaVersion() > event.Version {
			return fault.Permanentf("event schema v%d is newer than this build (v%d)", v.SchemaVersion(), event.Version)
		}
		ctx := msg.Context()
		if cfg.Throttle != nil {
			if err := cfg.Throttle(ctx); err != nil {
				return fmt.Errorf("waiting for memory: %w", err)
			}
		}
		// Outputs already stored when the handler fails stay: the retry
		// publishes them again under the same message ids, which JetStream drops.
		batch := pub.Batch(ctx, msg.Metadata.Get(MetaCorrelation))
		start := time.Now()
		err := h(ctx, in, batch.Add)
		if werr := batch.Wait(); err == nil {
			err = werr
		}
		cfg.Observer.Handled(cfg.Name, time.Since(start), batch.Sent(), err)
		if err != nil {
			return err
		}
		log.Debug("handled", zap.String("msg_id", msg.UUID), zap.Int("outputs", batch.Sent()))
		return nil
	}
}

// correlation makes sure every message has a correlation id, kept on its outputs.
func correlation(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		if msg.Metadata.Get(MetaCorrelation) == "" {
			msg.Metadata.Set(MetaCorrelation, msg.UUID)
		}
		return h(msg)
	}
}

func isPanic(err error) bool {
	var p middleware.RecoveredPanicError
	return errors.As(err, &p)
}

// backoff doubles the nak delay per delivery, up to max.
type backoff struct{ first, max time.Duration }

func (b backoff) WaitTime(n uint64) time.Duration {
	d := b.first
	for i := uint64(1); i < n && d < b.max; i++ {
		d *= 2
	}
	return min(d, b.max)
}

// unmarshaler never fails: a message it cannot convert carries the reason in
// metadata so that the poison queue dead-letters it instead of a nil message.
type unmarshaler struct{}

func (unmarshaler) Unmarshal(m jetstream.Msg) (*message.Message, error) {
	wm, err := wmjs.DefaultUnmarshaler{}.Unmarshal(m)
	if err != nil {
		wm = message.NewMessage(m.Headers().Get(nats.MsgIdHdr), m.Data())
		wm.Metadata.Set(MetaDecodeError, err.Error())
	}
	if wm.UUID == "" {
		wm.UUID = m.Headers().Get(nats.MsgIdHdr)
	}
	if wm.UUID == "" {
		wm.UUID = watermill.NewUUID()
	}
	wm.Metadata.Set(MetaSubject, m.Subject())
	if md, err := m.Metadata(); err == nil {
		wm.Metadata.Set(MetaDeliveries, strconv.FormatUint(md.NumDelivered, 10))
		wm.Metadata.Set(MetaStream, md.Stream)
		wm.Metadata.Set(MetaStreamSeq, strconv.FormatUint(md.Sequence.Stream, 10))
	}
	return wm, nil
}
