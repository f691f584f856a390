package stage

import (
	"context"
	"encoding/json"
	"fmt"

	wmjs "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/jetstream"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/logging"

	"github.com/ranstream/ranstream/pkg/event"
)

// Publisher publishes events through watermill's JetStream publisher with the
// event's own message id as Nats-Msg-Id, so a repeated publish is a no-op.
type Publisher struct {
	p *wmjs.Publisher
}

// NewPublisher publishes on nc; the caller keeps nc open while it publishes.
func NewPublisher(nc *nats.Conn, log *zap.Logger) (*Publisher, error) {
	p, err := wmjs.NewPublisher(wmjs.PublisherConfig{Conn: nc, Logger: logging.Watermill(log)})
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	return &Publisher{p: p}, nil
}

// Publish sends e with the correlation id corr (empty: the event's message id).
func (p *Publisher) Publish(ctx context.Context, e event.Event, corr string) error {
	payload, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode %T: %w", e, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m := message.NewMessage(e.MsgID(), payload)
	m.Metadata.Set(nats.MsgIdHdr, e.MsgID())
	if corr == "" {
		corr = e.MsgID()
	}
	m.Metadata.Set(MetaCorrelation, corr)
	if err := p.p.Publish(e.Subject(), m); err != nil {
		return fmt.Errorf("publish %s (%s): %w", e.Subject(), e.MsgID(), err)
	}
	return nil
}
