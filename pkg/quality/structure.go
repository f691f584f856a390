package quality

import (
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

// structure is how well r uses the structure the text shows, the least used
// structure deciding: a result that ignores one table of the chunk has not
// read the chunk's structure however well it read the others. 1 when the
// text shows no structure.
func structure(t text, r extraction.Result) float64 {
	var scores []float64

	// a table written as loose lines: its structure is lost whatever the
	// result holds (see loose.go)
	if looseTable(t) {
		scores = append(scores, 0)
	}

	// identity table, column by column: main features with the fields the
	// table gives
	for _, id := range identityRows(t) {
		if !id.appendix {
			scores = append(scores, identityUse(id, r))
			continue
		}
		// a change history's table, FAJ by FAJ: the document's own feature,
		// or a record of its releases, but not a plain related feature
		for _, faj := range id.fajs {
			v := 1.0
			if _, main := mainFeature(r, faj); !main && plainRelated(r, faj) {
				v = 0
			}
			scores = append(scores, v)
		}
	}

	// dependencies table: related features with their relationship
	if deps := dependencyRows(t); len(deps) > 0 {
		n := 0
		for _, d := range deps {
			if hasRelationship(r, d) {
				n++
			}
		}
		scores = append(scores, float64(n)/float64(len(deps)))
	}

	// MO class and attribute columns: the MoClass.attribute they make
	if pairs := classColumnPairs(t); len(pairs) > 0 {
		n := 0
		for _, name := range pairs {
			if anyMatch(r.Parameters, func(p extraction.Parameter) bool { return p.Name == name }) {
				n++
			}
		}
		scores = append(scores, float64(n)/float64(len(pairs)))
	}

	// parameters table with a role column: parameters with a role
	roles := map[string]string{}
	for _, p := range r.Parameters {
		roles[p.Name] = p.Role
	}
	for _, tb := range t.tables {
		if len(tb.header) == 0 || !(strings.HasPrefix(tb.header[0], "parameter") || strings.HasPrefix(tb.header[0], "attribute")) {
			continue
		}
		var want, got int
		for _, row := range tb.body() {
			if len(row) < 2 || !anyMatch(row[1:], func(c string) bool { return mdtext.Role(c) != "" }) {
				continue
			}
			for _, m := range mdtext.DottedNames(row[0]) {
				want++
				if roles[m] != "" {
					got++
				}
			}
		}
		if want > 0 {
			scores = append(scores, float64(got)/float64(want))
		}
	}

	// events table: its events recorded
	events := map[string]bool{}
	for _, e := range r.Events {
		events[e.Name] = true
	}
	for _, tb := range t.tables {
		if !tb.listsEvents() {
			continue
		}
		var want, got int
		for _, row := range tb.body() {
			if len(row) > 0 && snakeCandidate.MatchString(row[0]) && !eventParameter.MatchString(row[0]) || camelCandidate.MatchString(row[0]) {
				want++
				if events[row[0]] {
					got++
				}
			}
		}
		if want > 0 {
			scores = append(scores, float64(got)/float64(want))
		}
	}

	// activate / deactivate sections: a procedure of that kind with the steps
	type section struct{ steps, captured int }
	sections := map[string]*section{}
	var order []string
	for _, l := range t.lines {
		kind := l.kind
		if kind == "" {
			continue
		}
		s := sections[kind]
		if s == nil {
			s = &section{}
			sections[kind] = s
			order = append(order, kind)
		}
		if text, ok := mdtext.NumberedStep(l.text); ok {
			s.steps++
			step := extraction.Collapse(text)
			if anyMatch(r.ActivationProcedures, func(a extraction.Activation) bool {
				return a.Kind == kind && anyMatch(a.Steps, func(x string) bool { return x == step || strings.Contains(x, step) })
			}) {
				s.captured++
			}
		}
	}
	for _, kind := range order {
		s := sections[kind]
		v := 0.0
		if anyMatch(r.ActivationProcedures, func(a extraction.Activation) bool { return a.Kind == kind }) {
			v = 0.5 + 0.5*share(float64(s.captured), float64(s.steps))
		}
		scores = append(scores, v)
	}

	// settable steps (MO class or instance, attribute, one value): the
	// cmedit commands they make, in a procedure of their kind
	if steps := commandSteps(t); len(steps) > 0 {
		n := 0
		for _, s := range steps {
			if hasCommand(r, s) {
				n++
			}
		}
		scores = append(scores, float64(n)/float64(len(steps)))
	}

	if len(scores) == 0 {
		return 1
	}
	return slices.Min(scores)
}

// identityUse is the share of what an identity column gives (FAJ ids, name,
// value package, access type) that r records on its main features.
func identityUse(id identity, r extraction.Result) float64 {
	var want, got float64
	for _, faj := range id.fajs {
		want++
		f, ok := mainFeature(r, faj)
		if !ok {
			if id.appendix && !plainRelated(r, faj) {
				got++ // a change history's record, rightly not a related feature
			}
			continue
		}
		got++
		for _, field := range [][2]string{{id.name, f.Name}, {id.valuePackage, f.ValuePackage}, {id.accessType, f.AccessType}} {
			if field[0] != "" {
				want++
				if field[1] != "" {
					got++
				}
			}
		}
	}
	return share(got, want)
}

func mainFeature(r extraction.Result, faj string) (extraction.Feature, bool) {
	for _, f := range r.MainFeatures {
		if squeeze(f.FAJ) == faj {
			return f, true
		}
	}
	return extraction.Feature{}, false
}
