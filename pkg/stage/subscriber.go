package stage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// subscriber is watermill's message.Subscriber over one durable JetStream pull
// consumer, written against nats.go's jetstream API so that this package owns
// the lifecycle of every message:
//
//   - Demand-driven fetching: one fetcher pulls exactly as many messages as
//     workers are idle, so no message waits in a client buffer while its ack
//     wait runs out (a buffered message would be redelivered elsewhere, or, after
//     a crash, only once the ack wait passed).
//   - In-progress acks: while a handler works, the message's ack wait is renewed
//     every Heartbeat, so ack waits stay short (tens of seconds) however long the
//     work takes, and a crashed worker's messages come back within one ack wait.
//   - One owner per channel: each worker goroutine is the only sender on its
//     output channel and closes it itself after its last send. (watermill-nats
//     v2.1.3 closes the output channel from a monitor goroutine while the
//     consume callback may still be sending on it: a data race, and a panic
//     "send on closed channel" when a stage stops under load.)
//   - A clean stop: Close stops fetching; messages fetched but not yet handed
//     to a worker are nak'ed at once, so another consumer takes them now rather
//     than after the ack wait; handlers still working get StopGrace to finish,
//     then their context is cancelled and their messages nak'ed.
type subscriber struct {
	js       jetstream.JetStream
	stream   string
	consumer string
	cfg      subConfig
	log      *zap.Logger

	startOnce sync.Once
	cons      jetstream.Consumer
	consErr   error

	// idle carries the inbox of each worker ready for a message.
	idle        chan chan jetstream.Msg
	closing     chan struct{}
	closeOnce   sync.Once
	fetcherDone chan struct{}
	// hard is the parent of every message context: cancelled StopGrace after
	// Close, so handlers that have not finished by then give up.
	hard     context.Context
	hardStop context.CancelFunc
}

type subConfig struct {
	// AckWait is the consumer's ack wait.
	AckWait time.Duration
	// Heartbeat is how often a message in work has its ack wait renewed.
	Heartbeat time.Duration
	// FetchWait bounds one pull request: a pull parked on a server that died
	// is given up after it.
	FetchWait time.Duration
	// StopGrace is how long Close lets handlers in work finish.
	StopGrace time.Duration
	// NakDelay spaces redeliveries after failures.
	NakDelay backoff
	// Call bounds one JetStream API call (looking up the consumer).
	Call time.Duration
}

var _ message.Subscriber = (*subscriber)(nil)

func newSubscriber(js jetstream.JetStream, stream, consumer string, cfg subConfig, log *zap.Logger) *subscriber {
	hard, stop := context.WithCancel(context.Background())
	return &subscriber{
		js: js, stream: stream, consumer: consumer, cfg: cfg, log: log,
		idle:        make(chan chan jetstream.Msg),
		closing:     make(chan struct{}),
		fetcherDone: make(chan struct{}),
		hard:        hard,
		hardStop:    stop,
	}
}

// Subscribe starts one worker: a channel that carries one message at a time,
// the next only once the previous is acked or nacked. The topic is ignored:
// the subscriber reads its one durable consumer.
func (s *subscriber) Subscribe(ctx context.Context, _ string) (<-chan *message.Message, error) {
	s.startOnce.Do(func() {
		cctx, cancel := context.WithTimeout(ctx, s.cfg.Call)
		defer cancel()
		s.cons, s.consErr = s.js.Consumer(cctx, s.stream, s.consumer)
		if s.consErr != nil {
			s.consErr = fmt.Errorf("consumer %s on stream %s (apply streams/ first): %w", s.consumer, s.stream, s.consErr)
			close(s.fetcherDone)
			return
		}
		go s.fetch()
	})
	if s.consErr != nil {
		return nil, s.consErr
	}
	out := make(chan *message.Message)
	go s.work(ctx, out)
	return out, nil
}

// Close stops fetching and, after StopGrace, cancels the handlers still in
// work. watermill's router calls it once per handler: only the first counts.
func (s *subscriber) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		time.AfterFunc(s.cfg.StopGrace, s.hardStop)
	})
	return nil
}

