package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/eapache/go-resiliency/retrier"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/names"
)

// IngestConfig bounds how ingest waits for JetStream and retries it. A source
// is ingested when its bytes are stored in `blobs` and docs.received is
// acknowledged by JetStream; until both are, nobody may count it as done.
type IngestConfig struct {
	// Attempts is how many times a transient failure (a timeout, no response
	// from a stream while a node fails over) is tried before the source is
	// dead-lettered on dlq.ingest. Default 8.
	Attempts int
	// Backoff is the wait after the first failed attempt, doubled after each
	// one up to MaxBackoff, with a quarter of jitter. Defaults 500ms and 15s:
	// about 45 s of waiting over the 8 attempts.
	Backoff, MaxBackoff time.Duration
	// CallTimeout bounds one publish (docs.received, a dead letter) or lookup.
	// Default 10s.
	CallTimeout time.Duration
	// PutTimeout and PutRate bound storing a document's bytes: PutTimeout,
	// plus a second per PutRate bytes. Defaults 10s and 4 MiB/s.
	PutTimeout time.Duration
	PutRate    int64
}

func (c *IngestConfig) setDefaults() {
	if c.Attempts <= 0 {
		c.Attempts = 8
	}
	if c.Backoff <= 0 {
		c.Backoff = 500 * time.Millisecond
	}
	if c.MaxBackoff < c.Backoff {
		c.MaxBackoff = max(15*time.Second, c.Backoff)
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 10 * time.Second
	}
}

// ErrDeadLettered marks an ingest that failed for good and is recorded on
// dlq.ingest: after transient failures it may succeed if tried again later
// (the watched directory does), after a permanent one it cannot.
var ErrDeadLettered = errors.New("dead-lettered")

// Intakes of SourceVersion events.
const (
	IntakeWatch = "watch"
	IntakeInbox = "inbox"
)

// ingestRetrier retries transient failures of ingest with exponential backoff
// and jitter; permanent failures and a cancelled context end it at once.
func (p *Pipeline) ingestRetrier() *retrier.Retrier {
	c := p.cfg.Ingest
	r := retrier.New(retrier.LimitedExponentialBackoff(c.Attempts-1, c.Backoff, c.MaxBackoff), transient{})
	r.SetJitter(0.25)
	return r
}

// transient classifies errors for the retrier.
type transient struct{}

func (transient) Classify(err error) retrier.Action {
	switch {
	case err == nil:
		return retrier.Succeed
	case fault.IsPermanent(err), errors.Is(err, context.Canceled):
		return retrier.Fail
	}
	return retrier.Retry
}

// retry runs call until it succeeds, fails permanently, or the attempts are
// spent, logging each failure; it returns the last error and the attempts made.
func (p *Pipeline) retry(ctx context.Context, what, source string, call func(ctx context.Context) error) (int, error) {
	attempts := 0
	err := p.ingestRetrier().RunFn(ctx, func(ctx context.Context, _ int) error {
		attempts++
		err := call(ctx)
		if err != nil && !fault.IsPermanent(err) && ctx.Err() == nil {
			p.log.Warn("ingest: "+what+" failed, retrying", zap.String("source", source),
				zap.Int("attempt", attempts), zap.Int("of", p.cfg.Ingest.Attempts), zap.Error(err))
		}
		return err
	})
	return attempts, err
}

// Ingest stores the file at path and publishes it as source. It returns the
// document id once both are durable. A file that cannot be ingested for good
// (over the size limit, not a regular file) is dead-lettered on dlq.ingest:
// the id is then empty and the error nil. A file that kept failing
// transiently is dead-lettered too, and the error wraps ErrDeadLettered. Any
// other error means the file is neither ingested nor dead-lettered (JetStream
// unreachable past every retry): the caller must try again.
func (p *Pipeline) Ingest(ctx context.Context, path, source string) (string, error) {
	return p.Announce(ctx, p.Store(ctx, path, source))
}

// IngestWatched is Ingest for a file of the watched directory: once it is
// ingested, docs.version records which document the file now is, so that the
// document of its earlier content is marked superseded.
func (p *Pipeline) IngestWatched(ctx context.Context, path, source string) (string, error) {
	st := p.Store(ctx, path, source)
	id, err := p.Announce(ctx, st)
	if err != nil || id == "" {
		return id, err
	}
	return id, p.recordVersion(ctx, event.SourceVersion{V: event.Version, Intake: IntakeWatch, Source: source, DocID: id, Version: st.Input})
}

