package chunk

import (
	"context"
	"fmt"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/fault"
)

// Blobs reads extracted text by name.
type Blobs interface {
	Get(ctx context.Context, name string) ([]byte, error)
}

// Stage is the chunk stage's logic: it splits a document's extracted text and
// sends every chunk to extraction in the start mode, each carrying the identity
// lines of its document so that a chunk deep inside still attributes its items.
type Stage struct {
	chunker *Chunker
	start   extraction.Mode
	blobs   Blobs
}

// NewStage returns the stage; start is the first mode of the routing ladder.
func NewStage(cfg Config, start extraction.Mode, blobs Blobs) (*Stage, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return &Stage{chunker: c, start: start, blobs: blobs}, nil
}

// Handle chunks in: one docs.chunked event with the count, then the chunks.
func (s *Stage) Handle(ctx context.Context, in event.Extracted) ([]event.Event, error) {
	raw, err := s.blobs.Get(ctx, in.TextBlob)
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", in.Doc.Source, err)
	}
	text := string(raw)
	pieces := s.chunker.Split(text)
	if len(pieces) == 0 {
		return nil, fault.Permanentf("chunk %s: no text to chunk", in.Doc.Source)
	}
	identity := extraction.IdentityContext(text)
	out := make([]event.Event, 0, len(pieces)+1)
	out = append(out, event.Chunked{V: event.Version, Doc: in.Doc, Format: in.Format, Total: len(pieces),
		Title: in.Title, Meta: in.Meta, Warnings: in.Warnings})
	for _, p := range pieces {
		out = append(out, event.Chunk{
			V: event.Version, Doc: in.Doc, Format: in.Format,
			Index: p.Index, Total: len(pieces), Headings: p.Headings,
			Context: identity, Text: p.Text, Mode: s.start,
		})
	}
	return out, nil
}
