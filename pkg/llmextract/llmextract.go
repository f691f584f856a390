// Package llmextract is the llm-extract stage's logic: the six-category
// extraction of one chunk in the mode its subject asks for. The rule modes run
// here; hybrid adds an LLM pass when one is configured.
package llmextract

import (
	"context"
	"errors"
	"fmt"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/fault"
)

// Extractor runs the extraction of a chunk.
type Extractor struct {
	rules *extraction.Extractor
}

// New returns an extractor; dict, the optional reference dictionary of
// parameters, counters and events, may be nil.
func New(dict extraction.Dictionary) *Extractor {
	return &Extractor{rules: extraction.NewExtractor(extraction.ExtractorConfig{Dictionary: dict})}
}

// Handle extracts in.Text in in.Mode.
func (x *Extractor) Handle(ctx context.Context, in event.Chunk) ([]event.Event, error) {
	res, err := x.rules.Extract(in.Mode, extraction.Input{Text: in.Text, Headings: in.Headings, Context: in.Context})
	if errors.Is(err, extraction.ErrModeUnavailable) {
		return nil, fault.Permanent(fmt.Errorf("chunk %s: %w", in.ChunkID(), err))
	}
	if err != nil {
		return nil, fmt.Errorf("chunk %s in mode %s: %w", in.ChunkID(), in.Mode, err)
	}
	in.ModesTried = append(in.ModesTried, in.Mode)
	return []event.Event{event.Extraction{V: event.Version, Chunk: in, Result: res}}, nil
}
