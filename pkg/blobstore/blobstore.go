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
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrNotFound is returned for a name the bucket does not hold.
var ErrNotFound = errors.New("blob not found")

// ErrStalled is the cause of a transfer given up because no byte moved for
// StallTimeout.
var ErrStalled = errors.New("blob transfer stalled")

// CallTimeout bounds one metadata call (an object's info): a handler whose
// server is unreachable fails fast and frees its worker instead of waiting
// out its own, much longer, deadline.
const CallTimeout = 15 * time.Second

// StallTimeout bounds a transfer by its progress rather than its size: storing
// or reading a blob fails once no byte moved for this long, so a 400 MB text
// takes what it takes, and a lost server is noticed within seconds.
const StallTimeout = 30 * time.Second

// call bounds one metadata call.
func (s *Store) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.callTimeout)
}

// WithTimeouts sets the bound of one metadata call and of a transfer without
// progress (CallTimeout and StallTimeout by default); tests shorten them.
func (s *Store) WithTimeouts(call, stall time.Duration) *Store {
	c := *s
	c.callTimeout, c.stallTimeout = call, stall
	return &c
}

// progress pushes a stall deadline ahead on every read that moves data.
type progress struct {
	r io.Reader
	c *stallContext
}

func (p progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.c.kick()
	}
	return n, err
}

// stalled wraps err with ErrStalled when c ended for lack of progress.
func stalled(c *stallContext, err error) error {
	if c.Stalled() {
		return fmt.Errorf("%w: no progress for %s (%v)", ErrStalled, c.d, err)
	}
	return err
}

// watched is a blob being read: each read that moves data pushes the stall
// deadline ahead; Close ends it.
type watched struct {
	io.ReadCloser
	c *stallContext
}

func (r watched) Read(b []byte) (int, error) {
	n, err := r.ReadCloser.Read(b)
	if n > 0 {
		r.c.kick()
	}
	if err != nil && err != io.EOF {
		err = stalled(r.c, err)
	}
	return n, err
}

func (r watched) Close() error {
	err := r.ReadCloser.Close()
	r.c.stop()
	return err
}

// Store is a bucket of blobs.
type Store struct {
	obj          jetstream.ObjectStore
	callTimeout  time.Duration
	stallTimeout time.Duration
}

// Open binds to an existing bucket (streams.Apply creates it).
func Open(ctx context.Context, js jetstream.JetStream, bucket string) (*Store, error) {
	obj, err := js.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("object store %s: %w", bucket, err)
	}
	return &Store{obj: obj, callTimeout: CallTimeout, stallTimeout: StallTimeout}, nil
}

// Exists reports whether name is stored.
func (s *Store) Exists(ctx context.Context, name string) (bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
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
	c := newStallContext(ctx, s.stallTimeout)
	defer c.stop()
	if _, err := s.obj.Put(c, meta, progress{r: r, c: c}); err != nil {
		return fmt.Errorf("store blob %s: %w", name, stalled(c, err))
	}
	return nil
}

// PutBytes stores b under name unless it is already there.
func (s *Store) PutBytes(ctx context.Context, name string, b []byte) error {
	return s.Put(ctx, name, bytes.NewReader(b))
}

// Get reads the whole blob.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	r, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", name, err)
	}
	return b, nil
}

// Head reads at most n bytes from the start of the blob.
func (s *Store) Head(ctx context.Context, name string, n int) ([]byte, error) {
	r, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", name, err)
	}
	return b, nil
}

// Open streams the blob; the caller closes it. A read that waits
// StallTimeout for data fails with ErrStalled.
func (s *Store) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	c := newStallContext(ctx, s.stallTimeout)
	r, err := s.obj.Get(c, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		c.stop()
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("open blob %s: %w", name, stalled(c, err))
	}
	return watched{ReadCloser: r, c: c}, nil
}

// Size reports the size of a stored blob; found is false when it is not stored.
func (s *Store) Size(ctx context.Context, name string) (size int64, found bool, err error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	info, err := s.obj.GetInfo(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("blob %s: %w", name, err)
	}
	return int64(info.Size), true, nil
}