// stopping reports whether Close was called: a handler failing then failed
// because it was stopped, not because of its message.
func (s *subscriber) stopping() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// fetch pulls as many messages as workers are waiting for and hands each to one.
func (s *subscriber) fetch() {
	defer close(s.fetcherDone)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.closing
		cancel()
	}()
	var ready []chan jetstream.Msg
	failures := 0
	for {
		if len(ready) == 0 {
			select {
			case in := <-s.idle:
				ready = append(ready, in)
			case <-s.closing:
				return
			}
		}
	more:
		for {
			select {
			case in := <-s.idle:
				ready = append(ready, in)
			default:
				break more
			}
		}
		fctx, fcancel := context.WithTimeout(ctx, s.cfg.FetchWait)
		batch, err := s.cons.Fetch(len(ready), jetstream.FetchContext(fctx))
		if err == nil {
			for m := range batch.Messages() {
				if s.stopping() {
					s.nak(m, 0)
					continue
				}
				ready[0] <- m // buffered: never blocks
				ready = ready[1:]
			}
			err = batch.Error()
		}
		fcancel()
		switch {
		case s.stopping():
			return
		case err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoMessages):
			failures = 0
		default:
			// Disconnected, no responders while a node fails over, consumer
			// leadership moving: wait a little and pull again.
			failures++
			if failures == 1 || failures%20 == 0 {
				s.log.Warn("pull from consumer failed, retrying", zap.String("consumer", s.consumer),
					zap.Int("failures", failures), zap.Error(err))
			}
			select {
			case <-time.After(min(time.Duration(failures)*250*time.Millisecond, 2*time.Second)):
			case <-s.closing:
				return
			}
		}
	}
}

// work feeds out one message at a time until the subscriber closes or ctx ends.
func (s *subscriber) work(ctx context.Context, out chan<- *message.Message) {
	inbox := make(chan jetstream.Msg, 1)
	defer func() {
		// A message the fetcher handed over after this worker stopped waiting
		// goes back at once. (Registered first, so it runs after out is closed.)
		<-s.fetcherDone
		select {
		case m := <-inbox:
			s.nak(m, 0)
		default:
		}
	}()
	defer close(out)
	for {
		select {
		case s.idle <- inbox:
		case <-s.closing:
			return
		case <-ctx.Done():
			return
		}
		var m jetstream.Msg
		select {
		case m = <-inbox:
		case <-s.closing:
			return
		case <-ctx.Done():
			return
		}
		if !s.deliver(ctx, m, out) {
			return
		}
	}
}

// deliver hands m to the router and settles it: ack, nak with a delay, or
// (stopping) nak at once. It keeps the message's ack wait renewed meanwhile.
// It returns false when the router no longer reads out.
func (s *subscriber) deliver(ctx context.Context, m jetstream.Msg, out chan<- *message.Message) bool {
	wm, _ := unmarshaler{}.Unmarshal(m)
	mctx, cancel := context.WithCancel(s.hard)
	defer cancel()
	wm.SetContext(mctx)
	select {
	case out <- wm:
	case <-ctx.Done():
		s.nak(m, 0)
		return false
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-wm.Acked():
			// A plain ack instead of a confirmed one: should an ack be lost, the
			// message is redelivered and its outputs deduplicated by their ids.
			if err := m.Ack(); err != nil {
				s.log.Warn("cannot ack, the message will be redelivered", zap.String("msg_id", wm.UUID), zap.Error(err))
			}
			return true
		case <-wm.Nacked():
			delay := time.Duration(0)
			if !s.stopping() {
				if md, err := m.Metadata(); err == nil {
					delay = s.cfg.NakDelay.WaitTime(md.NumDelivered)
				}
			}
			s.nak(m, delay)
			return true
		case <-beat.C:
			if err := m.InProgress(); err != nil {
				s.log.Debug("cannot renew the ack wait", zap.String("msg_id", wm.UUID), zap.Error(err))
			}
		}
	}
}

func (s *subscriber) nak(m jetstream.Msg, delay time.Duration) {
	var err error
	if delay > 0 {
		err = m.NakWithDelay(delay)
	} else {
		err = m.Nak()
	}
	if err != nil {
		s.log.Debug("cannot nak, the message returns after its ack wait", zap.String("subject", m.Subject()), zap.Error(err))
	}
}
