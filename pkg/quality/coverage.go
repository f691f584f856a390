package quality

import (
	"regexp"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

// The loose candidate patterns of Coverage. They are deliberately wider than
// the extraction rules: what they find that no rule keeps lowers Coverage a
// little, which is the point of measuring against them. The MoClass.attribute,
// pm, FAJ, CXC and event-like candidates are mdtext's scanners (DottedNames,
// Counters, Codes, EventLike).
var (
	camelCandidate = regexp.MustCompile(`^(?:CuCp|CuUp|Du)[A-Z][A-Za-z0-9]+$`)
	snakeCandidate = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)
	procedureLine  = regexp.MustCompile(`(?i)featurestate|activat`)
	eventParameter = regexp.MustCompile(`^EVENT_(?:PARAM|VALUE|ARRAY)_`)
	droppedLetter  = regexp.MustCompile(`\b(NTERNAL|OCAL)(?:_[A-Z0-9]+){2,}\b`)
	relationWord   = regexp.MustCompile(`(?i)^(prerequisite|related|conflicting|mandatory|recommended|optional|required|excluded|incompatible|dependent)s?$`)
)

// counterWords are pm words that name counters or events in general.
var counterWords = map[string]bool{"pmCounter": true, "pmCounters": true, "pmEvent": true, "pmEvents": true}

// candidates collects candidates by family, each counted once.
type candidates struct {
	seen  map[string]bool
	total int
	found int
}

// add counts the candidate key of a family, captured or not.
func (c *candidates) add(family, key string, captured bool) {
	k := family + "\x00" + key
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	c.total++
	if captured {
		c.found++
	}
}

// gluedOf reports whether s is names a converter glued together
// ("pmCaConfigDlSumpmCaConfigDlSamp" from a list of two counters,
// "pmSleepInEUtranCellTDD" from "EUtranCellFDD.pmSleepIn
// EUtranCellTDD.pmSleepIn"): s splits, from its start, into two parts or
// more, each the attribute of one of names or the MO class of one, the
// first an attribute. The extraction rules split such runs (against the
// MO classes of the chunk and the reference names); a run captured in
// parts is captured.
func gluedOf(s string, names []string) bool {
	parts := map[string]bool{}
	attrs := map[string]bool{}
	for _, n := range names {
		cls, attr, dotted := strings.Cut(n, ".")
		if !dotted {
			attr, cls = n, ""
		}
		attrs[attr], parts[attr] = true, true
		if cls != "" {
			parts[cls] = true
		}
	}
	// ok[i]: s[:i] splits into parts, the first an attribute.
	ok := make([]int, len(s)+1) // count of parts ending at i, 0 if none
	for i := 1; i <= len(s); i++ {
		if attrs[s[:i]] {
			ok[i] = 1
			continue
		}
		for j := 1; j < i; j++ {
			if ok[j] > 0 && parts[s[j:i]] {
				ok[i] = ok[j] + 1
				break
			}
		}
	}
	return ok[len(s)] >= 2
}

// coverage is the share of the text's candidates that r captured.
func coverage(t text, r extraction.Result) float64 {
	c := candidates{seen: map[string]bool{}}
	if looseTable(t) {
		c.add("table", "loose", false) // what its rows paired is not captured (see loose.go)
	}
	var names []string // parameter and counter names
	for _, p := range r.Parameters {
		names = append(names, p.Name)
	}
	for _, x := range r.Counters {
		names = append(names, x.Name)
	}
	for _, m := range mdtext.DottedNames(t.flat) {
		if last := m[strings.LastIndexByte(m, '.')+1:]; mdtext.IsFileExtension(last) || mdtext.IsSentenceWord(last) {
			continue
		}
		c.add("name", m, anyMatch(names, func(n string) bool { return strings.Contains(m, n) || strings.Contains(n, m) }))
	}
	for _, m := range mdtext.ConfigAttributes(t.raw) {
		name := m.Class + "." + m.Attribute
		c.add("name", name, slices.Contains(names, name))
	}
	for _, m := range mdtext.Counters(t.flat) {
		if counterWords[m] {
			continue
		}
		c.add("counter", m, anyMatch(names, func(n string) bool { return strings.Contains(n, m) }) || gluedOf(m, names))
	}

	fajs := map[string]bool{}
	mainFAJ := map[string]bool{}
	for _, f := range r.MainFeatures {
		fajs[squeeze(f.FAJ)], mainFAJ[squeeze(f.FAJ)] = true, true
	}
	for _, f := range r.RelatedFeatures {
		fajs[squeeze(f.FAJ)] = true
	}
	for _, m := range mdtext.Codes(t.context, "FAJ") {
		fajs[m.Squeezed("FAJ")] = true // the document's own feature, known from the context
	}
	history := historyFAJs(t)
	for _, m := range mdtext.Codes(t.flat, "FAJ") {
		if k := m.Squeezed("FAJ"); !strings.HasPrefix(k, "FAJ801") && !history[k] {
			c.add("faj", k, fajs[k])
		}
	}

	events := map[string]bool{}
	for _, e := range r.Events {
		events[e.Name] = true
	}
	for _, m := range mdtext.EventLike(t.flat) {
		c.add("event", m, events[m])
	}
	var dropped [][]string
	if strings.Contains(t.flat, "NTERNAL_") || strings.Contains(t.flat, "OCAL_") {
		dropped = droppedLetter.FindAllStringSubmatch(t.flat, -1)
	}
	for _, m := range dropped {
		name := map[string]string{"NTERNAL": "I", "OCAL": "L"}[m[1]] + m[0]
		c.add("event", name, events[name])
	}
	for _, tb := range t.tables {
		if tb.listsEvents() {
			for _, row := range tb.body() {
				if len(row) > 0 && snakeCandidate.MatchString(row[0]) && !eventParameter.MatchString(row[0]) {
					c.add("event", row[0], events[row[0]])
				}
			}
		}
	}

	codes := map[string]bool{}
	for _, a := range r.ActivationProcedures {
		for _, x := range a.CXC {
			codes[squeeze(x)] = true
		}
	}
	for _, f := range r.MainFeatures {
		codes[squeeze(f.CXC)] = true
	}
	var steps []string
	for _, a := range r.ActivationProcedures {
		steps = append(steps, a.Steps...)
	}
	for _, l := range t.lines {
		inProcedure := l.kind != ""
		if strings.Contains(l.text, "CXC") && (inProcedure || procedureLine.MatchString(l.text)) {
			for _, m := range mdtext.Codes(l.text, "CXC") {
				c.add("cxc", m.Squeezed("CXC"), codes[m.Squeezed("CXC")])
			}
		}
		if step, ok := mdtext.NumberedStep(l.text); ok && inProcedure {
			s := extraction.Collapse(step)
			c.add("step", s, anyMatch(steps, func(x string) bool { return x == s || strings.Contains(x, s) || strings.Contains(s, x) }))
		}
	}

	for _, d := range append(dependencyRows(t), proseRelationships(t)...) {
		c.add("relationship", d.faj+"\x00"+d.relationship, hasRelationship(r, d))
	}
	for _, x := range roleRows(t) {
		c.add("role", x.name+"\x00"+x.role, hasRole(r, x))
	}
	for _, a := range bareAttributes(t) {
		c.add("bare", a, anyMatch(r.Parameters, func(p extraction.Parameter) bool { return attributeOf(p) == a }))
	}
	for _, n := range classColumnPairs(t) {
		c.add("name", n, anyMatch(r.Parameters, func(p extraction.Parameter) bool { return p.Name == n }))
	}
	for _, s := range commandSteps(t) {
		c.add("command", s.kind+"\x00"+s.text, hasCommand(r, s))
	}
	for _, id := range append(identityRows(t), proseIdentities(t)...) {
		for _, faj := range id.fajs {
			// a change history's identity table is the document's own feature
			// (main) or a record of its releases: never a plain related feature
			c.add("main", faj, mainFAJ[faj] || id.appendix && !plainRelated(r, faj))
		}
		if id.name != "" {
			c.add("main-name", id.name, anyMatch(r.MainFeatures, func(f extraction.Feature) bool { return f.Name == id.name }))
		}
	}
	gppCoverage(t, r, &c)
	return share(float64(c.found), float64(c.total))
}

