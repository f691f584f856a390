package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
)

// ReplayConfig chooses what a replay runs again.
type ReplayConfig struct {
	// From is the first stage to run again: detect, extract or chunk (the
	// default: chunking and extraction again, as after a rules upgrade).
	From string
	// Source, when set, is a path.Match pattern the document's source must
	// match ("38331*", "*/*.docx").
	Source string
	// Since, when set, skips documents whose event is older.
	Since time.Time
}

// Replayed is a document sent through the pipeline again.
type Replayed struct {
	ID, Source string
}

// replaySubject is the subject of the event that feeds a replay's first stage.
func replaySubject(from string) (string, bool) {
	switch from {
	case names.StageDetect:
		return names.SubjectReceived, true
	case names.StageExtract:
		return names.SubjectDetected, true
	case names.StageChunk:
		return names.SubjectExtracted, true
	}
	return "", false
}

// Replay publishes again, from the DOCS stream's history, the event that feeds
// cfg.From, for the latest run of every document cfg selects, each marked with
// one new replay id (its message ids differ, so JetStream does not drop them as
// duplicates, and the results of the new run replace the old). It returns the
// documents sent.
func (p *Pipeline) Replay(ctx context.Context, cfg ReplayConfig) ([]Replayed, error) {
	if cfg.From == "" {
		cfg.From = names.StageChunk
	}
	subject, ok := replaySubject(cfg.From)
	if !ok {
		return nil, fmt.Errorf("replay from %q: want detect, extract or chunk", cfg.From)
	}
	if cfg.Source != "" {
		if _, err := path.Match(cfg.Source, ""); err != nil {
			return nil, fmt.Errorf("replay: source pattern %q: %w", cfg.Source, err)
		}
	}
	latest, order, err := p.history(ctx, subject, cfg)
	if err != nil {
		return nil, err
	}
	// Fixed width, so that ids order as the times they were made.
	replay := fmt.Sprintf("%020d", time.Now().UnixNano())
	var out []Replayed
	for _, id := range order {
		e, doc, err := withReplay(subject, latest[id], replay)
		if err != nil {
			return out, err
		}
		if err := p.pub.Publish(ctx, e, ""); err != nil {
			return out, fmt.Errorf("replay %s: %w", id, err)
		}
		out = append(out, Replayed{ID: id, Source: doc.Source})
	}
	p.log.Info("replay published", zap.String("from", cfg.From), zap.String("replay", replay), zap.Int("documents", len(out)))
	return out, nil
}

// history reads subject's messages in the DOCS stream and keeps the latest per
// document that cfg selects, in the order documents first appear.
func (p *Pipeline) history(ctx context.Context, subject string, cfg ReplayConfig) (map[string][]byte, []string, error) {
	occ := jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}}
	if !cfg.Since.IsZero() {
		occ.DeliverPolicy, occ.OptStartTime = jetstream.DeliverByStartTimePolicy, &cfg.Since
	}
	cons, err := p.js.OrderedConsumer(ctx, names.StreamDocs, occ)
	if err != nil {
		return nil, nil, fmt.Errorf("replay: read DOCS: %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("replay: read DOCS: %w", err)
	}
	latest, seen := map[string][]byte{}, 0
	var order []string
	for pending := info.NumPending; uint64(seen) < pending; {
		batch, err := cons.Fetch(256, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return nil, nil, fmt.Errorf("replay: read DOCS: %w", err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			var head struct {
				Doc event.Doc `json:"doc"`
			}
			if json.Unmarshal(m.Data(), &head) != nil || head.Doc.ID == "" {
				continue
			}
			if cfg.Source != "" {
				if ok, _ := path.Match(cfg.Source, head.Doc.Source); !ok {
					continue
				}
			}
			if _, ok := latest[head.Doc.ID]; !ok {
				order = append(order, head.Doc.ID)
			}
			latest[head.Doc.ID] = m.Data()
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoHeartbeat) {
			return nil, nil, fmt.Errorf("replay: read DOCS: %w", err)
		}
		if n == 0 {
			break // the stream shrank under us (retention): nothing more to read
		}
		seen += n
	}
	return latest, order, nil
}

// withReplay decodes a stored event of subject, marks its document with
// replay, and returns both.
func withReplay(subject string, data []byte, replay string) (event.Event, event.Doc, error) {
	switch subject {
	case names.SubjectReceived:
		return mark[event.Received](data, replay, func(e *event.Received) *event.Doc { return &e.Doc })
	case names.SubjectDetected:
		return mark[event.Detected](data, replay, func(e *event.Detected) *event.Doc { return &e.Doc })
	default:
		return mark[event.Extracted](data, replay, func(e *event.Extracted) *event.Doc { return &e.Doc })
	}
}

func mark[T event.Event](data []byte, replay string, doc func(*T) *event.Doc) (event.Event, event.Doc, error) {
	var e T
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, event.Doc{}, fmt.Errorf("replay: decode %T: %w", e, err)
	}
	d := doc(&e)
	d.Replay = replay
	return e, *d, nil
}
