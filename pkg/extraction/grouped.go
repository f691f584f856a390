package extraction

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// groupedRules are the rules ModeFeatureGrouped adds to cmedit: the document
// structure. Dependencies tables give related features their relationship,
// Parameters tables give parameters their role and join MO class and
// attribute columns, Events tables have their conversion artifacts repaired,
// the identity tables of a change history are told from related features,
// and items are attributed to the feature their section is about.
var groupedRules = []rule{
	groupedDependencies,
	groupedParameters,
	groupedBareParameters,
	groupedEvents,
	groupedHistory,
	groupedAttribution,
}

// dependencyColumns are the columns of a dependencies table.
type dependencyColumns struct {
	relation int // the relationship column
	faj      int // a column of its own for the FAJ id, or -1 (the id sits in the name cell)
	name     int // the feature name column
}

// dependencyTable reads the columns of a dependencies table: a header with a
// Relationship column (not a parameters table, whose Relationship column
// holds roles); or, for a table under a Dependencies heading whose header row
// is not in the chunk, the column that holds relationship words. ok is false
// for any other table.
func (c *chunk) dependencyTable(t table) (dependencyColumns, bool) {
	cols := dependencyColumns{relation: -1, faj: -1, name: -1}
	if t.header {
		h := t.rows[0]
		if nameHeader.MatchString(strings.ToLower(cell(h, 0))) {
			return cols, false
		}
		cols.relation = headerIndex(h, relationshipHeader)
		cols.faj = headerIndex(h, fajHeader)
		cols.name = headerIndex(h, featureHeader)
	}
	if cols.relation < 0 {
		if !c.inSection(t, dependencyHeading) {
			return cols, false
		}
		cols.relation = columnOf(t, relationOf)
		cols.faj, cols.name = -1, -1
	}
	if cols.relation < 0 {
		return cols, false
	}
	if cols.faj < 0 {
		// a FAJ column with an empty or unexpected header
		if i := columnOf(t, func(s string) string { return NormalizeFAJ(s) }); i >= 0 && i != cols.name && i < cols.relation {
			cols.faj = i
		}
	}
	if cols.name < 0 || cols.name == cols.faj {
		cols.name = -1
		for i := 0; i < cols.relation; i++ {
			if i != cols.faj {
				cols.name = i
				break
			}
		}
	}
	return cols, true
}

// groupedDependencies records, for every row of a dependencies table, the
// features of its feature cell (or FAJ column) with the row's relationship,
// lower-cased. FAJ ids in the description column are left to the basic rule:
// they are mentioned, not depended on.
func groupedDependencies(c *chunk, r *Result) {
	own := map[string]bool{}
	for _, f := range r.MainFeatures {
		own[f.FAJ] = true
	}
	for _, faj := range c.context.fajs() {
		own[faj] = true
	}
	for _, t := range c.tables {
		cols, ok := c.dependencyTable(t)
		if !ok {
			continue
		}
		for _, rw := range t.body() {
			rel := relationOf(cell(rw, cols.relation))
			if rel == "" {
				continue
			}
			nameCell := cell(rw, cols.name)
			fajs := findFAJs(cell(rw, cols.faj))
			if cols.faj < 0 {
				fajs = findFAJs(nameCell)
			}
			name := featureName(nameCell)
			if len(fajs) == 0 && name != "" {
				fajs = namedFAJs(rw, name) // "LPPa-based E-CID Support, FAJ 121 3030, must be ..."
			}
			for _, faj := range fajs {
				if own[faj] || isValuePackage(faj) {
					continue
				}
				r.RelatedFeatures = append(r.RelatedFeatures, RelatedFeature{Name: name, FAJ: faj, Relationship: rel})
			}
		}
	}
}

// namedFAJs returns the FAJ ids a row writes right after the feature name
// ("Zeta Prebooster, FAJ 121 9902" or "Zeta Prebooster (FAJ 121 9902)" in
// its description): the row's feature when its name cell has no id.
func namedFAJs(rw row, name string) []string {
	pat, err := regexp.Compile(`(?i)` + regexp.QuoteMeta(name) + `\s*[,(]?\s*(FAJ\s*\d{3}\s*\d{3,4})\b`)
	if err != nil {
		return nil
	}
	var out []string
	for _, c := range rw {
		for _, m := range pat.FindAllStringSubmatch(c, -1) {
			if faj := NormalizeFAJ(m[1]); !contains(out, faj) {
				out = append(out, faj)
			}
		}
	}
	return out
}

