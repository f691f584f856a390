package extraction

import (
	"iter"
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// basicRules are the rules of ModeBasic: telecom name patterns over the text.
var basicRules = []rule{
	basicMainFeatures,
	basicNames,
	basicEvents,
	basicRelatedFeatures,
	basicActivations,
	basicConfig,
}

// basicMainFeatures records every feature whose identity rows (Feature Name /
// Feature Identity ...) the chunk itself contains, outside appendices: the
// identity tables of a feature change history describe other releases or
// other features, so their FAJ ids are left to related_features unless the
// document context names them as its own.
func basicMainFeatures(c *chunk, r *Result) {
	for _, s := range c.sections {
		appendix := inAppendix(s.path)
		for _, f := range parseIdentity(strings.Join(s.lines, "\n")).features {
			if !appendix || c.context.has(f.FAJ) {
				r.MainFeatures = append(r.MainFeatures, f)
			}
		}
	}
}

// inAppendix reports whether a heading path leads into an appendix.
func inAppendix(path []string) bool {
	for _, h := range path {
		if mdtext.IsAppendix(h) {
			return true
		}
	}
	return false
}

// urlPattern finds URLs and host names, whose dots are never MO paths.
var urlPattern = regexp.MustCompile(`(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\S+@\S+\.\S+`)

// basicNames finds parameters (MoClass.attribute) and counters (pmName,
// MoClass.pmName) in the dotted tokens of the text.
func basicNames(c *chunk, r *Result) {
	ps, cs := c.names(c.text)
	r.Parameters = append(r.Parameters, ps...)
	r.Counters = append(r.Counters, cs...)
}

// dottedTokens returns the dotted tokens of text, split into segments, minus
// URLs, e-mail addresses and file names, and minus the single words that are
// no pm name (pmXxx...), which the readers of the tokens skip anyway.
func dottedTokens(text string) [][]string {
	if mayHoldURL(text) {
		text = urlPattern.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	}
	var tokens [][]string
	for start, end := range dottedSpans(text) {
		if end < len(text) && text[end] == '@' {
			continue // the user part of an e-mail address
		}
		tok := text[start:end]
		if strings.IndexByte(tok, '.') < 0 && !(len(tok) > 2 && tok[0] == 'p' && tok[1] == 'm' && tok[2] >= 'A' && tok[2] <= 'Z') {
			continue // one word and no pm name: neither a pair nor a counter (walkToken, knownClasses)
		}
		segs := strings.Split(tok, ".")
		if len(segs) > 1 && mdtext.IsFileExtension(segs[len(segs)-1]) {
			continue
		}
		tokens = append(tokens, segs)
	}
	return tokens
}

// mayHoldURL reports whether urlPattern can match in text at all: it needs
// "://", "www." or an '@'. Most chunks have none, and the pattern is slow.
func mayHoldURL(text string) bool {
	if strings.Contains(text, "://") || strings.IndexByte(text, '@') >= 0 {
		return true
	}
	w := func(c byte) bool { return c == 'w' || c == 'W' }
	for i := 3; i < len(text); i++ {
		if text[i] == '.' && w(text[i-1]) && w(text[i-2]) && w(text[i-3]) {
			return true
		}
	}
	return false
}

// dottedSpans yields the [start, end) of every identifier token or dotted path
// of them in text (EUtranCellFDD.pdcchTargetBler, NRCellDU.pmMacVolDl,
// pmRrcConnEstabSucc): the matches of `[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*`,
// found with a plain scan instead of the regexp engine (the extraction of a
// chunk and its score walk its tokens several times).
func dottedSpans(text string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; i < len(text); {
			if !identByte(text[i]) {
				i++
				continue
			}
			start := i
			for i < len(text) && identByte(text[i]) {
				i++
			}
			for i+1 < len(text) && text[i] == '.' && identByte(text[i+1]) {
				i++
				for i < len(text) && identByte(text[i]) {
					i++
				}
			}
			if !yield(start, i) {
				return
			}
		}
	}
}

func identByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// tokens returns the dotted tokens of text, kept for the chunk's own text,
// which knownClasses and names both walk.
func (c *chunk) tokens(text string) [][]string {
	if text != c.text {
		return dottedTokens(text)
	}
	if c.dotted == nil {
		c.dotted = dottedTokens(text)
	}
	return c.dotted
}

// knownClasses returns the MO classes the chunk writes in front of an
// attribute, and their FDD/TDD twins: the classes a glued list item can be
// split at.
func (c *chunk) knownClasses() map[string]bool {
	if c.known != nil {
		return c.known
	}
	known := map[string]bool{}
	for _, segs := range c.tokens(c.text) {
		for i := 0; i+1 < len(segs); i++ {
			if moClassShape.MatchString(segs[i]) && len(segs[i+1]) > 0 && segs[i+1][0] >= 'a' && segs[i+1][0] <= 'z' {
				known[segs[i]] = true
			}
		}
	}
	for cls := range known {
		if s, ok := siblingClass(cls); ok {
			known[s] = true
		}
	}
	c.known = known
	return known
}

// names finds the parameters and counters of text (the chunk text or a part
// of it), splitting glued items at the MO classes of the whole chunk.
func (c *chunk) names(text string) ([]Parameter, []Counter) {
	known := c.knownClasses()
	isKnown := func(cls string) bool { return known[cls] || c.dict != nil && c.dict.HasClass(cls) }
	var ps []Parameter
	var cs []Counter
	qualified := map[string]bool{} // counter names seen with an MO class
	var bare []string
	for _, segs := range c.tokens(text) {
		walkToken(segs, isKnown, func(cls, attr string) {
			cls, attr = repairClass(cls), repairAttribute(attr)
			if IsCounterName(attr) {
				cs = append(cs, Counter{Name: cls + "." + attr, MOClass: cls})
				qualified[attr] = true
				return
			}
			ps = append(ps, Parameter{Name: cls + "." + attr, MOClass: cls, Attribute: attr})
		}, func(name string) {
			bare = append(bare, name)
		})
	}
	for _, name := range bare {
		if !qualified[name] && !notCounters[name] {
			cs = append(cs, Counter{Name: name})
		}
	}
	return ps, cs
}

// notCounters are pm words that name counters in general, not one counter.
var notCounters = map[string]bool{
	"pmCounter": true, "pmCounters": true, "pmEvent": true, "pmEvents": true,
	"pmFlex": true, "pmJob": true, "pmJobs": true, "pmGroup": true, "pmGroups": true,
}

// gluedArticle is "The" glued to the MO class after it (TheNRCellDU).
var gluedArticle = regexp.MustCompile(`^The([A-Z][A-Za-z0-9]+)$`)

// repairClass undoes a converter's gluing of "The" to an MO class name.
func repairClass(cls string) string {
	if m := gluedArticle.FindStringSubmatch(cls); m != nil {
		return m[1]
	}
	return cls
}

// gluedWords are the words "attribute" and "parameter" a converter glues to
// the attribute name before them (pdschAllowedInDmrsSymattribute).
var gluedWords = [...]string{"attributes", "attribute", "parameters", "parameter"}

// gluedWordAt is where one of gluedWords starts at the end of s after a
// lower-case letter or digit, -1 when none does: the expression
// ([a-z0-9])(?:attributes?|parameters?)$ read by hand.
func gluedWordAt(s string) int {
	for _, w := range gluedWords {
		k := len(s) - len(w)
		if k < 1 || s[k:] != w {
			continue
		}
		if c := s[k-1]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			return k
		}
		return -1 // the words end apart: no other can match
	}
	return -1
}

// repairAttribute undoes a converter's gluing of "attribute" to a name with
// a capital before it.
func repairAttribute(attr string) string {
	if k := gluedWordAt(attr); k > 0 && strings.ContainsAny(attr[:k], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return attr[:k]
	}
	return attr
}

// siblingClass returns the FDD/TDD twin of an LTE cell class, which documents
// list side by side and converters glue together.
func siblingClass(cls string) (string, bool) {
	switch {
	case strings.HasSuffix(cls, "FDD"):
		return strings.TrimSuffix(cls, "FDD") + "TDD", true
	case strings.HasSuffix(cls, "TDD"):
		return strings.TrimSuffix(cls, "TDD") + "FDD", true
	}
	return "", false
}

