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
//   - Small pulls: each worker has a pull subscription of its own that holds
//     at most one message beyond the one in work, so little waits in a client
//     buffer while its ack wait runs (a buffered message is redelivered
//     elsewhere, or after a crash, once the ack wait passed).
//   - In-progress acks: while a handler works, the message's ack wait is renewed
//     every Heartbeat, so ack waits stay short (tens of seconds) however long the
//     work takes, and a crashed worker's messages come back within one ack wait.
//   - One owner per channel: each worker goroutine is the only sender on its
//     output channel and closes it itself after its last send. (watermill-nats
//     v2.1.3 closes the output channel from a monitor goroutine while the
//     consume callback may still be sending on it: a data race, and a panic
//     "send on closed channel" when a stage stops under load.)
//   - A clean stop: Close drains every worker's subscription and naks what it
//     held at once, so another consumer takes it now rather than after the ack
//     wait; handlers still working get StopGrace to finish, then their context
//     is cancelled and their messages nak'ed.
type subscriber struct {
	js       jetstream.JetStream
	stream   string
	consumer string
	cfg      subConfig
	log      *zap.Logger

	startOnce sync.Once
	cons      jetstream.Consumer
	consErr   error

	closing   chan struct{}
	closeOnce sync.Once
	// hard is the parent of every message context: cancelled StopGrace after
	// Close, so handlers that have not finished by then give up.
	hard     context.Context
	hardStop context.CancelFunc
}

type subConfig struct {
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
		closing:  make(chan struct{}),
		hard:     hard,
		hardStop: stop,
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
		}
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

// work feeds out one message at a time until the subscriber closes or ctx
// ends, from a pull subscription of its own that holds at most one message
// beyond the one in work: pulls are not made per message (a subscription
// each), and little waits in a buffer while its ack wait runs. On a stop the
// subscription is drained and what it holds is nak'ed at once.
func (s *subscriber) work(ctx context.Context, out chan<- *message.Message) {
	defer close(out)
	failures := 0
	for !s.stopping() && ctx.Err() == nil {
		// Heartbeats at a quarter of the pull's expiry, not nats.go's
		// default half: the client gives up after two intervals without
		// one, and with half a busy 2-core machine running the whole
		// pipeline reported missing heartbeats on healthy pulls.
		iter, err := s.cons.Messages(jetstream.PullMaxMessages(1), jetstream.PullExpiry(s.cfg.FetchWait),
			jetstream.PullHeartbeat(s.cfg.FetchWait/4))
		if err != nil {
			failures++
			if failures == 1 || failures%20 == 0 {
				s.log.Warn("pull from consumer failed, retrying", zap.String("consumer", s.consumer),
					zap.Int("failures", failures), zap.Error(err))
			}
			select {
			case <-time.After(min(time.Duration(failures)*250*time.Millisecond, 2*time.Second)):
			case <-s.closing:
			case <-ctx.Done():
			}
			continue
		}
		failures = 0
		if !s.consume(ctx, iter, out) {
			return
		}
	}
}

// consume delivers the messages of iter until the subscriber stops (false)
// or the subscription ends with an error (true: make a new one).
func (s *subscriber) consume(ctx context.Context, iter jetstream.MessagesContext, out chan<- *message.Message) bool {
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-s.closing:
		case <-ctx.Done():
		case <-done:
		}
		iter.Drain()
	}()
	for {
		m, err := iter.Next()
		switch {
		case errors.Is(err, jetstream.ErrMsgIteratorClosed):
			return !s.stopping() && ctx.Err() == nil
		case err != nil:
			// A handling that holds its message longer than the pull's
			// heartbeat window leaves no pull open, and nats.go reports the
			// missing heartbeats: expected with one message at a time, so
			// it is logged at debug; anything else is a warning.
			lvl := zap.WarnLevel
			if errors.Is(err, jetstream.ErrNoHeartbeat) {
				lvl = zap.DebugLevel
			}
			s.log.Log(lvl, "pull subscription failed, renewing it", zap.String("consumer", s.consumer), zap.Error(err))
			// What the subscription holds goes back to the stream at once,
			// not after its ack wait.
			iter.Drain()
			for {
				m, err := iter.Next()
				if err != nil {
					break
				}
				s.nak(m, 0)
			}
			return true
		case s.stopping() || ctx.Err() != nil:
			s.nak(m, 0) // drained after a stop: back to the stream at once
		default:
			if !s.deliver(ctx, m, out) {
				// The router stopped reading: what the subscription holds
				// goes back at once too.
				iter.Drain()
				for {
					m, err := iter.Next()
					if err != nil {
						return false
					}
					s.nak(m, 0)
				}
			}
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