// featureName returns the feature name of a dependencies name cell: the text
// before a FAJ id written into it ("QoS-Aware Scheduler (FAJ 121 0859)"), or
// the whole cell; "" when the cell holds several FAJ ids.
func featureName(cell string) string {
	if len(findFAJs(cell)) > 1 {
		return ""
	}
	if loc := fajInName.FindStringIndex(cell); loc != nil {
		cell = cell[:loc[0]]
	}
	name := Collapse(strings.Trim(cell, " ,;:-("))
	if strings.Contains(name, "FAJ") || len(name) > 100 {
		return ""
	}
	return name
}

// parameterColumns are the columns of a parameters table.
type parameterColumns struct {
	names   int // a column of MoClass.attribute names, or -1
	role    int // the role column (Introduced / Affecting / Affected), or -1
	class   int // an MO class column, or -1
	attr    int // an attribute column next to the class column, or -1
	counter int // a PM counter column next to the class column, or -1
}

// parameterTable reads the columns of a parameters table: a header naming a
// Parameter / Attribute column (with a Type or Relationship column holding
// roles), or an MO Class column beside an Attribute or Counter column; for a
// table under a Parameters heading whose header row is not in the chunk, the
// column holding role words and the first column holding names.
func (c *chunk) parameterTable(t table) (parameterColumns, bool) {
	cols := parameterColumns{names: -1, role: -1, class: -1, attr: -1, counter: -1}
	if t.header {
		h := t.rows[0]
		cols.class = headerIndex(h, classHeader)
		if cols.class >= 0 {
			cols.attr = headerIndex(h, nameHeader)
			cols.counter = headerIndex(h, counterHeader)
			if cols.attr < 0 && cols.counter < 0 {
				cols.class = -1
			}
		}
		if cols.class < 0 && nameHeader.MatchString(strings.ToLower(cell(h, 0))) {
			cols.names = 0
		}
		if cols.names >= 0 || cols.class >= 0 {
			// the role column goes by many names (Type, Category, Feature
			// Type, Relationship): it is the one holding role words
			cols.role = columnOf(t, roleOf)
			return cols, true
		}
		if headerIndex(h, relationshipHeader) >= 0 || !c.inSection(t, parameterHeading) {
			return cols, false
		}
	}
	if !c.inSection(t, parameterHeading) {
		return cols, false
	}
	cols.role = columnOf(t, roleOf)
	if cols.role < 0 {
		return cols, false
	}
	cols.names = columnOf(t, func(s string) string {
		if mdtext.HasDottedName(s) {
			return s
		}
		return ""
	})
	return cols, cols.names >= 0
}

// attributeWord reads an attribute column cell: one attribute name.
var attributeWord = regexp.MustCompile(`^[a-z][A-Za-z0-9]+$`)

