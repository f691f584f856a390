package chunk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/fault"
)

// Blobs reads extracted text by name, whole or as a stream.
type Blobs interface {
	Get(ctx context.Context, name string) ([]byte, error)
	Open(ctx context.Context, name string) (io.ReadCloser, error)
}

// DefaultStreamAbove is the text size above which the stage streams a document
// instead of holding its text and chunks.
const DefaultStreamAbove = 8 << 20

// identityHead is how much of a streamed text is searched for the identity
// table of its document (feature documents state it near the top).
const identityHead = 256 << 10

// Stage is the chunk stage's logic: it splits a document's extracted text and
// sends every chunk to extraction in the start mode, each carrying the identity
// lines of its document so that a chunk deep inside still attributes its items.
type Stage struct {
	chunker *Chunker
	start   extraction.Mode
	// startFor, when set, chooses each chunk's start mode instead of start.
	startFor func(extraction.Input) extraction.Mode
	blobs    Blobs
	// streamAbove is the text size (bytes) above which the text is streamed.
	streamAbove int
}

// NewStage returns the stage; start is the first mode of the routing ladder.
func NewStage(cfg Config, start extraction.Mode, blobs Blobs) (*Stage, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return &Stage{chunker: c, start: start, blobs: blobs, streamAbove: DefaultStreamAbove}, nil
}

// StartFor makes the stage choose each chunk's start mode with choose (the
// router's classification) instead of the one start mode it was given; nil
// restores that. The caller leaves it unset when a mode was asked for.
func (s *Stage) StartFor(choose func(extraction.Input) extraction.Mode) { s.startFor = choose }

// StreamAbove sets the text size above which documents are streamed (tests
// lower it); n <= 0 restores the default.
func (s *Stage) StreamAbove(n int) {
	if n <= 0 {
		n = DefaultStreamAbove
	}
	s.streamAbove = n
}

