package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/resultstore"
)

// kvSeen is the spec fetcher's dedup store over the KV bucket specs-seen,
// shared by every ingest process of a cluster. The bucket is looked up at its
// first use: only the ingest stage needs it.
type kvSeen struct {
	js jetstream.JetStream
	mu sync.Mutex
	kv jetstream.KeyValue
}

func (s *kvSeen) bucket(ctx context.Context) (jetstream.KeyValue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kv == nil {
		kv, err := s.js.KeyValue(ctx, names.BucketSpecsSeen)
		if err != nil {
			return nil, fmt.Errorf("KV bucket %s: %w", names.BucketSpecsSeen, err)
		}
		s.kv = kv
	}
	return s.kv, nil
}

func (s *kvSeen) Seen(ctx context.Context, key string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, resultstore.CallTimeout)
	defer cancel()
	kv, err := s.bucket(ctx)
	if err != nil {
		return false, err
	}
	_, err = kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("specs seen %s: %w", key, err)
	}
	return true, nil
}

func (s *kvSeen) Mark(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, resultstore.CallTimeout)
	defer cancel()
	kv, err := s.bucket(ctx)
	if err != nil {
		return err
	}
	if _, err := kv.Put(ctx, key, []byte("1")); err != nil {
		return fmt.Errorf("specs seen %s: %w", key, err)
	}
	return nil
}
