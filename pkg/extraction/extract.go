package extraction

import (
	"errors"
	"fmt"
)

// Input is what a rule set sees of one chunk.
type Input struct {
	// Text is the chunk text (markdown-like: headings, tables, lists).
	Text string
	// Headings is the heading path of the chunk, outermost first.
	Headings []string
	// Context holds the identity lines of the document (Feature Name /
	// Feature Identity table rows, see IdentityContext) so that a chunk far
	// from the identity table can still attribute its items; may be empty.
	Context string
	// Family is the document's family (DetectFamily); it decides the rules.
	// Empty reads as elex.
	Family Family
	// Format is the document's detected format (asn1: the whole text is an
	// ASN.1 module).
	Format string
}

// ErrModeUnavailable is returned by Extract for a mode whose rules are not
// available (yet, or without the LLM it needs). Routing treats it as the end
// of the ladder, not as a failure of the chunk.
var ErrModeUnavailable = errors.New("extraction mode unavailable")

// ErrUnknownMode is returned by Extract for a mode that is not one of Modes.
var ErrUnknownMode = errors.New("unknown extraction mode")

// rule adds what it finds in a chunk to a result. Rules of richer modes run
// after those of the cheaper ones and may refine what these found.
type rule func(c *chunk, r *Result)

// layer is the set of rules one mode adds on top of the modes before it.
type layer struct {
	mode      Mode
	rules     []rule
	available bool
}

// layers lists the modes from cheapest to richest; a mode runs the rules of
// every layer up to and including its own. Adding a mode's rules is adding
// them here and marking the layer available.
var layers = []layer{
	{mode: ModeBasic, rules: basicRules, available: true},
	{mode: ModeCmedit, rules: cmeditRules, available: true},
	{mode: ModeFeatureGrouped, rules: groupedRules, available: true},
	{mode: ModeHybrid},
}

// rulesOf returns the rules layer l runs for a document of family f: a 3GPP
// specification is read by the 3GPP rules alone, all in basic (its
// vocabulary has no use for the ENM or feature-document layers); a sheet
// by the sheet rule, in basic, and a chunk of it without a known row as a
// generic document (a workbook's title or unknown sheet); a generic
// document gets the ELEX patterns and, from feature_grouped on, the 3GPP
// structure rules too, so that specification text nobody recognized
// still climbs to a mode that reads it; an ELEX document (or one of no
// family) gets the ELEX rules.
func rulesOf(f Family, l layer) []rule {
	switch f {
	case Family3GPP:
		if l.mode == ModeBasic {
			return threegppRules
		}
		return nil
	case FamilySheet:
		rules := l.rules
		if l.mode == ModeFeatureGrouped {
			rules = append(append([]rule(nil), l.rules...), threegppStructureRules...)
		}
		if l.mode == ModeBasic {
			return append([]rule{sheetRule}, unlessSheet(rules)...)
		}
		return unlessSheet(rules)
	case FamilyGeneric:
		if l.mode == ModeFeatureGrouped {
			return append(append([]rule(nil), l.rules...), threegppStructureRules...)
		}
	}
	return l.rules
}

// AddsRules reports whether mode m reads a document of family f with rules
// the modes below it do not run. A 3GPP specification is read whole in
// basic: cmedit and feature_grouped add nothing to it, so a chunk of one
// gains nothing by climbing to them. Hybrid always adds its LLM pass.
func AddsRules(f Family, m Mode) bool {
	if m == ModeHybrid {
		return true
	}
	for _, l := range layers {
		if l.mode == m {
			return len(rulesOf(f, l)) > 0
		}
	}
	return false
}

// Available lists the modes Extract implements, cheapest first, so that
// routing can stop at the richest mode it can actually run.
func Available() []Mode {
	var out []Mode
	for _, l := range layers {
		if l.available {
			out = append(out, l.mode)
		}
	}
	return out
}

// Extract runs the rules of mode over in, without reference dictionaries.
// Modes not implemented yet return ErrModeUnavailable, unknown ones
// ErrUnknownMode. The result is normalized (deduplicated, sorted as Merge
// leaves it) and obeys Validate; an error wrapping ErrInvalid means a rule
// broke a category invariant, which is a bug in the rules rather than in the
// input.
func Extract(mode Mode, in Input) (Result, error) {
	return (&Extractor{}).Extract(mode, in)
}

// ExtractorConfig configures an Extractor.
type ExtractorConfig struct {
	// Dictionary holds the names of the reference spreadsheets (see
	// LoadReference). Optional: without it every rule still runs; with it,
	// names a converter glued together or marked with a footnote are split
	// and repaired against it, and the external PM events it knows (S1_...,
	// X2_..., RRC_...) are found in running text.
	Dictionary Dictionary
}

// Extractor runs the extraction rules with an optional reference dictionary.
// It holds only its configuration, so one Extractor serves any number of
// goroutines.
type Extractor struct {
	dict Dictionary
}

// NewExtractor returns an Extractor for cfg.
func NewExtractor(cfg ExtractorConfig) *Extractor {
	return &Extractor{dict: cfg.Dictionary}
}

// Extract runs the rules of mode over in (see the package function Extract).
func (x *Extractor) Extract(mode Mode, in Input) (Result, error) {
	idx := -1
	for i, l := range layers {
		if l.mode == mode {
			idx = i
			break
		}
	}
	if idx < 0 {
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownMode, mode)
	}
	if !layers[idx].available {
		return Result{}, fmt.Errorf("%w: %s", ErrModeUnavailable, mode)
	}
	c := parseChunk(in)
	c.context = parseIdentity(Unescape(in.Context))
	c.dict = x.dict
	var raw Result
	for _, l := range layers[:idx+1] {
		for _, apply := range rulesOf(in.Family, l) {
			apply(c, &raw)
		}
	}
	if in.Family != Family3GPP && c.sheetRows == 0 {
		if c.dict != nil {
			repairWithDictionary(c, &raw)
		}
		attribute(c, &raw)
	}
	var r Result
	Merge(&r, raw)
	if err := Validate(r); err != nil {
		return Result{}, fmt.Errorf("extraction: %s rules: %w", mode, err)
	}
	return r, nil
}

// attribute sets the Feature of parameters, counters, events and procedures
// that have none when the document context, or failing that the chunk itself,
// names exactly one main feature.
func attribute(c *chunk, r *Result) {
	fajs := c.context.fajs()
	if len(fajs) == 0 {
		fajs = identityInfo{features: r.MainFeatures}.fajs()
	}
	if len(fajs) != 1 {
		return
	}
	faj := fajs[0]
	attributeUnowned(r, faj)
}

// attributeUnowned gives every parameter, counter, event and procedure that has
// no feature yet the feature faj.
func attributeUnowned(r *Result, faj string) {
	for i := range r.Parameters {
		if r.Parameters[i].Feature == "" {
			r.Parameters[i].Feature = faj
		}
	}
	for i := range r.Counters {
		if r.Counters[i].Feature == "" {
			r.Counters[i].Feature = faj
		}
	}
	for i := range r.Events {
		if r.Events[i].Feature == "" {
			r.Events[i].Feature = faj
		}
	}
	for i := range r.ActivationProcedures {
		if r.ActivationProcedures[i].Feature == "" {
			r.ActivationProcedures[i].Feature = faj
		}
	}
}
