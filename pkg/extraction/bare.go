package extraction

import (
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// Bare parameter tables: a parameters table whose name column lists
// attributes without their MO class (| Parameter | Description | with rows
// "dscp", "priority TOOLTIPFLAG"), the class being stated once around the
// table. The class is read from, nearest first:
//
//   - the text of the table's own section above it, back to the previous
//     table: the caption ("Table 5   MO CellPortionRd", "Table 6   MO RdData
//     Parameters"), a line naming the MO ("MO RdData") or a sentence ("The
//     managed object X has ...", "... parameters in the X MO."). The
//     nearest sentence that names any MO class as such (mdtext.NamedMOs)
//     decides: it must name exactly one, and no other MO class (a
//     MoClass.attribute of another class) may be written between it and the
//     table;
//   - failing any such sentence, the section's own heading ("Parameters of
//     the X MO"), by the same test.
//
// A class named in another section is never used, nor one named only as
// the parent of another ("... has MO QciTable as parent"). When no class is
// found the rows are left out: an attribute is never given a guessed class.
// A table that writes MoClass.attribute in some rows states no class for
// its bare rows (they are struct members or attributes of other classes),
// so its bare rows are left out too.

// bareRows returns the bare attribute names of the name column of a
// parameters table with its role, or nil when the column holds a
// MoClass.attribute name anywhere.
func bareRows(t table, cols parameterColumns) (names, roles []string) {
	for _, rw := range t.body() {
		c := cell(rw, cols.names)
		if mdtext.HasDottedName(c) {
			return nil, nil
		}
		if a, ok := mdtext.BareAttribute(c); ok && !mdtext.IsSentenceWord(a) {
			names = append(names, a)
			roles = append(roles, roleOf(cell(rw, cols.role)))
		}
	}
	return names, roles
}

// tableClass returns the one MO class the text around table t names for its
// bare attribute rows (see above), or "".
func (c *chunk) tableClass(t table) string {
	if t.section >= len(c.sections) {
		return ""
	}
	s := c.sections[t.section]
	from := 0
	for _, o := range c.tables {
		if o.section == t.section && o.end <= t.start && o.end > from {
			from = o.end
		}
	}
	if t.start > len(s.lines) || from > t.start {
		return ""
	}
	units := proseUnits(s.lines[from:t.start])
	var between []string // MO classes of MoClass.attribute names nearer the table
	for i := len(units) - 1; i >= 0; i-- {
		named := mdtext.NamedMOs(units[i])
		if len(named) == 0 {
			between = append(between, dottedClasses(units[i])...)
			continue
		}
		return onlyClass(named, append(between, dottedClasses(units[i])...))
	}
	if len(s.path) == 0 {
		return ""
	}
	heading := s.path[len(s.path)-1]
	if named := mdtext.NamedMOs(heading); len(named) > 0 {
		return onlyClass(named, append(between, dottedClasses(heading)...))
	}
	return ""
}

// onlyClass returns the class when named holds one and others holds no
// other, else "".
func onlyClass(named, others []string) string {
	if len(named) != 1 {
		return ""
	}
	for _, o := range others {
		if o != named[0] {
			return ""
		}
	}
	return named[0]
}

// dottedClasses returns the MO classes of the MoClass.attribute names of s.
func dottedClasses(s string) []string {
	var out []string
	for _, n := range mdtext.DottedNames(s) {
		cls, _, _ := strings.Cut(n, ".")
		out = append(out, cls)
	}
	return out
}

// proseUnits splits the lines above a table into sentences, in order: the
// converter breaks sentences over lines (and blank lines), so lines are
// joined and cut after a sentence's closing . : ! ?; a table caption
// ("Table 5   MO CellPortionRd") and a list item are units of their own.
func proseUnits(lines []string) []string {
	var units []string
	var cur strings.Builder
	flush := func() {
		if s := Collapse(cur.String()); s != "" {
			units = append(units, s)
		}
		cur.Reset()
	}
	for _, l := range lines {
		s := Collapse(l)
		if s == "" {
			continue
		}
		if isCaption(s) || strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") {
			flush()
			units = append(units, s)
			continue
		}
		for s != "" {
			i := sentenceStop(s)
			if i < 0 {
				cur.WriteString(s)
				cur.WriteByte(' ')
				break
			}
			cur.WriteString(s[:i])
			flush()
			s = strings.TrimSpace(s[i:])
		}
	}
	flush()
	return units
}

// sentenceStop returns the index just after the first . : ! or ? of s that
// ends a sentence (followed by a space or the end of s), or -1.
func sentenceStop(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', ':', '!', '?':
			if i+1 == len(s) || s[i+1] == ' ' {
				return i + 1
			}
		}
	}
	return -1
}

// isCaption reports whether a line is a table caption: "Table", a space and
// a number.
func isCaption(s string) bool {
	rest, ok := strings.CutPrefix(s, "Table ")
	return ok && rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

// groupedBareParameters records the rows of bare parameters tables (see
// above) as MoClass.attribute with the class the text around the table
// names, and the role of their row.
func groupedBareParameters(c *chunk, r *Result) {
	for _, t := range c.tables {
		if !t.header || !mdtext.ParameterHeader(cell(t.rows[0], 0)) {
			continue
		}
		cols, ok := c.parameterTable(t)
		if !ok || cols.names != 0 {
			continue
		}
		names, roles := bareRows(t, cols)
		if len(names) == 0 {
			continue
		}
		cls := c.tableClass(t)
		if cls == "" {
			continue
		}
		for i, a := range names {
			addParameter(r, cls, a, roles[i])
		}
	}
}
