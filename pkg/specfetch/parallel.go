package specfetch

import (
	"context"
	"sync"
)

// forEach calls fn for 0..n-1, each holding a slot of sem, and returns when
// all calls have. Once ctx is done, the indices not yet started are not called.
func forEach(ctx context.Context, n int, sem chan struct{}, fn func(ctx context.Context, i int)) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(ctx, i)
		}()
	}
	wg.Wait()
}

// keyLocks serializes work per key.
type keyLocks struct {
	mu   sync.Mutex
	busy map[string]chan struct{}
}

// lock waits until no one holds key, takes it, and returns its release.
func (k *keyLocks) lock(ctx context.Context, key string) (func(), error) {
	for {
		k.mu.Lock()
		if k.busy == nil {
			k.busy = make(map[string]chan struct{})
		}
		ch, held := k.busy[key]
		if !held {
			ch = make(chan struct{})
			k.busy[key] = ch
			k.mu.Unlock()
			return func() {
				k.mu.Lock()
				delete(k.busy, key)
				k.mu.Unlock()
				close(ch)
			}, nil
		}
		k.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
