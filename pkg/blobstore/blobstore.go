// Package blobstore keeps document bytes and extracted text in the JetStream
// Object Store bucket `blobs`, each stored once under a content-derived name, so
// that messages carry references instead of payloads.
package blobstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
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
	obj jetstream.ObjectStore
	// stream is the bucket's stream, whose chunk messages Get and Head read
	// by direct get; chunks is the subject prefix of those messages.
	stream       jetstream.Stream
	chunks       string
	callTimeout  time.Duration
	stallTimeout time.Duration
}

// Open binds to an existing bucket (streams.Apply creates it).
func Open(ctx context.Context, js jetstream.JetStream, bucket string) (*Store, error) {
	obj, err := js.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("object store %s: %w", bucket, err)
	}
	stream, err := js.Stream(ctx, "OBJ_"+bucket)
	if err != nil {
		return nil, fmt.Errorf("object store %s: stream: %w", bucket, err)
	}
	return &Store{obj: obj, stream: stream, chunks: "$O." + bucket + ".C.", callTimeout: CallTimeout, stallTimeout: StallTimeout}, nil
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

// directMax is the largest blob Get reads by direct gets, one request per
// chunk; a larger one streams through an ordered consumer, which costs a
// consumer's creation and deletion (more than a few direct gets: a
// document's blobs are read three times on their way through the stages)
// but moves many chunks per round trip.
const directMax = 1 << 20

// Get reads the whole blob and checks it against its digest.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	info, err := s.info(ctx, name)
	if err != nil {
		return nil, err
	}
	if info.Size > directMax {
		return s.getStreamed(ctx, name)
	}
	b, err := s.direct(ctx, info, int(info.Size))
	if err != nil {
		return nil, err
	}
	if err := checkDigest(info, b); err != nil {
		return nil, err
	}
	return b, nil
}

// getStreamed reads the whole blob through Open.
func (s *Store) getStreamed(ctx context.Context, name string) ([]byte, error) {
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

// Head reads at most n bytes from the start of the blob, by direct gets of
// its first chunks.
func (s *Store) Head(ctx context.Context, name string, n int) ([]byte, error) {
	info, err := s.info(ctx, name)
	if err != nil {
		return nil, err
	}
	return s.direct(ctx, info, min(n, int(min(info.Size, uint64(maxInt)))))
}

const maxInt = int(^uint(0) >> 1)

// info returns the blob's metadata; a deleted blob is not found.
func (s *Store) info(ctx context.Context, name string) (*jetstream.ObjectInfo, error) {
	cctx, cancel := s.call(ctx)
	defer cancel()
	info, err := s.obj.GetInfo(cctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) || (err == nil && info.Deleted) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", name, err)
	}
	return info, nil
}

// direct reads the first n bytes of a blob, chunk by chunk, each by a direct
// get of the next message on the blob's chunk subject (no consumer), each
// bounded by the call timeout.
func (s *Store) direct(ctx context.Context, info *jetstream.ObjectInfo, n int) ([]byte, error) {
	out := make([]byte, 0, n)
	subject := s.chunks + info.NUID
	seq := uint64(1)
	for len(out) < n {
		cctx, cancel := s.call(ctx)
		m, err := s.stream.GetMsg(cctx, seq, jetstream.WithGetMsgSubject(subject))
		cancel()
		if err != nil {
			return nil, fmt.Errorf("read blob %s: chunk after sequence %d: %w", info.Name, seq, err)
		}
		if len(m.Data) == 0 {
			return nil, fmt.Errorf("read blob %s: empty chunk at sequence %d", info.Name, m.Sequence)
		}
		out = append(out, m.Data[:min(len(m.Data), n-len(out))]...)
		seq = m.Sequence + 1
	}
	return out, nil
}

// checkDigest checks b against the blob's SHA-256 digest, as nats.go's own
// reader does at the end of a blob.
func checkDigest(info *jetstream.ObjectInfo, b []byte) error {
	sum := sha256.Sum256(b)
	if want := "SHA-256=" + base64.URLEncoding.EncodeToString(sum[:]); info.Digest != want {
		return fmt.Errorf("read blob %s: digest %s, want %s", info.Name, want, info.Digest)
	}
	if uint64(len(b)) != info.Size {
		return fmt.Errorf("read blob %s: %d bytes, want %d", info.Name, len(b), info.Size)
	}
	return nil
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
