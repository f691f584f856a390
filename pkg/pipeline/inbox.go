package pipeline

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/ingest"
)

// InboxConfig configures the Object Store inbox source.
type InboxConfig struct {
	// Remove deletes an object from the inbox once it is ingested.
	Remove bool
}

// WatchInbox ingests every object put into the `inbox` bucket
// (`nats object put inbox FILE`), those already there at start included, until
// ctx ends. An object whose bytes were ingested before is not published again.
// found is called for each document published.
func (p *Pipeline) WatchInbox(ctx context.Context, cfg InboxConfig, found func(docID, source string)) error {
	obj, err := p.js.ObjectStore(ctx, BucketInbox)
	if err != nil {
		return fmt.Errorf("inbox bucket: %w", err)
	}
	w, err := obj.Watch(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("watch inbox: %w", err)
	}
	defer w.Stop() //nolint:errcheck // stopping a watcher on the way out
	p.log.Info("watching object store bucket", zap.String("bucket", BucketInbox))
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
			id, err := p.ingestObject(ctx, obj, info)
			if err != nil {
				p.log.Error("inbox object not ingested", zap.String("object", info.Name), zap.Error(err))
				continue
			}
			if id != "" {
				found(id, info.Name)
			}
			if cfg.Remove {
				if err := obj.Delete(ctx, info.Name); err != nil {
					p.log.Warn("inbox object not removed", zap.String("object", info.Name), zap.Error(err))
				}
			}
		}
	}
}

func (p *Pipeline) ingestObject(ctx context.Context, obj jetstream.ObjectStore, info *jetstream.ObjectInfo) (string, error) {
	sum, err := jetstream.DecodeObjectDigest(info.Digest)
	if err != nil {
		return "", p.deadLetterIngest(ctx, info.Name, fault.Permanentf("inbox object %s: digest %q: %w", info.Name, info.Digest, err))
	}
	digest := hex.EncodeToString(sum)
	seen, err := p.blobs.Exists(ctx, ingest.BlobName(digest))
	if err != nil || seen {
		return "", err
	}
	r, err := obj.Get(ctx, info.Name)
	if err != nil {
		return "", fmt.Errorf("read inbox object %s: %w", info.Name, err)
	}
	defer r.Close()
	ev, err := p.ingester.Reader(ctx, info.Name, "", digest, int64(info.Size), r)
	if err != nil {
		if fault.IsPermanent(err) {
			return "", p.deadLetterIngest(ctx, info.Name, err)
		}
		return "", err
	}
	if err := p.pub.Publish(ctx, ev, ev.Doc.ID); err != nil {
		return "", err
	}
	return ev.Doc.ID, nil
}

// deadLetterIngest records a source that could not become a document.
func (p *Pipeline) deadLetterIngest(ctx context.Context, source string, cause error) error {
	dl := event.DeadLetter{V: event.Version, Stage: StageIngest, Reason: cause.Error(), Source: source, Chunk: -1, FailedSubject: "ingest"}
	if err := p.pub.Publish(ctx, dl, ""); err != nil {
		return fmt.Errorf("dead-letter %s: %w (cause: %v)", source, err, cause)
	}
	p.log.Warn("dead-lettered", zap.String("stage", StageIngest), zap.String("source", source), zap.String("reason", cause.Error()))
	return nil
}
