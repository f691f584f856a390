package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/resultstore"
)

// kvSeen is the spec fetcher's dedup store over a KV bucket, shared by every
// ingest process of a cluster.
type kvSeen struct{ kv jetstream.KeyValue }

func (s kvSeen) Seen(ctx context.Context, key string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, resultstore.CallTimeout)
	defer cancel()
	_, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("specs seen %s: %w", key, err)
	}
	return true, nil
}

func (s kvSeen) Mark(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, resultstore.CallTimeout)
	defer cancel()
	if _, err := s.kv.Put(ctx, key, []byte("1")); err != nil {
		return fmt.Errorf("specs seen %s: %w", key, err)
	}
	return nil
}
