package route

import (
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
	"github.com/ranstream/ranstream/pkg/quality"
)

// Classify tells, from cheap signals of a chunk's text, the mode the chunk
// will climb to from basic at the default thresholds, so that it can start
// there instead of paying for the rounds below (see Router.StartFor):
//
//   - feature_grouped, when a table pairs a FAJ id with a relationship cell
//     (Prerequisite, Related, Conflicting ...), or a parameters table (first
//     column Parameter or Attribute) gives a MoClass.attribute the role
//     Introduced, Affecting or Affected: only feature_grouped records
//     relationships and roles, so the score's Structure is 0 below it and
//     its Coverage misses those candidates;
//
//   - feature_grouped, when the identity table of an appendix or change
//     history (its first Feature Identity row) names a FAJ id that neither
//     the document's identity (Input.Context) nor the chunk outside its
//     appendices writes: basic and cmedit file it as a plain related
//     feature, which the score counts against both Coverage and Structure;
//
//   - cmedit, when a numbered step under an Activate or Deactivate heading
//     is settable (extraction.StepCommands): basic writes no cmedit
//     commands, so its Structure is 0 and its Coverage misses the step;
//
//   - "" otherwise: the chunk starts at the cheapest mode, and the climb
//     decides.
//
// The signals are the score's own candidates (package quality), read the
// way it reads them, so a classified chunk never scores at or above the
// default thresholds in the modes it skips: its output is what the climb
// gives. What the signals miss (identity tables, flattened tables,
// low coverage) still climbs. Record sheets and 3GPP specifications are
// never classified: their score and rules differ.
func Classify(in extraction.Input) extraction.Mode {
	if in.Family == extraction.Family3GPP || in.Family == extraction.FamilySheet || in.Format == "csv" || in.Format == "xlsx" {
		return ""
	}
	raw := mdtext.Unescape(in.Text)
	type heading struct {
		level int
		title string
	}
	var stack []heading
	for i, h := range in.Headings {
		stack = append(stack, heading{i + 1, mdtext.Collapse(h)})
	}
	appendix := func() bool {
		for _, h := range stack {
			if mdtext.IsAppendix(h.title) {
				return true
			}
		}
		return false
	}
	kindOf := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if k := mdtext.ProcedureKind(stack[i].title); k != "" {
				return k
			}
		}
		return ""
	}
	kind, inAppendix := kindOf(), appendix()
	if kind == "" && !strings.Contains(raw, "|") && !strings.Contains(raw, "#") {
		return "" // no table, no heading and no procedure: nothing to read
	}
	need := extraction.Mode("")
	var header []string   // the current table's header row, lower-case; nil outside a table
	identityRead := false // the current table's first Feature Identity row was read
	var history []string  // FAJ ids of appendix identity rows, squeezed
	outside := map[string]bool{}
	for l := range strings.SplitSeq(raw, "\n") {
		if lvl, title, ok := mdtext.Heading(l); ok {
			header, identityRead = nil, false
			for len(stack) > 0 && stack[len(stack)-1].level >= lvl {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, heading{lvl, mdtext.Collapse(title)})
			kind, inAppendix = kindOf(), appendix()
			continue
		}
		if !inAppendix && strings.Contains(l, "FAJ") {
			for _, c := range mdtext.Codes(l, "FAJ") {
				outside[c.Squeezed("FAJ")] = true
			}
		}
		s := strings.TrimSpace(l)
		if !strings.HasPrefix(s, "|") {
			if s != "" {
				header, identityRead = nil, false
			}
			if need == "" && kind != "" && settable(l) {
				need = extraction.ModeCmedit
			}
			continue
		}
		cells, _ := mdtext.TableCells(s)
		if cells == nil {
			continue // separator row
		}
		if dependencyRow(cells) {
			return extraction.ModeFeatureGrouped
		}
		if len(cells) > 1 && !identityRead && strings.ToLower(strings.TrimRight(cells[0], ": ")) == "feature identity" {
			identityRead = true
			if inAppendix {
				for _, c := range cells[1:] {
					for _, code := range mdtext.Codes(c, "FAJ") {
						if code.A != "801" {
							history = append(history, code.Squeezed("FAJ"))
						}
					}
				}
			}
		}
		if header == nil {
			header = make([]string, len(cells))
			for i, c := range cells {
				header[i] = strings.ToLower(c)
			}
			continue
		}
		if roleRow(header, cells) {
			return extraction.ModeFeatureGrouped
		}
	}
	if len(history) > 0 {
		context := mdtext.Squeeze(in.Context)
		for _, faj := range history {
			if !outside[faj] && !strings.Contains(context, faj) {
				return extraction.ModeFeatureGrouped
			}
		}
	}
	return need
}

// dependencyRow reports whether a table row pairs a FAJ id other than a
// value package's with a relationship cell, as the score's dependency rows
// do: the ids of the cells before the relationship cell, or of the whole row
// when those hold none.
func dependencyRow(cells []string) bool {
	for i, c := range cells {
		if _, whole := mdtext.Relation(c); !whole {
			continue
		}
		if fajOtherThanPackage(cells[:i]) {
			return true
		}
		for _, x := range cells[:i] {
			if mdtext.HasCode(x, "FAJ") {
				return false // the ids before the relationship are all value packages
			}
		}
		return fajOtherThanPackage(cells)
	}
	return false
}

func fajOtherThanPackage(cells []string) bool {
	for _, c := range cells {
		for _, code := range mdtext.Codes(c, "FAJ") {
			if code.A != "801" {
				return true
			}
		}
	}
	return false
}

// roleRow reports whether a body row of a parameters table (first header
// cell Parameter... or Attribute...) gives a MoClass.attribute of its first
// cell the role Introduced, Affecting or Affected.
func roleRow(header, cells []string) bool {
	if len(header) == 0 || !strings.HasPrefix(header[0], "parameter") && !strings.HasPrefix(header[0], "attribute") || len(cells) < 2 {
		return false
	}
	for _, c := range cells[1:] {
		if r := mdtext.Role(c); r == "introduced" || r == "affecting" || r == "affected" {
			return mdtext.HasDottedName(cells[0])
		}
	}
	return false
}

// settable reports whether line is a numbered step ("3. Set the ...") that
// the cmedit rules turn into a command.
func settable(line string) bool {
	step, ok := mdtext.NumberedStep(line)
	return ok && len(extraction.StepCommands(step)) > 0
}

// climbBound is the score below which a result whose Structure is 0 and
// whose Coverage misses a candidate always falls: the other components'
// weights (0.8), less a rounding margin. A classification holds for
// thresholds at or above it.
const climbBound = quality.WeightCoverage + quality.WeightValidity + quality.WeightGrounding - 1e-9

// StartFor is the mode a new chunk is first extracted in when no mode is
// asked for (--mode): the mode Classify says it will climb to, when that is
// on the ladder and the thresholds of the modes below it make the climb
// certain (at or above climbBound, as by default); otherwise the highest
// mode short of it that they do, at least the cheapest of the ladder.
func (r *Router) StartFor(in extraction.Input) extraction.Mode {
	start := r.cfg.Ladder[0]
	need := Classify(in)
	if need == "" || need == start || !extraction.AddsRules(in.Family, need) {
		return start // a mode that adds no rules for the family gives what the start gives
	}
	for _, m := range r.cfg.Ladder[1:] {
		prev := start
		if r.cfg.Thresholds[prev] < climbBound {
			return start
		}
		start = m
		if m == need {
			return m
		}
	}
	return r.cfg.Ladder[0] // need is not on the ladder
}
