// Package ingest turns a source (a file, bytes from the inbox bucket, an archive
// member) into a document: the bytes stored once in `blobs` under their sha256,
// and the docs.received event that starts the pipeline.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
)

// Blobs stores document bytes by name.
type Blobs interface {
	Put(ctx context.Context, name string, r io.Reader) error
}

// Config limits what ingest accepts.
type Config struct {
	// MaxSize is the largest document accepted, in bytes. Default 512 MiB.
	MaxSize int64
}

func (c *Config) setDefaults() {
	if c.MaxSize <= 0 {
		c.MaxSize = 512 << 20
	}
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
	if err := i.blobs.Put(ctx, BlobName(digest), io.LimitReader(f, n)); err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: %w", source, err)
	}
	return received(digest, source, "", n), nil
}

// Reader ingests size bytes from r whose sha256 (hex) the caller already knows,
// such as an Object Store object, under the name source.
func (i *Ingester) Reader(ctx context.Context, source, parent, hexDigest string, size int64, r io.Reader) (event.Received, error) {
	if size > i.cfg.MaxSize {
		return event.Received{}, fault.Permanentf("ingest %s: %d bytes is over the %d-byte size limit", source, size, i.cfg.MaxSize)
	}
	if err := i.blobs.Put(ctx, BlobName(hexDigest), io.LimitReader(r, size)); err != nil {
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
	if err := i.blobs.Put(ctx, BlobName(digest), bytes.NewReader(b)); err != nil {
		return event.Received{}, fmt.Errorf("ingest %s: %w", source, err)
	}
	return received(digest, source, parent, int64(len(b))), nil
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