func anyMatch[T any](list []T, f func(T) bool) bool {
	for _, x := range list {
		if f(x) {
			return true
		}
	}
	return false
}

// squeeze removes all whitespace.
func squeeze(s string) string { return mdtext.Squeeze(s) }

// dependency is a row of a dependencies table: a FAJ id and its relationship.
type dependency struct {
	faj          string // squeezed
	relationship string // lower-case
}

// dependencyRows returns the rows of the chunk's tables that pair FAJ ids
// with a relationship word in a cell of their own: the FAJ ids of the cells
// before the relationship cell (the feature and its id), or, where those
// hold none, of every cell of the row.
func dependencyRows(t text) []dependency {
	var out []dependency
	for _, tb := range t.tables {
		for _, row := range tb.rows {
			rel, at := "", -1
			for i, cell := range row {
				// a cell of its own: the columns are not known
				if r, whole := mdtext.Relation(cell); whole {
					rel, at = r, i
					break
				}
			}
			if rel == "" {
				continue
			}
			cells := row[:at]
			if !anyMatch(cells, func(s string) bool { return mdtext.HasCode(s, "FAJ") }) {
				cells = row
			}
			for _, cell := range cells {
				for _, m := range mdtext.Codes(cell, "FAJ") {
					if k := m.Squeezed("FAJ"); !strings.HasPrefix(k, "FAJ801") {
						out = append(out, dependency{faj: k, relationship: rel})
					}
				}
			}
		}
	}
	return out
}

func hasRelationship(r extraction.Result, d dependency) bool {
	for _, f := range r.RelatedFeatures {
		if squeeze(f.FAJ) == d.faj && strings.EqualFold(strings.TrimSuffix(f.Relationship, "s"), d.relationship) {
			return true
		}
	}
	return false
}

// identity is one column of an identity table.
type identity struct {
	fajs         []string // squeezed
	name         string
	valuePackage string
	accessType   string
	appendix     bool // the table sits in an appendix or change history
}

// identityRows reads the identity tables of the chunk (rows labelled
// Feature Name, Feature Identity, Value Package Name, Access Type), one
// identity per value column.
func identityRows(t text) []identity {
	var out []identity
	for _, tb := range t.tables {
		byLabel := map[string][]string{}
		for _, row := range tb.rows {
			if len(row) > 1 {
				label := strings.ToLower(strings.TrimRight(row[0], ": "))
				if _, ok := byLabel[label]; !ok {
					byLabel[label] = row[1:]
				}
			}
		}
		ids := byLabel["feature identity"]
		for i, cell := range ids {
			id := identity{appendix: inAppendix(tb.path)}
			for _, m := range mdtext.Codes(cell, "FAJ") {
				if k := m.Squeezed("FAJ"); !strings.HasPrefix(k, "FAJ801") {
					id.fajs = append(id.fajs, k)
				}
			}
			if len(id.fajs) == 0 {
				continue
			}
			id.name = at(byLabel["feature name"], i)
			id.valuePackage = at(byLabel["value package name"], i)
			id.accessType = at(byLabel["access type"], i)
			out = append(out, id)
		}
	}
	return out
}

func inAppendix(path []string) bool {
	return anyMatch(path, mdtext.IsAppendix)
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}