// gluedCounter splits bare counters a converter wrote without a separator:
// pmAaaUepmBbb is pmAaaUe and pmBbb.
var gluedCounter = regexp.MustCompile(`([a-z0-9])(pm[A-Z])`)

// walkToken reads the segments of one dotted token. MoClass.attribute pairs
// go to pair; a struct member path A.b.c yields A.b; glued list items
// (NRCellDU.pmAaaNRCellDU.pmBbb) are split at a known MO class; bare counters
// go to counter.
func walkToken(segs []string, known func(string) bool, pair func(cls, attr string), counter func(string)) {
	glued := false
	for i := 0; i < len(segs); {
		cls := segs[i]
		if i+1 >= len(segs) || !moClassShape.MatchString(cls) {
			bareCounters(cls, counter)
			i++
			continue
		}
		attr := segs[i+1]
		base, suffix, _ := strings.Cut(attr, "_")
		if !attributeShape.MatchString(base) || mdtext.IsSentenceWord(base) {
			i++
			continue
		}
		if suffix != "" && !IsCounterName(base) {
			i += 2 // snake_case after a dot: not an MO attribute
			continue
		}
		if i+2 < len(segs) {
			if k := glueSplit(base, cls, known); k > 0 {
				emitPair(cls, base[:k], pair, counter)
				segs[i+1] = base[k:]
				i++
				glued = true
				continue
			}
			emitPair(cls, base, pair, counter)
			for i += 2; i < len(segs) && segs[i] != "" && segs[i][0] >= 'a' && segs[i][0] <= 'z'; i++ {
			}
			continue
		}
		if glued {
			if k := glueSplit(base, cls, known); k > 0 {
				base = base[:k] // a glued item cut off at the token's end
			}
		}
		emitPair(cls, base, pair, counter)
		i += 2
	}
}

// emitPair reports cls.attr, splitting counters glued without a separator.
func emitPair(cls, attr string, pair func(cls, attr string), counter func(string)) {
	if !IsCounterName(attr) {
		pair(cls, attr)
		return
	}
	parts := splitGluedCounters(attr)
	pair(cls, parts[0])
	for _, p := range parts[1:] {
		counter(p)
	}
}

// bareCounters reports the counters of a token that carries no MO class.
func bareCounters(tok string, counter func(string)) {
	tok, _, _ = strings.Cut(tok, "_")
	if !IsCounterName(tok) || !attributeShape.MatchString(tok) {
		return
	}
	for _, p := range splitGluedCounters(tok) {
		counter(p)
	}
}

func splitGluedCounters(s string) []string {
	return strings.Split(gluedCounter.ReplaceAllString(s, "$1\x00$2"), "\x00")
}

// glueSplit returns the index at which attr ends and a known MO class glued to
// it begins (pmAaaNRCellDU -> index of NRCellDU), or 0.
func glueSplit(attr, cls string, known func(string) bool) int {
	for k := 2; k < len(attr)-1; k++ {
		if attr[k] < 'A' || attr[k] > 'Z' {
			continue
		}
		if p := attr[k-1]; !(p >= 'a' && p <= 'z' || p >= '0' && p <= '9') {
			continue
		}
		if s := attr[k:]; s == cls || known(s) {
			return k
		}
	}
	return 0
}

// eventTableName matches the UPPER_SNAKE names an Events table lists in its
// first column besides the INTERNAL_/LOCAL_ ones (S1_..., X2_..., RRC_...).
var eventTableName = regexp.MustCompile(`\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b`)

// droppedLetter finds LTE event names a converter cut the first letter off:
// NTERNAL_PER_RADIO_UE_MEASUREMENT is INTERNAL_PER_RADIO_UE_MEASUREMENT.
// Basic mode leaves them out (feature_grouped repairs them).
var droppedLetter = regexp.MustCompile(`\b(NTERNAL|OCAL)((?:_[A-Z0-9]+){2,})\b`)

