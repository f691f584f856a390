package specfetch

import (
	"context"
	"sync"
)

// Seen remembers which spec versions were fetched, so a version is downloaded
// once however often it is requested. Keys are Spec.Key values
// ("3gpp/38331-i40"). The pipeline implements it over a NATS KV bucket;
// MemorySeen serves tests and one-shot CLI runs.
type Seen interface {
	// Seen reports whether key was marked.
	Seen(ctx context.Context, key string) (bool, error)
	// Mark records key as fetched and delivered.
	Mark(ctx context.Context, key string) error
}

// MemorySeen is a Seen held in memory, safe for concurrent use. The zero value
// is ready to use.
type MemorySeen struct {
	mu   sync.Mutex
	keys map[string]bool
}

// Seen implements Seen.
func (m *MemorySeen) Seen(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.keys[key], nil
}

// Mark implements Seen.
func (m *MemorySeen) Mark(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = make(map[string]bool)
	}
	m.keys[key] = true
	return nil
}
