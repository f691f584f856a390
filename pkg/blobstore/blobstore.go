// Package blobstore keeps document bytes and extracted text in the JetStream
// Object Store bucket `blobs`, each stored once under a content-derived name, so
// that messages carry references instead of payloads.
package blobstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrNotFound is returned for a name the bucket does not hold.
var ErrNotFound = errors.New("blob not found")

// Store is a bucket of blobs.
type Store struct {
	obj jetstream.ObjectStore
}

// Open binds to an existing bucket (streams.Apply creates it).
func Open(ctx context.Context, js jetstream.JetStream, bucket string) (*Store, error) {
	obj, err := js.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("object store %s: %w", bucket, err)
	}
	return &Store{obj: obj}, nil
}

// Exists reports whether name is stored.
func (s *Store) Exists(ctx context.Context, name string) (bool, error) {
	_, err := s.obj.GetInfo(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("blob %s: %w", name, err)
	}
	return true, nil
}

// chunkSize is the size of the messages a blob is stored in. nats.go keeps up
// to 4000 of them in flight while it stores a blob, each held until JetStream
// acknowledges it: with its default of 128 KiB a 400 MB text put half a
// gigabyte in the client's memory; 32 KiB bounds that at 125 MiB.
const chunkSize = 32 << 10

// Put stores r under name unless name is already there: names are content
// hashes, so an existing blob is the same bytes.
func (s *Store) Put(ctx context.Context, name string, r io.Reader) error {
	ok, err := s.Exists(ctx, name)
	if err != nil || ok {
		return err
	}
	meta := jetstream.ObjectMeta{Name: name, Opts: &jetstream.ObjectMetaOptions{ChunkSize: chunkSize}}
	if _, err := s.obj.Put(ctx, meta, r); err != nil {
		return fmt.Errorf("store blob %s: %w", name, err)
	}
	return nil
}

// PutBytes stores b under name unless it is already there.
func (s *Store) PutBytes(ctx context.Context, name string, b []byte) error {
	return s.Put(ctx, name, bytes.NewReader(b))
}

// Get reads the whole blob.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	b, err := s.obj.GetBytes(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", name, err)
	}
	return b, nil
}

// Head reads at most n bytes from the start of the blob.
func (s *Store) Head(ctx context.Context, name string, n int) ([]byte, error) {
	r, err := s.obj.Get(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", name, err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", name, err)
	}
	return b, nil
}

// Open streams the blob; the caller closes it.
func (s *Store) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	r, err := s.obj.Get(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", name, err)
	}
	return r, nil
}

// Size reports the size of a stored blob; found is false when it is not stored.
func (s *Store) Size(ctx context.Context, name string) (size int64, found bool, err error) {
	info, err := s.obj.GetInfo(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("blob %s: %w", name, err)
	}
	return int64(info.Size), true, nil
}
