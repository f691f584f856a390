package output

import (
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
)

var (
	askSpec = []string{
		"Which specification is 3GPP TS %s, and which version and release is this document?",
		"What is TS %s about?",
		"Give the title, version and release of TS %s.",
		"Tell me the identity of the specification TS %s.",
		"TS %s: what is its title and version?",
	}
	askIE = []string{
		"What does the information element %s contain?",
		"List the fields of %s with their types and ranges.",
		"Describe the structure of %s.",
		"Which fields make up %s, and which of them are optional?",
		"%s: what are its fields?",
		"In ASN.1, how is %s defined?",
	}
	askTimer = []string{
		"What does timer %s do?",
		"When does %s start and stop, and what happens at expiry?",
		"Explain the %s timer.",
		"What happens when %s expires?",
		"%s: when is it started?",
		"Describe %s: start, stop and expiry.",
	}
	askConstant = []string{
		"What is the constant %s used for?",
		"Explain the counter constant %s.",
		"%s: what does it count, and what happens at its maximum?",
		"Describe the constant %s.",
	}
	askMeasEvent = []string{
		"What triggers measurement event %s?",
		"When is event %s entered and left?",
		"Explain the %s reporting event.",
		"Describe the entering and leaving conditions of %s.",
		"%s: what does this measurement event mean?",
		"Under which condition does a UE report event %s?",
	}
)

