package stage

import (
	"context"
	"fmt"
	"time"

	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/event"
)

// batchWindow is how many outputs of one handling may wait for JetStream's
// acknowledgement at once.
const batchWindow = 256

// maxWorkersInFlight is how many workers' batches the publisher of one stage
// carries at once before nats.go would stall them: far above any sizing.
const maxWorkersInFlight = 256

// PublishTimeout bounds the wait for JetStream's acknowledgement of one
// published message: a node that fails over, or a stream without a leader, is
// an error worth a retry after that long, not a worker stuck for minutes.
const PublishTimeout = 15 * time.Second

// Publisher publishes events as watermill messages with the event's own message
// id as Nats-Msg-Id, so a repeated publish is a no-op. Publish waits for
// JetStream to store each message; a Batch keeps many in flight. Every wait for
// JetStream is bounded by PublishTimeout.
type Publisher struct {
	js      jetstream.JetStream
	marshal wmnats.NATSMarshaler
}

// NewPublisher publishes on nc; the caller keeps nc open while it publishes.
func NewPublisher(nc *nats.Conn) (*Publisher, error) {
	// Each batch bounds itself at batchWindow; the connection-wide bound only
	// has to stay above the sum of the batches of concurrent workers, or
	// nats.go stalls and then fails their publishes.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(maxWorkersInFlight*batchWindow),
		jetstream.WithPublishAsyncTimeout(PublishTimeout), jetstream.WithDefaultTimeout(PublishTimeout))
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	return &Publisher{js: js}, nil
}

// newMessage encodes e as a watermill message carrying its message id and the
// correlation id corr (empty: the event's message id).
func newMessage(e event.Event, corr string) (*message.Message, error) {
	payload, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", e, err)
	}
	m := message.NewMessage(e.MsgID(), payload)
	m.Metadata.Set(nats.MsgIdHdr, e.MsgID())
	if corr == "" {
		corr = e.MsgID()
	}
	m.Metadata.Set(MetaCorrelation, corr)
	return m, nil
}

// Publish sends e with the correlation id corr and waits until it is stored.
func (p *Publisher) Publish(ctx context.Context, e event.Event, corr string) error {
	m, err := newMessage(e, corr)
	if err != nil {
		return err
	}
	nm, err := p.marshal.Marshal(e.Subject(), m)
	if err != nil {
		return fmt.Errorf("encode %s (%s): %w", e.Subject(), e.MsgID(), err)
	}
	ctx, cancel := context.WithTimeout(ctx, PublishTimeout)
	defer cancel()
	if _, err := p.js.PublishMsg(ctx, nm); err != nil {
		return fmt.Errorf("publish %s (%s): %w", e.Subject(), e.MsgID(), err)
	}
	return nil
}

// Batch publishes the outputs of one handling without a round trip per
// message: Add sends at once and only waits when batchWindow messages are
// unconfirmed; Wait returns once JetStream stored all of them. The messages are
// watermill's own (its marshaler), so every subscriber reads them as before.
type Batch struct {
	p       *Publisher
	ctx     context.Context
	corr    string
	pending []pending
	sent    int
	err     error
}

type pending struct {
	f  jetstream.PubAckFuture
	id string
}

// Batch starts a batch for the outputs of one message, correlated by corr.
func (p *Publisher) Batch(ctx context.Context, corr string) *Batch {
	return &Batch{p: p, ctx: ctx, corr: corr}
}

// Add publishes e; an error of an earlier message of the batch is returned
// instead, and sticks.
func (b *Batch) Add(e event.Event) error {
	if b.err != nil {
		return b.err
	}
	if len(b.pending) >= batchWindow {
		if b.err = b.await(b.pending[0]); b.err != nil {
			return b.err
		}
		b.pending = b.pending[1:]
	}
	wm, err := newMessage(e, b.corr)
	if err != nil {
		b.err = err
		return err
	}
	nm, err := b.p.marshal.Marshal(e.Subject(), wm)
	if err != nil {
		b.err = fmt.Errorf("encode %s (%s): %w", e.Subject(), e.MsgID(), err)
		return b.err
	}
	if err := b.ctx.Err(); err != nil {
		b.err = err
		return err
	}
	f, err := b.p.js.PublishMsgAsync(nm)
	if err != nil {
		b.err = fmt.Errorf("publish %s (%s): %w", e.Subject(), e.MsgID(), err)
		return b.err
	}
	b.pending = append(b.pending, pending{f: f, id: e.MsgID()})
	b.sent++
	return nil
}

// Wait waits for every message of the batch to be stored and returns the
// first error.
func (b *Batch) Wait() error {
	for _, p := range b.pending {
		if err := b.await(p); err != nil && b.err == nil {
			b.err = err
		}
	}
	b.pending = nil
	return b.err
}

// Sent is the number of messages published.
func (b *Batch) Sent() int { return b.sent }

func (b *Batch) await(p pending) error {
	select {
	case <-p.f.Ok():
		return nil
	case err := <-p.f.Err():
		return fmt.Errorf("publish %s (%s): %w", p.f.Msg().Subject, p.id, err)
	case <-b.ctx.Done():
		return fmt.Errorf("publish %s (%s): %w", p.f.Msg().Subject, p.id, b.ctx.Err())
	}
}
