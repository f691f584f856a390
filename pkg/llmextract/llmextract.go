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
	"github.com/ranstream/ranstream/pkg/llm"
)

// Notes a hybrid result carries when the LLM pass did not run or gave
// nothing usable; the result is then feature_grouped's.
const (
	NoteNoLLM      = "hybrid unavailable: no LLM configured; feature_grouped rules only"
	NoteLLMOpen    = "hybrid unavailable: LLM circuit breaker open after repeated failures; feature_grouped rules only"
	NoteLLMFailed  = "hybrid: the LLM call failed; feature_grouped rules only"
	NoteLLMGarbled = "hybrid: the LLM answer was not the JSON asked for; feature_grouped rules only"
)

// LLM answers extraction questions (*llm.Client).
type LLM interface {
	Complete(ctx context.Context, req llm.Request) (string, error)
	Available() bool
}

// Extractor runs the extraction of a chunk.
type Extractor struct {
	rules *extraction.Extractor
	llm   LLM
}

// New returns an extractor; dict, the optional reference dictionary of
// parameters, counters and events, may be nil.
func New(dict extraction.Dictionary) *Extractor {
	return &Extractor{rules: extraction.NewExtractor(extraction.ExtractorConfig{Dictionary: dict})}
}

// WithLLM gives hybrid its LLM and returns x.
func (x *Extractor) WithLLM(m LLM) *Extractor {
	x.llm = m
	return x
}

// Handle extracts in.Text in in.Mode.
func (x *Extractor) Handle(ctx context.Context, in event.Chunk) ([]event.Event, error) {
	if in.Mode == extraction.ModeHybrid {
		out, err := x.hybrid(ctx, in)
		if err != nil {
			return nil, err
		}
		return []event.Event{out}, nil
	}
	res, err := x.rules.Extract(in.Mode, input(in))
	if errors.Is(err, extraction.ErrModeUnavailable) {
		return nil, fault.Permanent(fmt.Errorf("chunk %s: %w", in.ChunkID(), err))
	}
	if err != nil {
		return nil, fmt.Errorf("chunk %s in mode %s: %w", in.ChunkID(), in.Mode, err)
	}
	in.ModesTried = append(in.ModesTried, in.Mode)
	return []event.Event{event.Extraction{V: event.Version, Chunk: in, Result: res}}, nil
}

func input(in event.Chunk) extraction.Input {
	return extraction.Input{Text: in.Text, Headings: in.Headings, Context: in.Context, Family: in.Family, Format: in.Format}
}

// hybrid runs feature_grouped's rules, then asks the LLM the question of the
// fine-tuning dataset and adds what of its answer the chunk's text grounds. An
// LLM that is missing, failing or answering nonsense leaves the rules' result,
// with a note saying so: the chunk is never lost to the LLM.
func (x *Extractor) hybrid(ctx context.Context, in event.Chunk) (event.Extraction, error) {
	base, err := x.rules.Extract(extraction.ModeFeatureGrouped, input(in))
	if err != nil {
		return event.Extraction{}, fmt.Errorf("chunk %s in mode hybrid: %w", in.ChunkID(), err)
	}
	in.ModesTried = append(in.ModesTried, in.Mode)
	out := event.Extraction{V: event.Version, Chunk: in, Result: base}
	if x.llm == nil {
		out.Note = NoteNoLLM
		return out, nil
	}
	if !x.llm.Available() {
		out.Note = NoteLLMOpen
		return out, nil
	}
	answer, err := x.llm.Complete(ctx, llm.Request{System: extraction.Prompt,
		User: extraction.Ask() + "\n\n" + extraction.UserMessage(in.Headings, in.Text), SchemaName: "extraction", Schema: extraction.Schema()})
	switch {
	case ctx.Err() != nil:
		return event.Extraction{}, fmt.Errorf("chunk %s in mode hybrid: %w", in.ChunkID(), ctx.Err())
	case errors.Is(err, llm.ErrUnavailable):
		out.Note = NoteLLMOpen
		return out, nil
	case err != nil:
		out.Note = NoteLLMFailed
		return out, nil
	}
	parsed, err := extraction.ParseAnswer(answer)
	if err != nil {
		out.Note = NoteLLMGarbled
		return out, nil
	}
	grounded, dropped := extraction.Ground(parsed, in.Text+"\n"+in.Context)
	merged := extraction.Result{}
	extraction.Merge(&merged, base)
	before := merged.Items()
	extraction.Merge(&merged, grounded)
	out.Result = merged
	out.LLM = &extraction.LLMUse{Kept: grounded.Items(), Dropped: dropped, Added: merged.Items() - before}
	return out, nil
}
