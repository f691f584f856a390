package extraction

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// The column headers feature_grouped reads tables by, matched against the
// lower-cased, whitespace-collapsed header cell.
var (
	relationshipHeader = regexp.MustCompile(`^(?:relationships?|relation|dependency(?: type)?|relationship type)$`)
	fajHeader          = regexp.MustCompile(`^(?:feature )?(?:identity|id|faj)(?: id)?$`)
	featureHeader      = regexp.MustCompile(`^(?:feature|features|feature name|related feature|name)$`)
	nameHeader         = headerFunc(mdtext.ParameterHeader) // Parameter(s), Attribute(s), MO Attribute(s) ...
	classHeader        = regexp.MustCompile(`^(?:mo |new mo |introduced mo )?class(?: name)?$|^mo$`)
	counterHeader      = regexp.MustCompile(`^(?:pm |new pm|new )?counters?(?: name)?$|^pm ?counters?$|^new pmcounters?$`)
	dependencyHeading  = regexp.MustCompile(`(?i)\bdependenc`)
	parameterHeading   = regexp.MustCompile(`(?i)\bparameters?\b|\bmom attributes\b|\battributes\b`)
)

// relationOf reads a relationship cell: its leading relationship word,
// lower-cased and singular ("Prerequisite" -> "prerequisite",
// "Related (Part of LTE Basic)" -> "related"), or "".
func relationOf(cell string) string {
	rel, _ := mdtext.Relation(Collapse(cell))
	return rel
}

// roleOf reads a parameter role cell ("Introduced", "Affecting",
// "Affected", "Introduced."), or "".
func roleOf(cell string) string { return mdtext.Role(Collapse(cell)) }

// cell returns cell i of a row, or "".
func cell(r row, i int) string {
	if i < 0 || i >= len(r) {
		return ""
	}
	return r[i]
}

// headerFunc is a header test written as a function (an mdtext reader),
// used where a header pattern is.
type headerFunc func(string) bool

// MatchString reports whether the header cell s passes the test.
func (f headerFunc) MatchString(s string) bool { return f(s) }

// headerIndex returns the index of the first header cell that pat matches,
// or -1.
func headerIndex(h row, pat interface{ MatchString(string) bool }) int {
	for i, c := range h {
		if pat.MatchString(strings.ToLower(Collapse(c))) {
			return i
		}
	}
	return -1
}

// body returns the rows of t below its header row.
func (t table) body() []row {
	if t.header && len(t.rows) > 0 {
		return t.rows[1:]
	}
	return t.rows
}

// inSection reports whether the table sits under a heading (of its own
// section path or the chunk's heading path) that pat matches: a table
// continued from a previous chunk still knows it is in "Dependencies".
func (c *chunk) inSection(t table, pat *regexp.Regexp) bool {
	if t.section < len(c.sections) {
		for _, h := range c.sections[t.section].path {
			if pat.MatchString(h) {
				return true
			}
		}
	}
	return false
}

// columnOf returns the column whose body cells read fn (non-empty) in at
// least half of the body rows, or -1: the column of a table whose header row
// is missing.
func columnOf(t table, fn func(string) string) int {
	rows := t.body()
	if len(rows) == 0 {
		return -1
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for col := 0; col < width; col++ {
		n := 0
		for _, r := range rows {
			if fn(cell(r, col)) != "" {
				n++
			}
		}
		if 2*n >= len(rows) {
			return col
		}
	}
	return -1
}