// Stored is a file whose bytes are in the blobs bucket (Ev), or the reason
// they are not (Err), not yet announced to the pipeline.
type Stored struct {
	Ev     event.Received
	Source string
	// Input tells this version of the file from others (size, modification
	// time): it makes a dead letter of it one of its own.
	Input string
	// Attempts is how many times storing was tried.
	Attempts int
	Err      error
}

// Store stores the file at path under source, without publishing it: several
// files can be stored at once and announced in a chosen order. Transient
// failures are retried (IngestConfig).
func (p *Pipeline) Store(ctx context.Context, path, source string) Stored {
	st := Stored{Source: source}
	if fi, err := os.Stat(path); err == nil {
		st.Input = fmt.Sprintf("size=%d mtime=%s", fi.Size(), fi.ModTime().UTC().Format(time.RFC3339Nano))
	}
	st.Attempts, st.Err = p.retry(ctx, "store", source, func(ctx context.Context) error {
		ev, err := p.deps.Ingester.File(ctx, path, source)
		st.Ev = ev
		return err
	})
	return st
}

// Announce publishes a stored file on docs.received, unless the document
// already has results (it was announced before, under this name or another),
// or dead-letters it on dlq.ingest when it could not be stored. See Ingest for
// what it returns.
func (p *Pipeline) Announce(ctx context.Context, st Stored) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if st.Err != nil {
		return "", p.ingestFailed(ctx, st.Source, st.Input, st.Attempts, st.Err)
	}
	attempts, err := p.retry(ctx, "announce", st.Source, func(ctx context.Context) error {
		return p.announce(ctx, st.Ev)
	})
	if err != nil {
		return "", p.ingestFailed(ctx, st.Source, st.Input, attempts, err)
	}
	return st.Ev.Doc.ID, nil
}

// announce publishes ev unless its document has results already.
func (p *Pipeline) announce(ctx context.Context, ev event.Received) error {
	cctx, cancel := context.WithTimeout(ctx, p.cfg.Ingest.CallTimeout)
	_, found, err := p.results.Doc(cctx, ev.Doc.ID)
	cancel()
	if err != nil {
		return err
	}
	if found {
		p.log.Debug("ingest: document has results already, not announced again", zap.String("doc_id", ev.Doc.ID), zap.String("source", ev.Doc.Source))
		return nil
	}
	return p.publishOne(ctx, ev)
}

// publishOne publishes e and waits until JetStream stored it, within the call timeout.
func (p *Pipeline) publishOne(ctx context.Context, e event.Event) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Ingest.CallTimeout)
	defer cancel()
	b := p.pub.Batch(ctx, "")
	if err := b.Add(e); err != nil {
		return err
	}
	return b.Wait()
}

// recordVersion publishes which document a watched file or inbox object now
// is, retried like the rest of ingest.
func (p *Pipeline) recordVersion(ctx context.Context, v event.SourceVersion) error {
	_, err := p.retry(ctx, "record version", v.Source, func(ctx context.Context) error { return p.publishOne(ctx, v) })
	if err != nil {
		return fmt.Errorf("ingest %s: record its version: %w", v.Source, err)
	}
	return nil
}

// ingestFailed dead-letters a source that could not be ingested and says
// what the caller should do: nil after a permanent failure, an error wrapping
// ErrDeadLettered after spent retries, the cause when even the dead letter
// could not be published (or the context ended).
func (p *Pipeline) ingestFailed(ctx context.Context, source, input string, attempts int, cause error) error {
	if ctx.Err() != nil {
		return cause
	}
	if fault.IsPermanent(cause) {
		return p.deadLetterIngest(ctx, source, input, cause.Error())
	}
	reason := fmt.Sprintf("retries exhausted after %d attempts: %v", attempts, cause)
	if err := p.deadLetterIngest(ctx, source, input, reason); err != nil {
		return err
	}
	return fmt.Errorf("ingest %s: %w: %w", source, ErrDeadLettered, cause)
}

// deadLetterIngest records a source that could not become a document. Its
// publish is retried too: a dead letter that cannot be written must not be
// taken for one that was.
func (p *Pipeline) deadLetterIngest(ctx context.Context, source, input, reason string) error {
	dl := event.DeadLetter{V: event.Version, Stage: names.StageIngest, Reason: reason, Source: source, Chunk: -1, FailedSubject: names.StageIngest, Input: input}
	if _, err := p.retry(ctx, "dead-letter", source, func(ctx context.Context) error { return p.publishOne(ctx, dl) }); err != nil {
		return fmt.Errorf("dead-letter %s: %w (cause: %s)", source, err, reason)
	}
	p.log.Warn("dead-lettered", zap.String("stage", names.StageIngest), zap.String("source", source), zap.String("reason", reason))
	return nil
}