// basicEvents records PM event names: LTE and NR event names anywhere, and
// every UPPER_SNAKE name in the first column of an Events table. Event
// parameters and values (EVENT_PARAM_..., EVENT_VALUE_...) never count.
func basicEvents(c *chunk, r *Result) {
	// LTE PM events (INTERNAL_PROC_..., INTERNAL_EVENT_..., INTERNAL_PER_...,
	// LOCAL_PER_...) and NR ones (CuCpProc..., DuPer...). Event parameters
	// (EVENT_PARAM_...) and values (EVENT_VALUE_...) have other prefixes and
	// never match.
	for _, loc := range mdtext.EventNames(c.text) {
		name := c.text[loc.Start:loc.End]
		if camelEvent.MatchString(name) && usedAsMOClass(c.text, loc.End) {
			continue // DuFoo=1 or DuFoo.attr is an MO class, not an event
		}
		r.Events = append(r.Events, Event{Name: name})
	}
	for _, t := range c.tables {
		if !isEventTable(t) {
			continue
		}
		for _, rw := range t.rows[1:] {
			for _, name := range eventTableName.FindAllString(rw[0], -1) {
				if !isEventParameter(name) && !droppedLetter.MatchString(name) {
					r.Events = append(r.Events, Event{Name: name})
				}
			}
		}
	}
}

// isEventTable reports whether a table lists events in its first column: its
// header starts with "Event" but is not an event parameter column.
func isEventTable(t table) bool {
	h := strings.ToLower(t.rows[0][0])
	return strings.HasPrefix(h, "event") && !strings.Contains(h, "param") && !strings.Contains(h, "value")
}

// isEventParameter reports whether an UPPER_SNAKE name is an event parameter
// or value rather than an event.
func isEventParameter(name string) bool {
	return strings.HasPrefix(name, "EVENT_PARAM_") || strings.HasPrefix(name, "EVENT_VALUE_") ||
		strings.HasPrefix(name, "EVENT_ARRAY_")
}

// usedAsMOClass reports whether the word ending at end is followed by "=" or
// by ".attribute", as MO classes are.
func usedAsMOClass(text string, end int) bool {
	if end >= len(text) {
		return false
	}
	if text[end] == '=' {
		return true
	}
	return text[end] == '.' && end+1 < len(text) && text[end+1] >= 'a' && text[end+1] <= 'z'
}

// namedFAJ matches a table cell that starts with a feature name followed by
// its FAJ id in parentheses: "QoS-Aware Scheduler (FAJ 121 0859)".
var namedFAJ = regexp.MustCompile(`^([^()|]{2,100}?)\s*\(\s*FAJ\s*\d{3}\s*\d{3,4}\s*\)`)

// basicRelatedFeatures records every FAJ id that is neither a main feature of
// the chunk or document nor a value package, with the name its table cell
// gives when it has one (a cell that starts with the name; not a sentence
// that mentions the feature). Basic mode leaves the relationship empty.
func basicRelatedFeatures(c *chunk, r *Result) {
	names := map[string]string{}
	for _, t := range c.tables {
		for _, rw := range t.rows {
			for _, cell := range rw {
				if !strings.Contains(cell, "FAJ") {
					continue // namedFAJ needs it; most cells have none
				}
				if m := namedFAJ.FindStringSubmatch(cell); m != nil {
					if faj := NormalizeFAJ(cell); faj != "" && names[faj] == "" && !strings.Contains(m[1], "FAJ") && !strings.Contains(m[1], ". ") {
						names[faj] = Collapse(m[1])
					}
				}
			}
		}
	}
	main := map[string]bool{}
	for _, f := range r.MainFeatures {
		main[f.FAJ] = true
	}
	for _, faj := range c.context.fajs() {
		main[faj] = true
	}
	for _, faj := range findFAJs(c.text) {
		if main[faj] || isValuePackage(faj) {
			continue
		}
		r.RelatedFeatures = append(r.RelatedFeatures, RelatedFeature{FAJ: faj, Name: names[faj]})
	}
}
