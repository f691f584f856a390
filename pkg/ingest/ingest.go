// Package ingest turns a source (a file, bytes from the inbox bucket, an archive
// member) into a document: the bytes stored once in `blobs` under their sha256,
// and the docs.received event that starts the pipeline.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
)

// Blobs stores document bytes by name.
type Blobs interface {
	Put(ctx context.Context, name string, r io.Reader) error
}

// Config limits what ingest accepts and how long it waits for the store.
type Config struct {
	// MaxSize is the largest document accepted, in bytes. Default 512 MiB.
	MaxSize int64
	// PutTimeout bounds storing a small document's bytes; a larger one gets
	// one more second per PutRate bytes. Defaults 10s and 4 MiB/s: a blob put
	// never inherits an unbounded context, and a store that stopped answering
	// (a node failing over) fails the put in seconds, for the caller to retry.
	PutTimeout time.Duration
	PutRate    int64
}

func (c *Config) setDefaults() {
	if c.MaxSize <= 0 {
		c.MaxSize = 512 << 20
	}
	if c.PutTimeout <= 0 {
		c.PutTimeout = 10 * time.Second
	}
	if c.PutRate <= 0 {
		c.PutRate = 4 << 20
	}
}

// ErrChanged is returned when a file's bytes changed while it was read: its
// digest no longer names them. Trying again later reads a settled version.
var ErrChanged = errors.New("file changed while it was read")

// PutTimeout is how long storing size bytes may take.
func (i *Ingester) PutTimeout(size int64) time.Duration {
	return i.cfg.PutTimeout + time.Duration(size/i.cfg.PutRate)*time.Second
}

// put stores r under the blob name of digest within the put timeout of size.
func (i *Ingester) put(ctx context.Context, digest string, size int64, r io.Reader) error {
	ctx, cancel := context.WithTimeout(ctx, i.PutTimeout(size))
	defer cancel()
	return i.blobs.Put(ctx, BlobName(digest), r)
}

// Ingester stores documents and describes them.
type Ingester struct {
	cfg   Config
	blobs Blobs
}

// New returns an ingester storing into blobs.
func New(cfg Config, blobs Blobs) *Ingester {
	cfg.setDefaults()
	return &Ingester{cfg: cfg, blobs: blobs}
}

// BlobName is the blobs object name of document bytes with the given hex digest.
func BlobName(hexDigest string) string { return "doc-" + hexDigest }

// File ingests the file at path under the name source. An over-limit file is
// refused (permanently) without being read.
func (i *Ingester) File(ctx context.Context, path, source string) (event.Received, error) {
	f, err := os.Open(path)
	if err != nil {
		return event.Received{}, fault.Permanent(fmt.Errorf("ingest %s: %w", source, err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: %w", source, err)
	}
	if !st.Mode().IsRegular() {
		return event.Received{}, fault.Permanentf("ingest %s: not a regular file", source)
	}
	if st.Size() > i.cfg.MaxSize {
		return event.Received{}, fault.Permanentf("ingest %s: %d bytes is over the %d-byte size limit", source, st.Size(), i.cfg.MaxSize)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: hash: %w", source, err)
	}
	digest := hex.EncodeToString(h.Sum(nil))
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: rewind: %w", source, err)
	}
	// The bytes are read twice, to name them and to store them: they are
	// checked on the way, so that a file rewritten in between is never stored
	// under the digest of other bytes (the put fails instead).
	if err := i.put(ctx, digest, n, &verifying{r: io.LimitReader(f, n), h: sha256.New(), want: digest, size: n}); err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: %w", source, err)
	}
	return received(digest, source, "", n), nil
}

// Reader ingests size bytes from r whose sha256 (hex) the caller already knows,
// such as an Object Store object, under the name source. The bytes are checked
// against the digest on the way: other bytes are never stored under it.
func (i *Ingester) Reader(ctx context.Context, source, parent, hexDigest string, size int64, r io.Reader) (event.Received, error) {
	if size > i.cfg.MaxSize {
		return event.Received{}, fault.Permanentf("ingest %s: %d bytes is over the %d-byte size limit", source, size, i.cfg.MaxSize)
	}
	v := &verifying{r: io.LimitReader(r, size), h: sha256.New(), want: hexDigest, size: size}
	if err := i.put(ctx, hexDigest, size, v); err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: %w", source, err)
	}
	return received(hexDigest, source, parent, size), nil
}

// Bytes ingests b under the name source; parent is the archive's doc id for a member.
func (i *Ingester) Bytes(ctx context.Context, source, parent string, b []byte) (event.Received, error) {
	if int64(len(b)) > i.cfg.MaxSize {
		return event.Received{}, fault.Permanentf("ingest %s: %d bytes is over the %d-byte size limit", source, len(b), i.cfg.MaxSize)
	}
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])
	if err := i.put(ctx, digest, int64(len(b)), bytes.NewReader(b)); err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: %w", source, err)
	}
	return received(digest, source, parent, int64(len(b))), nil
}

// Received describes size bytes with the sha256 hexDigest, already stored in
// blobs, as the document source (parent: the archive's doc id for a member).
func Received(hexDigest, source, parent string, size int64) event.Received {
	return received(hexDigest, source, parent, size)
}

func received(digest, source, parent string, size int64) event.Received {
	return event.Received{V: event.Version, Doc: event.Doc{
		ID:     "sha256:" + digest,
		Source: source,
		Parent: parent,
		Blob:   BlobName(digest),
		Size:   size,
	}}
}

// verifying passes bytes through and, at their end, fails unless they are the
// size bytes whose sha256 is want.
type verifying struct {
	r    io.Reader
	h    hash.Hash
	want string
	size int64
	n    int64
}

func (v *verifying) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if err == io.EOF && (v.n != v.size || hex.EncodeToString(v.h.Sum(nil)) != v.want) {
		return n, ErrChanged
	}
	return n, err
}