// hasLower reports whether s holds a lower-case letter, as every MO class
// name does (an all-capital word in a class cell is an abbreviation).
func hasLower(s string) bool { return strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") }

// notClasses are words of MO class cells that are not classes.
var notClasses = map[string]bool{"N": true, "A": true, "NA": true, "MO": true, "MOs": true, "All": true, "And": true, "Or": true, "See": true}

// groupedParameters gives the parameters of a parameters table the role its
// row states (introduced, affecting, affected), and joins an MO class column
// and an attribute column into MoClass.attribute (several classes in the
// class cell make several parameters), or a counter column into
// MoClass.pmName.
func groupedParameters(c *chunk, r *Result) {
	for _, t := range c.tables {
		cols, ok := c.parameterTable(t)
		if !ok {
			continue
		}
		for _, rw := range t.body() {
			role := roleOf(cell(rw, cols.role))
			if cols.names >= 0 {
				ps, _ := c.names(cell(rw, cols.names))
				for _, p := range ps {
					p.Role = role
					r.Parameters = append(r.Parameters, p)
				}
			}
			if cols.class < 0 {
				continue
			}
			classes := classesOf(cell(rw, cols.class))
			if a := cell(rw, cols.attr); attributeWord.MatchString(a) && !IsCounterName(a) {
				for _, cls := range classes {
					addParameter(r, cls, a, role)
				}
			}
			if n := cell(rw, cols.counter); IsCounterName(n) && attributeWord.MatchString(n) {
				for _, cls := range classes {
					r.Counters = append(r.Counters, Counter{Name: cls + "." + n, MOClass: cls})
				}
			}
		}
	}
}

// classesOf returns the MO classes an MO class cell names
// ("EUtranCellFDD EUtranCellTDD", "EUtranCellFDD and EUtranCellTDD"); none
// when the cell is prose.
func classesOf(s string) []string {
	s = footnoteMark.ReplaceAllString(s, "")
	words := strings.Fields(strings.NewReplacer(",", " ", "/", " ", ";", " ").Replace(s))
	var out []string
	for _, w := range words {
		switch {
		case w == "and" || w == "or":
		case moClassShape.MatchString(w) && !notClasses[w] && hasLower(w):
			out = append(out, w)
		default:
			return nil
		}
	}
	return out
}

// footnoteMark is a footnote marker a converter leaves after a name: "(1)".
var footnoteMark = regexp.MustCompile(`\s*\(\d{1,2}\)`)

// spacedEventPart is the start of a piece of an event name a converter cut
// off with a space: "INTERNAL_PER_UE _TRAFFIC_REP", "..._RESTART INDICATION".
var spacedEventPart = regexp.MustCompile(`^(?:_[A-Z0-9]+(?:_[A-Z0-9]+)*|[A-Z][A-Z0-9]+)$`)

// groupedEvents repairs event names a converter broke: in an Events table's
// first column, names cut by a space (INTERNAL_PER_UE _TRAFFIC_REP,
// INTERNAL_PER_CELL_TRAFFIC REPORT) are joined and the truncated name the
// basic rule read is dropped; anywhere, an LTE event name missing its first
// letter (NTERNAL_PROC_..., OCAL_PER_...) is given it back.
func groupedEvents(c *chunk, r *Result) {
	var dropped [][]string
	if strings.Contains(c.text, "NTERNAL_") || strings.Contains(c.text, "OCAL_") {
		dropped = droppedLetter.FindAllStringSubmatch(c.text, -1) // it needs one of those; few chunks have them
	}
	for _, m := range dropped {
		letter := "I"
		if m[1] == "OCAL" {
			letter = "L"
		}
		r.Events = append(r.Events, Event{Name: letter + m[0]})
	}
	for _, t := range c.tables {
		if !isEventTable(t) {
			continue
		}
		for _, rw := range t.rows[1:] {
			fields := strings.Fields(footnoteMark.ReplaceAllString(cell(rw, 0), ""))
			for i := 0; i+1 < len(fields); i++ {
				head, next := fields[i], fields[i+1]
				if !snakeEvent.MatchString(head) || isEventParameter(head) || !spacedEventPart.MatchString(next) {
					continue
				}
				joined := head + "_" + strings.TrimPrefix(next, "_")
				if !snakeEvent.MatchString(joined) {
					continue
				}
				r.Events = append(r.Events, Event{Name: joined})
				dropEvent(r, head)
				fields[i+1] = joined
			}
		}
	}
}

// dropEvent removes the event name from r.
func dropEvent(r *Result, name string) {
	out := r.Events[:0]
	for _, e := range r.Events {
		if e.Name != name {
			out = append(out, e)
		}
	}
	r.Events = out
}

// groupedHistory keeps the identity tables of a change history (appendix
// tables with Feature Identity rows) out of related_features: they describe
// the document's own earlier releases, or features the same change touched,
// not features the document depends on. A FAJ id the document gives a
// relationship for stays related.
func groupedHistory(c *chunk, r *Result) {
	history := map[string]bool{}
	for _, s := range c.sections {
		if !inAppendix(s.path) {
			continue
		}
		for _, b := range identityBlocks(strings.Join(s.lines, "\n")) {
			for _, rw := range b {
				if l := labelOf(rw[0]); l == labelFAJ || l == labelName {
					for _, faj := range findFAJs(strings.Join(rw[1:], " ")) {
						history[faj] = true
					}
				}
			}
		}
	}
	if len(history) == 0 {
		return
	}
	related := map[string]bool{} // FAJ ids with a relationship
	for _, f := range r.RelatedFeatures {
		if f.Relationship != "" {
			related[f.FAJ] = true
		}
	}
	out := r.RelatedFeatures[:0]
	for _, f := range r.RelatedFeatures {
		if !history[f.FAJ] || related[f.FAJ] {
			out = append(out, f)
		}
	}
	r.RelatedFeatures = out
}

// groupedAttribution attributes the items of a chunk of a document that
// describes several features to the one feature its headings name
// ("Parameters for Zeta Boost"); with one feature, attribute does it.
func groupedAttribution(c *chunk, r *Result) {
	features := c.context.features
	if len(c.context.fajs()) < 2 {
		features = r.MainFeatures
	}
	if len(identityInfo{features: features}.fajs()) < 2 {
		return
	}
	var headings []string
	for _, s := range c.sections {
		headings = append(headings, s.path...)
	}
	best, fajs := 0, map[string]bool{}
	for _, f := range features {
		if f.Name == "" || f.FAJ == "" {
			continue
		}
		for _, h := range headings {
			if !strings.Contains(h, f.Name) {
				continue
			}
			switch n := len(f.Name); {
			case n > best:
				best, fajs = n, map[string]bool{f.FAJ: true}
			case n == best:
				fajs[f.FAJ] = true
			}
		}
	}
	if len(fajs) != 1 {
		return
	}
	var faj string
	for f := range fajs {
		faj = f
	}
	attributeUnowned(r, faj)
}
