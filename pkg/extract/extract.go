// Package extract turns a detected document into normalized markdown-like text
// (headings and tables kept), stored in `blobs`; the docs.extracted event carries
// the reference.
package extract

import (
	"context"
	"fmt"
	"strings"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// Blobs reads and writes blobs by name.
type Blobs interface {
	Get(ctx context.Context, name string) ([]byte, error)
	PutBytes(ctx context.Context, name string, b []byte) error
}

// Config limits extraction.
type Config struct {
	// MaxText is the largest text accepted, in bytes. Default 256 MiB.
	MaxText int
}

func (c *Config) setDefaults() {
	if c.MaxText <= 0 {
		c.MaxText = 256 << 20
	}
}

// Extractor is the extract stage's logic.
type Extractor struct {
	cfg   Config
	blobs Blobs
}

// New returns an extractor over blobs.
func New(cfg Config, blobs Blobs) *Extractor {
	cfg.setDefaults()
	return &Extractor{cfg: cfg, blobs: blobs}
}

// textFormats are read as text in the given encoding.
var textFormats = map[string]bool{"markdown": true, "text": true, "csv": true, "json": true, "xml": true, "asn1": true}

// TextBlobName is the blobs object name of a document's extracted text.
func TextBlobName(doc event.Doc) string { return "text-" + doc.Hex() }

// Handle extracts the text of in.
func (x *Extractor) Handle(ctx context.Context, in event.Detected) ([]event.Event, error) {
	if !textFormats[in.Format] {
		return nil, fault.Permanentf("extract %s: %s documents are not supported", in.Doc.Source, in.Format)
	}
	if in.Doc.Size > int64(x.cfg.MaxText) {
		return nil, fault.Permanentf("extract %s: %d bytes is over the %d-byte text limit", in.Doc.Source, in.Doc.Size, x.cfg.MaxText)
	}
	raw, err := x.blobs.Get(ctx, in.Doc.Blob)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Doc.Source, err)
	}
	text, err := textnorm.Decode(raw, in.Encoding)
	if err != nil {
		return nil, fault.Permanent(fmt.Errorf("extract %s: %w", in.Doc.Source, err))
	}
	text = textnorm.Normalize(text)
	if strings.TrimSpace(text) == "" {
		return nil, fault.Permanentf("extract %s: no text in document", in.Doc.Source)
	}
	name := TextBlobName(in.Doc)
	if err := x.blobs.PutBytes(ctx, name, []byte(text)); err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Doc.Source, err)
	}
	return []event.Event{event.Extracted{
		V: event.Version, Doc: in.Doc, Format: in.Format, Encoding: in.Encoding,
		TextBlob: name, TextLen: len(text),
	}}, nil
}