// specQuestions asks about a 3GPP document: the specification's identity,
// what its IEs contain, what its timers and constants do, and what
// triggers its measurement events; a bounded number of each, chosen by the
// seed.
func (b *docBuilder) specQuestions() []Example {
	var out []Example
	add := func(ex Example, ok bool) {
		if ok {
			out = append(out, ex)
		}
	}
	for _, f := range b.facts.features {
		if f.v.Kind != extraction.KindSpecification || f.v.Spec == "" {
			continue
		}
		var ls []line
		s := "3GPP TS " + f.v.Spec
		if f.v.Name != "" && !strings.Contains(f.v.Name, f.v.Spec) {
			s += " is \"" + f.v.Name + "\""
		}
		ls = append(ls, line{s + ".", f.pos})
		if f.v.Version != "" {
			ls = append(ls, line{"This document is version " + f.v.Version + ".", f.pos})
		}
		if f.v.Release != "" {
			ls = append(ls, line{"Release: " + f.v.Release + ".", f.pos})
		}
		add(b.qa(KindSpecIdentity, b.ask("spec:"+f.v.Spec, askSpec, f.v.Spec), "", ls))
		break
	}

	// IEs and their fields.
	fields := map[string][]fact[extraction.Parameter]{}
	var ies []fact[extraction.Parameter]
	for _, p := range b.facts.params {
		switch p.v.Kind {
		case extraction.KindIE:
			ies = append(ies, p)
		case extraction.KindField:
			if p.v.IE != "" && !strings.Contains(p.v.Path, ".") {
				fields[p.v.IE] = append(fields[p.v.IE], p)
			}
		}
	}
	for _, ie := range sample(b, ies, func(p fact[extraction.Parameter]) string { return p.v.Name }) {
		fs := fields[ie.v.Name]
		if len(fs) == 0 && ie.v.Range == "" {
			continue
		}
		intro := ie.v.Name
		if ie.v.Type != "" {
			intro += " is a " + ie.v.Type
		}
		if ie.v.Range != "" {
			intro += " with range " + ie.v.Range
		}
		var ls []line
		ls = append(ls, line{intro + ".", ie.pos})
		if len(fs) > 0 {
			ls = append(ls, line{"Its fields:", ie.pos})
		}
		for _, f := range fs[:min(len(fs), maxLines)] {
			name := f.v.Name
			if i := strings.LastIndexByte(name, '.'); i >= 0 {
				name = name[i+1:]
			}
			s := "- " + name
			var about []string
			if f.v.Type != "" {
				about = append(about, f.v.Type)
			}
			if f.v.Range != "" && f.v.Range != f.v.Type {
				about = append(about, "range "+f.v.Range)
			}
			if f.v.Optional {
				about = append(about, "OPTIONAL")
			}
			if f.v.Need != "" {
				about = append(about, f.v.Need)
			}
			if f.v.Cond != "" {
				about = append(about, f.v.Cond)
			}
			if len(about) > 0 {
				s += ": " + strings.Join(about, ", ")
			}
			ls = append(ls, line{s, f.pos})
		}
		add(b.qa(KindIEContents, b.ask("ie:"+ie.v.Name, askIE, ie.v.Name), "", ls))
	}

	// Timers and constants.
	var timers []fact[extraction.Parameter]
	for _, p := range b.facts.params {
		if (p.v.Kind == extraction.KindTimer || p.v.Kind == extraction.KindConstant) && (p.v.Start != "" || p.v.Expiry != "" || p.v.Description != "") {
			timers = append(timers, p)
		}
	}
	for _, t := range sample(b, timers, func(p fact[extraction.Parameter]) string { return p.v.Name }) {
		var ls []line
		if t.v.Description != "" {
			ls = append(ls, line{t.v.Name + ": " + t.v.Description, t.pos})
		}
		if t.v.Start != "" {
			ls = append(ls, line{startWord(t.v.Kind) + t.v.Start, t.pos})
		}
		if t.v.Stop != "" {
			ls = append(ls, line{stopWord(t.v.Kind) + t.v.Stop, t.pos})
		}
		if t.v.Expiry != "" {
			ls = append(ls, line{expiryWord(t.v.Kind) + t.v.Expiry, t.pos})
		}
		if t.v.Range != "" {
			ls = append(ls, line{"Value: " + t.v.Range, t.pos})
		}
		phr := askTimer
		if t.v.Kind == extraction.KindConstant {
			phr = askConstant
		}
		add(b.qa(KindTimer, b.ask("timer:"+t.v.Name, phr, t.v.Name), "", ls))
	}

	// Measurement events.
	var evs []fact[extraction.Event]
	for _, e := range b.facts.events {
		if e.v.Kind == extraction.KindMeasurementEvent && (e.v.Entering != "" || e.v.Title != "") {
			evs = append(evs, e)
		}
	}
	for _, e := range sample(b, evs, func(e fact[extraction.Event]) string { return e.v.Name }) {
		var ls []line
		if e.v.Title != "" {
			ls = append(ls, line{e.v.Name + ": " + e.v.Title + ".", e.pos})
		}
		if e.v.Entering != "" {
			ls = append(ls, line{"Entering condition: " + e.v.Entering, e.pos})
		}
		if e.v.Leaving != "" {
			ls = append(ls, line{"Leaving condition: " + e.v.Leaving, e.pos})
		}
		name := strings.TrimPrefix(e.v.Name, "Event ")
		add(b.qa(KindMeasurementTrigger, b.ask("meas:"+e.v.Name, askMeasEvent, name), "", ls))
	}
	return out
}

func startWord(kind string) string {
	if kind == extraction.KindConstant {
		return "Incremented: "
	}
	return "Started: "
}

func stopWord(kind string) string {
	if kind == extraction.KindConstant {
		return "Reset: "
	}
	return "Stopped: "
}

func expiryWord(kind string) string {
	if kind == extraction.KindConstant {
		return "At maximum: "
	}
	return "At expiry: "
}

// sample keeps at most MaxPerKind items, chosen by the seed, in document
// order.
func sample[T any](b *docBuilder, items []T, name func(T) string) []T {
	if len(items) <= b.cfg.MaxPerKind {
		return items
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		return b.pick("sample:"+name(items[x]), 1<<30) - b.pick("sample:"+name(items[y]), 1<<30)
	})
	idx = idx[:b.cfg.MaxPerKind]
	slices.Sort(idx)
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = items[j]
	}
	return out
}