// Handle chunks in and returns the docs.chunked event and the chunks.
func (s *Stage) Handle(ctx context.Context, in event.Extracted) ([]event.Event, error) {
	var out []event.Event
	err := s.Stream(ctx, in, func(e event.Event) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// Stream chunks in, handing emit one docs.chunked event with the count and then
// the chunks in order. A text up to the stream threshold is read whole; a larger
// one is read twice from the store, once to count its chunks (every chunk
// carries the total) and once to emit them, so that memory stays at the
// chunker's window however large the document.
func (s *Stage) Stream(ctx context.Context, in event.Extracted, emit func(event.Event) error) error {
	if in.TextLen > s.streamAbove {
		return s.streamLarge(ctx, in, emit)
	}
	raw, err := s.blobs.Get(ctx, in.TextBlob)
	if err != nil {
		return fmt.Errorf("chunk %s: %w", in.Doc.Source, err)
	}
	text := string(raw)
	pieces := s.chunker.Split(text)
	if len(pieces) == 0 {
		return fault.Permanentf("chunk %s: no text to chunk", in.Doc.Source)
	}
	fam := family(in, text)
	if err := emit(s.chunked(in, len(pieces), fam)); err != nil {
		return err
	}
	cs := newContexts(in, fam, text)
	for _, p := range pieces {
		if err := emit(s.chunk(in, p, len(pieces), cs.next(p), fam)); err != nil {
			return err
		}
	}
	return nil
}

// family decides the document's family from what extraction learned and the
// head of its text.
func family(in event.Extracted, head string) extraction.Family {
	return extraction.DetectFamily(extraction.DocInfo{Source: in.Doc.Source, Format: in.Format,
		Title: in.Title, Meta: in.Meta, Head: head})
}

// contexts gives each chunk, in order, the context its document's rules
// need: the identity lines of a feature document; for a 3GPP document the
// specification (first chunk) and the ASN.1 constructs the previous chunks
// left open, so that a type cut across chunks keeps its fields.
type contexts struct {
	family   extraction.Family
	identity string
	spec     string
	asn1     extraction.ASN1State
	whole    bool
	first    bool
}

func newContexts(in event.Extracted, fam extraction.Family, head string) *contexts {
	c := &contexts{family: fam, first: true, whole: in.Format == "asn1"}
	if fam != extraction.Family3GPP {
		c.identity = extraction.IdentityContext(head)
		return c
	}
	if spec := in.Meta["spec"]; spec != "" {
		title := in.Meta["title"]
		c.spec = extraction.SpecContext(spec, in.Meta["version"], in.Meta["release"], title)
	}
	return c
}

// next returns the context of piece p, the next chunk in order.
func (c *contexts) next(p Piece) string {
	if c.family != extraction.Family3GPP {
		return c.identity
	}
	var parts []string
	if c.first && c.spec != "" {
		parts = append(parts, c.spec)
	}
	c.first = false
	if open := c.asn1.String(); open != "" {
		parts = append(parts, open)
	}
	c.asn1 = extraction.CarryASN1(c.asn1, p.Text, c.whole)
	return strings.Join(parts, "\n")
}

func (s *Stage) streamLarge(ctx context.Context, in event.Extracted, emit func(event.Event) error) error {
	var head string
	total := 0
	err := s.pass(ctx, in, func(r io.Reader) error {
		buf := make([]byte, identityHead)
		n, err := io.ReadFull(r, buf)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return err
		}
		buf = buf[:n]
		lines := buf // whole lines only, unless that is all the text
		if k := bytes.LastIndexByte(buf, '\n'); k >= 0 && n == identityHead {
			lines = buf[:k+1]
		}
		head = string(lines)
		return s.chunker.Stream(io.MultiReader(bytes.NewReader(buf), r), 0, func(Piece) error {
			total++
			return ctx.Err()
		})
	})
	if err != nil {
		return err
	}
	if total == 0 {
		return fault.Permanentf("chunk %s: no text to chunk", in.Doc.Source)
	}
	fam := family(in, head)
	if err := emit(s.chunked(in, total, fam)); err != nil {
		return err
	}
	cs := newContexts(in, fam, head)
	sent := 0
	err = s.pass(ctx, in, func(r io.Reader) error {
		return s.chunker.Stream(r, 0, func(p Piece) error {
			sent++
			return emit(s.chunk(in, p, total, cs.next(p), fam))
		})
	})
	if err != nil {
		return err
	}
	if sent != total {
		return fmt.Errorf("chunk %s: text blob %s gave %d chunks on the second read, %d on the first", in.Doc.Source, in.TextBlob, sent, total)
	}
	return nil
}

// pass reads the text blob once through read.
func (s *Stage) pass(ctx context.Context, in event.Extracted, read func(io.Reader) error) error {
	r, err := s.blobs.Open(ctx, in.TextBlob)
	if err != nil {
		return fmt.Errorf("chunk %s: %w", in.Doc.Source, err)
	}
	defer r.Close()
	if err := read(r); err != nil {
		return fmt.Errorf("chunk %s: %w", in.Doc.Source, err)
	}
	return nil
}

func (s *Stage) chunked(in event.Extracted, total int, fam extraction.Family) event.Chunked {
	return event.Chunked{V: event.Version, Doc: in.Doc, Format: in.Format, Total: total,
		Title: in.Title, Meta: in.Meta, Warnings: in.Warnings, Family: fam}
}

func (s *Stage) chunk(in event.Extracted, p Piece, total int, context string, fam extraction.Family) event.Chunk {
	c := event.Chunk{
		V: event.Version, Doc: in.Doc, Format: in.Format,
		Index: p.Index, Total: total, Headings: p.Headings,
		Context: context, Text: p.Text, Mode: s.start, Family: fam,
	}
	if s.startFor != nil {
		c.Mode = s.startFor(extraction.Input{Text: c.Text, Headings: c.Headings, Context: c.Context, Family: fam, Format: c.Format})
	}
	return c
}
