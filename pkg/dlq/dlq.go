// Package dlq reads and repairs the dead letters of the DLQ stream: it lists
// them by stage, reason and age, shows one whole, republishes the original
// input of a dead letter to its stage (a redrive, once the cause is fixed) and
// removes dead letters. The originals are found in their streams, which keep
// history: by the stream sequence the dead letter records, or, for a dead letter
// written before it recorded one, by its subject and message id.
package dlq

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
)

// Stream is the stream holding the dead letters (streams/DLQ.json).
const Stream = names.StreamDLQ

// CallTimeout bounds one JetStream call.
const CallTimeout = 10 * time.Second

// ErrNotFound is returned when a dead letter, or the original of one, is not
// in its stream (purged, or aged out of its retention).
var ErrNotFound = errors.New("not found")

// Letter is one dead letter as stored.
type Letter struct {
	// Seq is its sequence in the DLQ stream: what show, redrive and purge take.
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	event.DeadLetter
}

// Filter selects dead letters; the zero Filter selects all.
type Filter struct {
	// Stage keeps the dead letters of one stage.
	Stage string
	// Reason keeps those whose reason matches (a regular expression).
	Reason *regexp.Regexp
	// Since keeps those written within this long before now.
	Since time.Duration
	// Seqs keeps those of these sequences.
	Seqs []uint64
}

// ParseReason compiles a --reason pattern: a regular expression, case-insensitive.
func ParseReason(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	re, err := regexp.Compile("(?i)" + pattern)
	if err != nil {
		return nil, fmt.Errorf("--reason %q: %w", pattern, err)
	}
	return re, nil
}

func (f Filter) subject() string {
	if f.Stage == "" {
		return names.SubjectDLQPrefix + ">"
	}
	return names.SubjectDLQPrefix + f.Stage
}

func (f Filter) keep(l Letter) bool {
	if f.Reason != nil && !f.Reason.MatchString(l.Reason) {
		return false
	}
	if len(f.Seqs) > 0 {
		for _, s := range f.Seqs {
			if s == l.Seq {
				return true
			}
		}
		return false
	}
	return true
}

// Tool works on the dead letters through js.
type Tool struct {
	js jetstream.JetStream
}

// New returns a tool on js.
func New(js jetstream.JetStream) *Tool { return &Tool{js: js} }

// List returns the dead letters f selects, oldest first.
func (t *Tool) List(ctx context.Context, f Filter) ([]Letter, error) {
	var out []Letter
	err := scan(ctx, t.js, Stream, f.subject(), f.Since, func(m jetstream.Msg) (bool, error) {
		l, err := decode(m)
		if err != nil {
			return false, err
		}
		if f.keep(l) {
			out = append(out, l)
		}
		return true, nil
	})
	return out, err
}

// Count returns the number of dead letters per stage, read from the stream's
// subject counts.
func (t *Tool) Count(ctx context.Context) (map[string]int, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	s, err := t.js.Stream(ctx, Stream)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", Stream, err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(names.SubjectDLQPrefix+">"))
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", Stream, err)
	}
	out := map[string]int{}
	for subj, n := range info.State.Subjects {
		out[subj[len(names.SubjectDLQPrefix):]] += int(n)
	}
	return out, nil
}

// Get returns the dead letter of sequence seq and its raw payload.
func (t *Tool) Get(ctx context.Context, seq uint64) (Letter, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	s, err := t.js.Stream(ctx, Stream)
	if err != nil {
		return Letter{}, nil, fmt.Errorf("stream %s: %w", Stream, err)
	}
	raw, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Letter{}, nil, fmt.Errorf("dead letter %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return Letter{}, nil, fmt.Errorf("dead letter %d: %w", seq, err)
	}
	var l Letter
	if err := json.Unmarshal(raw.Data, &l.DeadLetter); err != nil {
		return Letter{}, nil, fmt.Errorf("dead letter %d: %w", seq, err)
	}
	l.Seq, l.Time = raw.Sequence, raw.Time
	return l, raw.Data, nil
}

// Purge removes the dead letters given; it returns how many it removed.
func (t *Tool) Purge(ctx context.Context, letters []Letter) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	s, err := t.js.Stream(ctx, Stream)
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", Stream, err)
	}
	n := 0
	for _, l := range letters {
		dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), CallTimeout)
		err := s.DeleteMsg(dctx, l.Seq)
		dcancel()
		if err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return n, fmt.Errorf("remove dead letter %d: %w", l.Seq, err)
		}
		if err == nil {
			n++
		}
	}
	return n, nil
}

// RedriveID is the Nats-Msg-Id of a redriven input: new, so that JetStream
// does not drop it as a duplicate of the original, and the same for one dead
// letter, so that redriving it twice publishes it once.
func RedriveID(l Letter) string {
	return "redrive:" + strconv.FormatUint(l.Seq, 10) + ":" + l.OrigMsgID
}

