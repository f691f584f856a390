package pipeline

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/names"
)

// InboxConfig configures the Object Store inbox source.
type InboxConfig struct {
	// Remove deletes an object from the inbox once it is ingested.
	Remove bool
	// Retry is the wait before an object whose ingest failed is tried again;
	// it doubles with each failure in a row, up to MaxRetry. Defaults 1s, 2m.
	Retry, MaxRetry time.Duration
}

// WatchInbox ingests every object put into the `inbox` bucket
// (`nats object put inbox FILE`), those already there at start included, until
// ctx ends. An object whose document has results already is not published
// again. An object that could not be ingested (JetStream failing past the
// retries) stays in the bucket and is tried again with a growing delay; a new
// version of an object (put again under its name) supersedes the document of
// the earlier one. found is called for each document ingested.
func (p *Pipeline) WatchInbox(ctx context.Context, cfg InboxConfig, found func(docID, source string)) error {
	if cfg.Retry <= 0 {
		cfg.Retry = time.Second
	}
	if cfg.MaxRetry < cfg.Retry {
		cfg.MaxRetry = max(2*time.Minute, cfg.Retry)
	}
	obj, err := p.js.ObjectStore(ctx, names.BucketInbox)
	if err != nil {
		return fmt.Errorf("inbox bucket: %w", err)
	}
	w, err := obj.Watch(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("watch inbox: %w", err)
	}
	defer w.Stop() //nolint:errcheck // stopping a watcher on the way out
	p.log.Info("watching object store bucket", zap.String("bucket", names.BucketInbox))

	type failed struct {
		info     *jetstream.ObjectInfo
		failures int
		at       time.Time
	}
	retry := map[string]*failed{}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	rearm := func() {
		next := time.Hour
		for _, f := range retry {
			next = min(next, time.Until(f.at))
		}
		timer.Reset(max(next, 0))
	}
	handle := func(info *jetstream.ObjectInfo) {
		id, err := p.ingestObject(ctx, obj, info)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			f := retry[info.Name]
			if f == nil {
				f = &failed{}
				retry[info.Name] = f
			}
			f.info = info
			f.failures++
			delay := cfg.Retry << min(f.failures-1, 20)
			delay = min(delay, cfg.MaxRetry)
			delay += time.Duration((rand.Float64()*0.4 - 0.2) * float64(delay))
			f.at = time.Now().Add(delay)
			p.log.Warn("inbox object not ingested, will try again", zap.String("object", info.Name),
				zap.Int("failures", f.failures), zap.Duration("retry_in", delay), zap.Error(err))
			return
		}
		delete(retry, info.Name)
		if id != "" {
			found(id, info.Name)
		}
		if cfg.Remove {
			dctx, cancel := context.WithTimeout(ctx, p.cfg.Ingest.CallTimeout)
			defer cancel()
			if err := obj.Delete(dctx, info.Name); err != nil {
				p.log.Warn("inbox object not removed", zap.String("object", info.Name), zap.Error(err))
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case info, ok := <-w.Updates():
			if !ok {
				return nil
			}
			if info == nil || info.Deleted {
				continue // nil marks the end of the objects present at start
			}
			handle(info)
			rearm()
		case <-timer.C:
			for name, f := range retry {
				if time.Now().Before(f.at) {
					continue
				}
				// The object may have been removed or replaced meanwhile.
				gctx, cancel := context.WithTimeout(ctx, p.cfg.Ingest.CallTimeout)
				info, err := obj.GetInfo(gctx, name)
				cancel()
				switch {
				case err == jetstream.ErrObjectNotFound:
					delete(retry, name)
				case err != nil:
					handle(f.info) // fails again, and waits longer
				default:
					handle(info)
				}
			}
			rearm()
		}
	}
}

// ingestObject ingests one inbox object: its bytes into blobs (unless there
// already), docs.received (unless its document has results), then its
// version. See Ingest for what it returns.
func (p *Pipeline) ingestObject(ctx context.Context, obj jetstream.ObjectStore, info *jetstream.ObjectInfo) (string, error) {
	st := Stored{Source: info.Name, Input: "nuid=" + info.NUID}
	sum, err := jetstream.DecodeObjectDigest(info.Digest)
	if err != nil {
		return "", p.ingestFailed(ctx, info.Name, st.Input, 1, fault.Permanentf("inbox object %s: digest %q: %w", info.Name, info.Digest, err))
	}
	digest, size := hex.EncodeToString(sum), int64(info.Size)
	st.Attempts, st.Err = p.retry(ctx, "store", info.Name, func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, p.cfg.Ingest.CallTimeout)
		seen, err := p.blobs.Exists(cctx, ingest.BlobName(digest))
		cancel()
		if err != nil {
			return err
		}
		if seen {
			st.Ev = ingest.Received(digest, info.Name, "", size)
			return nil
		}
		gctx, cancel := context.WithTimeout(ctx, p.deps.Ingester.PutTimeout(size))
		defer cancel()
		r, err := obj.Get(gctx, info.Name)
		if err != nil {
			return fmt.Errorf("read inbox object %s: %w", info.Name, err)
		}
		defer r.Close()
		st.Ev, err = p.deps.Ingester.Reader(gctx, info.Name, "", digest, size, r)
		return err
	})
	id, err := p.Announce(ctx, st)
	if err != nil || id == "" {
		return id, err
	}
	return id, p.recordVersion(ctx, event.SourceVersion{V: event.Version, Intake: IntakeInbox, Source: info.Name, DocID: id, Version: info.NUID})
}
