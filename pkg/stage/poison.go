package stage

import (
	"context"
	"strconv"

	"github.com/ThreeDotsLabs/watermill/message"
	json "github.com/go-json-experiment/json/v1"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
)

// poison sends a message that failed for good to dlq.<stage> with its reason and
// acks it: permanent errors and panics at once, transient errors on the last
// delivery the consumer allows. Other failures are nacked for redelivery.
type poison struct {
	cfg Config
	pub *Publisher
	log *zap.Logger
	// stopping reports a stage being stopped: a transient failure then comes
	// from the stop (a cancelled context), never from the message, and the
	// message goes back to the stream instead of to the dead letters.
	stopping func() bool
}

func (p poison) middleware(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := h(msg)
		if err == nil {
			return out, nil
		}
		transient := !fault.IsPermanent(err) && !isPanic(err)
		if transient && p.stopping != nil && p.stopping() {
			return nil, err
		}
		deliveries, _ := strconv.ParseUint(msg.Metadata.Get(MetaDeliveries), 10, 64)
		final := fault.IsPermanent(err) || isPanic(err) || deliveries >= uint64(p.cfg.MaxDeliver)
		if !final {
			p.log.Debug("transient failure, will be redelivered", zap.String("msg_id", msg.UUID),
				zap.Uint64("deliveries", deliveries), zap.Error(err))
			return nil, err
		}
		reason := err.Error()
		if transient {
			reason = "retries exhausted after " + strconv.FormatUint(deliveries, 10) + " deliveries: " + reason
		}
		dl := event.DeadLetter{
			V:             event.Version,
			Stage:         p.cfg.Name,
			Reason:        reason,
			Chunk:         -1,
			FailedSubject: msg.Metadata.Get(MetaSubject),
			Stream:        msg.Metadata.Get(MetaStream),
			OrigMsgID:     msg.UUID,
			Deliveries:    deliveries,
		}
		dl.StreamSeq, _ = strconv.ParseUint(msg.Metadata.Get(MetaStreamSeq), 10, 64)
		describe(msg.Payload, &dl)
		// The handler's context may be spent (timeout); the dead letter gets its own.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(msg.Context()), p.cfg.CallTimeout)
		defer cancel()
		if perr := p.pub.Publish(ctx, dl, msg.Metadata.Get(MetaCorrelation)); perr != nil {
			// Without a dead letter the message must not be acked: keep it.
			p.log.Error("cannot publish dead letter", zap.Error(perr), zap.String("reason", reason))
			return nil, perr
		}
		p.cfg.Observer.DeadLettered(p.cfg.Name)
		p.log.Warn("dead-lettered", zap.String("doc_id", dl.DocID), zap.String("source", dl.Source),
			zap.Int("chunk", dl.Chunk), zap.String("reason", reason))
		return nil, nil
	}
}

// describe fills the document fields of dl from whatever event the payload holds.
func describe(payload []byte, dl *event.DeadLetter) {
	var probe struct {
		Doc   *event.Doc `json:"doc"`
		Chunk *struct {
			Doc   event.Doc `json:"doc"`
			Index int       `json:"index"`
		} `json:"chunk"`
		Index *int `json:"index"`
		// A specs.download request: the spec (or series) and release asked for.
		Spec, Series, Version, Ticket string
		Release                       int
	}
	if json.Unmarshal(payload, &probe) != nil {
		return
	}
	switch {
	case probe.Doc == nil && probe.Chunk == nil && (probe.Spec != "" || probe.Series != ""):
		// As the request names itself (specfetch.Request.String).
		dl.Source = "3gpp:" + probe.Spec + probe.Series
		dl.Input = probe.Ticket
		switch {
		case probe.Version != "":
			dl.Source += "@" + probe.Version
		case probe.Release != 0:
			dl.Source += "@" + strconv.Itoa(probe.Release)
		}
	case probe.Chunk != nil:
		dl.DocID, dl.Source, dl.Chunk = probe.Chunk.Doc.ID, probe.Chunk.Doc.Source, probe.Chunk.Index
	case probe.Doc != nil:
		dl.DocID, dl.Source = probe.Doc.ID, probe.Doc.Source
		if probe.Index != nil {
			dl.Chunk = *probe.Index
		}
	}
}
