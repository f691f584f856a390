// Package route is the quality-route stage's logic: it scores a chunk's
// extraction and either sends the chunk back to the next richer mode or accepts
// the result into the document's record.
package route

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/quality"
	"github.com/ranstream/ranstream/pkg/results"
)

// Acceptor stores an accepted chunk result.
type Acceptor interface {
	Accept(ctx context.Context, rec results.ChunkRecord) error
}

// Observer is told the router's decisions, for metrics; nil observes nothing.
// Redelivered extractions are observed again.
type Observer interface {
	// Scored is called with every extraction's quality in the mode it was made in.
	Scored(mode extraction.Mode, quality float64)
	// Hopped is called when a chunk goes back to a richer mode.
	Hopped(from, to extraction.Mode)
	// Accepted is called when a result is accepted in mode.
	Accepted(mode extraction.Mode)
	// LLMItems is called with what hybrid's LLM pass gave for one chunk: items
	// grounded and kept, items dropped.
	LLMItems(kept, dropped int)
}

// Config sets the routing ladder and the thresholds.
type Config struct {
	// Ladder lists the available modes, cheapest first: a chunk climbs it while its
	// score stays below its mode's threshold. Default: the rule modes available.
	Ladder []extraction.Mode
	// Thresholds is the minimum quality per mode; default quality.DefaultThresholds.
	Thresholds map[extraction.Mode]float64
	// Unavailable explains modes left off the ladder (hybrid without an LLM), and
	// is recorded on results that stop below their threshold because of it.
	Unavailable map[extraction.Mode]string
	// Observer, when set, is told every score, hop and acceptance.
	Observer Observer
}

func (c *Config) setDefaults() {
	if len(c.Ladder) == 0 {
		c.Ladder = extraction.Available()
	}
	// A partial override (--threshold cmedit=0.8) keeps the defaults of the
	// other modes.
	t := quality.DefaultThresholds()
	for m, v := range c.Thresholds {
		t[m] = v
	}
	c.Thresholds = t
	if c.Observer == nil {
		c.Observer = nopObserver{}
	}
}

type nopObserver struct{}

func (nopObserver) Scored(extraction.Mode, float64)         {}
func (nopObserver) Hopped(extraction.Mode, extraction.Mode) {}
func (nopObserver) Accepted(extraction.Mode)                {}
func (nopObserver) LLMItems(int, int)                       {}

// Validate reports a ladder that cannot route.
func (c Config) Validate() error {
	for _, m := range c.Ladder {
		if !slices.Contains(extraction.Modes, m) {
			return fmt.Errorf("route: unknown mode %q", m)
		}
	}
	for m := range c.Thresholds {
		if !slices.Contains(extraction.Modes, m) {
			return fmt.Errorf("route: threshold for unknown mode %q", m)
		}
	}
	return nil
}

// Router decides per extraction.
type Router struct {
	cfg    Config
	accept Acceptor
}

// New returns a router accepting into a.
func New(cfg Config, a Acceptor) (*Router, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Router{cfg: cfg, accept: a}, nil
}

// Ladder returns the modes in use, cheapest first.
func (r *Router) Ladder() []extraction.Mode { return r.cfg.Ladder }

// Start is the mode new chunks are extracted in: want when given (--mode),
// else the cheapest mode of the ladder. A wanted mode off the ladder (hybrid
// without an LLM) is an error, not a silent downgrade.
func (r *Router) Start(want extraction.Mode) (extraction.Mode, error) {
	if want == "" {
		return r.cfg.Ladder[0], nil
	}
	if !slices.Contains(r.cfg.Ladder, want) {
		if why, ok := r.cfg.Unavailable[want]; ok {
			return "", fmt.Errorf("start mode %s unavailable: %s", want, why)
		}
		return "", fmt.Errorf("start mode %q is not one of %v", want, r.cfg.Ladder)
	}
	return want, nil
}

// Next returns the next mode above m on the ladder that was not tried yet
// and reads a document of family f with rules of its own: a mode that adds
// no rule for the family (cmedit and feature_grouped for a 3GPP
// specification) would give the same result again.
func (r *Router) Next(m extraction.Mode, tried []extraction.Mode, f extraction.Family) (extraction.Mode, bool) {
	i := slices.Index(r.cfg.Ladder, m)
	for _, next := range r.cfg.Ladder[i+1:] {
		if !slices.Contains(tried, next) && extraction.AddsRules(f, next) {
			return next, true
		}
	}
	return "", false
}

// Handle scores in and routes it.
func (r *Router) Handle(ctx context.Context, in event.Extraction) ([]event.Event, error) {
	c := in.Chunk
	score := quality.Score(extraction.Input{Text: c.Text, Headings: c.Headings, Context: c.Context,
		Family: c.Family, Format: c.Format}, in.Result)
	obs := r.cfg.Observer
	obs.Scored(c.Mode, score.Value)
	if in.LLM != nil {
		obs.LLMItems(in.LLM.Kept, in.LLM.Dropped)
	}
	if score.Value < r.cfg.Thresholds[c.Mode] {
		if next, ok := r.Next(c.Mode, c.ModesTried, c.Family); ok {
			obs.Hopped(c.Mode, next)
			c.Mode = next
			return []event.Event{c}, nil
		}
	}
	note := in.Note
	if score.Value < r.cfg.Thresholds[c.Mode] && note == "" {
		note = r.stopNote(c.Mode, c.Family)
	}
	mode := c.Mode
	if mode == extraction.ModeHybrid && in.LLM == nil {
		// The LLM pass did not run (none configured, breaker open, failed):
		// the result is that of the richest rules mode for the family
		// (feature_grouped, basic for a 3GPP specification), and the note
		// says why.
		mode = extraction.ModeBasic
		for _, m := range []extraction.Mode{extraction.ModeCmedit, extraction.ModeFeatureGrouped} {
			if extraction.AddsRules(c.Family, m) {
				mode = m
			}
		}
	}
	rec := results.ChunkRecord{
		DocID: c.Doc.ID, Source: c.Doc.Source, Parent: c.Doc.Parent, Format: c.Format, Replay: c.Doc.Replay,
		Family: c.Family, ChunkID: c.ChunkID(), Index: c.Index, Total: c.Total, Headings: c.Headings, Text: c.Text,
		Mode: mode, ModesTried: c.ModesTried, Quality: score.Value, Note: note, LLM: in.LLM, Result: in.Result,
	}
	if err := r.accept.Accept(ctx, rec); err != nil {
		return nil, fmt.Errorf("accept chunk %s: %w", c.ChunkID(), err)
	}
	obs.Accepted(mode)
	return nil, nil
}

// stopNote says why a result below its threshold is accepted anyway: the
// richer modes that add no rule for the family, then the first one
// unavailable.
func (r *Router) stopNote(m extraction.Mode, f extraction.Family) string {
	richer := extraction.Modes[slices.Index(extraction.Modes, m)+1:]
	var same []string
	for _, next := range richer {
		if !extraction.AddsRules(f, next) {
			same = append(same, string(next))
			continue
		}
		if why, ok := r.cfg.Unavailable[next]; ok {
			note := fmt.Sprintf("below the %s threshold; ", m)
			switch len(same) {
			case 0:
			case 1:
				note += fmt.Sprintf("%s adds no rules for %s documents; ", same[0], f)
			default:
				note += fmt.Sprintf("%s add no rules for %s documents; ", strings.Join(same, " and "), f)
			}
			return note + fmt.Sprintf("%s unavailable: %s", next, why)
		}
	}
	return fmt.Sprintf("below the %s threshold at the richest available mode", m)
}