// Redrive publishes the original input of l again on its subject, for its
// stage to handle anew, and returns where it was stored.
func (t *Tool) Redrive(ctx context.Context, l Letter) (*jetstream.PubAck, error) {
	if l.FailedSubject == "" || (l.StreamSeq == 0 && l.OrigMsgID == "") {
		return nil, fmt.Errorf("dead letter %d (%s, %s) has no input message to redrive: ingest the file again", l.Seq, l.Stage, l.Source)
	}
	orig, err := t.original(ctx, l)
	if err != nil {
		return nil, err
	}
	msg := &nats.Msg{Subject: orig.Subject, Data: orig.Data, Header: nats.Header{}}
	for k, v := range orig.Header {
		msg.Header[k] = v
	}
	msg.Header.Set(nats.MsgIdHdr, RedriveID(l))
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	ack, err := t.js.PublishMsg(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("redrive dead letter %d to %s: %w", l.Seq, orig.Subject, err)
	}
	return ack, nil
}

// original finds the message that failed: by stream sequence, else by a
// search of its subject for its message id.
func (t *Tool) original(ctx context.Context, l Letter) (*jetstream.RawStreamMsg, error) {
	stream := l.Stream
	if stream == "" {
		sctx, cancel := context.WithTimeout(ctx, CallTimeout)
		name, err := t.js.StreamNameBySubject(sctx, l.FailedSubject)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("dead letter %d: stream of %s: %w", l.Seq, l.FailedSubject, err)
		}
		stream = name
	}
	if l.StreamSeq != 0 {
		gctx, cancel := context.WithTimeout(ctx, CallTimeout)
		defer cancel()
		s, err := t.js.Stream(gctx, stream)
		if err != nil {
			return nil, fmt.Errorf("stream %s: %w", stream, err)
		}
		m, err := s.GetMsg(gctx, l.StreamSeq)
		switch {
		case errors.Is(err, jetstream.ErrMsgNotFound):
			return nil, fmt.Errorf("dead letter %d: original %s #%d: %w (aged out of the stream's retention?)", l.Seq, stream, l.StreamSeq, ErrNotFound)
		case err != nil:
			return nil, fmt.Errorf("dead letter %d: original %s #%d: %w", l.Seq, stream, l.StreamSeq, err)
		case m.Subject != l.FailedSubject:
			return nil, fmt.Errorf("dead letter %d: %s #%d is on %s, not %s", l.Seq, stream, l.StreamSeq, m.Subject, l.FailedSubject)
		}
		return m, nil
	}
	if l.OrigMsgID == "" {
		return nil, fmt.Errorf("dead letter %d names no original message", l.Seq)
	}
	var found *jetstream.RawStreamMsg
	err := scan(ctx, t.js, stream, l.FailedSubject, 0, func(m jetstream.Msg) (bool, error) {
		h := m.Headers()
		if h.Get(nats.MsgIdHdr) != l.OrigMsgID && h.Get("_watermill_message_uuid") != l.OrigMsgID {
			return true, nil
		}
		md, err := m.Metadata()
		if err != nil {
			return false, err
		}
		found = &jetstream.RawStreamMsg{Subject: m.Subject(), Sequence: md.Sequence.Stream, Header: h, Data: m.Data(), Time: md.Timestamp}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("dead letter %d: original %s on %s in %s: %w", l.Seq, l.OrigMsgID, l.FailedSubject, stream, ErrNotFound)
	}
	return found, nil
}

func decode(m jetstream.Msg) (Letter, error) {
	md, err := m.Metadata()
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Seq: md.Sequence.Stream, Time: md.Timestamp}
	if err := json.Unmarshal(m.Data(), &l.DeadLetter); err != nil {
		// Still listed: what cannot be read is worth seeing.
		l.Stage = m.Subject()[len(names.SubjectDLQPrefix):]
		l.Reason = "unreadable dead letter: " + err.Error()
	}
	return l, nil
}

// scan feeds fn the messages of stream on subject (written within since, when
// set), oldest first, until fn returns false or none is left. Each fetch is
// bounded; the consumer is an ordered, ephemeral one.
func scan(ctx context.Context, js jetstream.JetStream, stream, subject string, since time.Duration, fn func(jetstream.Msg) (bool, error)) error {
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}, DeliverPolicy: jetstream.DeliverAllPolicy}
	if since > 0 {
		start := time.Now().Add(-since)
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &start
	}
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	cons, err := js.OrderedConsumer(cctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("read stream %s: %w", stream, err)
	}
	info, err := cons.Info(cctx)
	if err != nil {
		return fmt.Errorf("read stream %s: %w", stream, err)
	}
	left := info.NumPending
	for left > 0 {
		batch, err := cons.Fetch(int(min(left, 256)), jetstream.FetchMaxWait(CallTimeout))
		if err != nil {
			return fmt.Errorf("read stream %s: %w", stream, err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil {
				return err
			}
			left = md.NumPending
			more, err := fn(m)
			if err != nil || !more {
				return err
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return fmt.Errorf("read stream %s: %w", stream, err)
		}
		if got == 0 {
			break
		}
	}
	return nil
}
