package blobstore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
)

// Memory is the blob store of a process that runs every stage itself without a
// broker (the in-memory runner of `process --direct`): names map to bytes held
// for the life of the run, with the Store's semantics (a name is stored once,
// its first bytes kept; an unknown name is ErrNotFound).
type Memory struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{m: map[string][]byte{}} }

// Put stores what r reads under name, unless name is stored already.
func (b *Memory) Put(ctx context.Context, name string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("blob %s: %w", name, err)
	}
	return b.PutBytes(ctx, name, data)
}

// PutBytes stores a copy of data under name, unless name is stored already.
func (b *Memory) PutBytes(_ context.Context, name string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[name]; !ok {
		b.m[name] = bytes.Clone(data)
	}
	return nil
}

// Get returns the bytes stored under name; callers must not change them.
func (b *Memory) Get(_ context.Context, name string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return data, nil
}

// Open returns a reader of the bytes stored under name.
func (b *Memory) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	data, err := b.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// Size returns the size of the bytes stored under name and whether it is stored.
func (b *Memory) Size(_ context.Context, name string) (int64, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[name]
	return int64(len(data)), ok, nil
}

// Head returns at most the first n bytes stored under name.
func (b *Memory) Head(ctx context.Context, name string, n int) ([]byte, error) {
	data, err := b.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return data[:min(n, len(data))], nil
}
