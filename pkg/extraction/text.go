package extraction

import (
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// Unescape removes markdown backslash escapes and the few HTML entities
// converters leave behind, so that `INTERNAL\_PROC\_X` reads INTERNAL_PROC_X.
// (mdtext.Unescape, which the score reads chunks with too.)
func Unescape(s string) string { return mdtext.Unescape(s) }

// Collapse trims s and turns every run of whitespace into one space: the
// whitespace normalization every name in a result goes through.
func Collapse(s string) string { return mdtext.Collapse(s) }

// heading is one markdown heading seen inside a chunk.
type heading struct {
	level int
	title string
}

// section is a run of chunk lines under one heading path.
type section struct {
	path  []string // heading path, outermost first
	lines []string
}

// row is a table row (cells trimmed and whitespace-collapsed) or a
// "Label: value" line, which identity blocks use the same way.
type row []string

// table is a run of consecutive table rows (separator rows dropped).
type table struct {
	rows    []row
	section int  // index of the section the table sits in
	header  bool // rows[0] is a header row (a separator row follows it)
	// start and end delimit the table's lines in its section's lines
	// (end exclusive): what precedes start is the text above the table.
	start, end int
}

// chunk is the parsed view of an Input that rules work on.
type chunk struct {
	in       Input
	text     string // unescaped chunk text
	sections []section
	tables   []table
	context  identityInfo    // identity of the document, from Input.Context and the chunk
	known    map[string]bool // MO classes written before an attribute (knownClasses)
	dotted   [][]string      // dotted tokens of text (tokens)
	dict     Dictionary      // reference names, or nil
	// sheetRows counts the known rows the sheet rule read (sheet family).
	sheetRows int
}

// parseChunk splits the chunk into sections and tables.
func parseChunk(in Input) *chunk {
	c := &chunk{in: in, text: Unescape(in.Text)}
	base := make([]heading, 0, len(in.Headings))
	for i, h := range in.Headings {
		base = append(base, heading{level: i + 1, title: Collapse(Unescape(h))})
	}
	stack := base
	cur := section{path: titles(stack)}
	var tbl *table
	flushTable := func() {
		if tbl != nil && len(tbl.rows) > 0 {
			c.tables = append(c.tables, *tbl)
		}
		tbl = nil
	}
	for _, line := range strings.Split(c.text, "\n") {
		if lvl, title, ok := mdtext.Heading(line); ok {
			flushTable()
			c.sections = append(c.sections, cur)
			keep := underHeading(stack, lvl, title)
			stack = keep
			cur = section{path: titles(stack)}
			continue
		}
		cur.lines = append(cur.lines, line)
		if cells, ok := tableCells(line); ok {
			if cells == nil { // separator row
				if tbl != nil && len(tbl.rows) == 1 {
					tbl.header = true
				}
				continue
			}
			if tbl == nil {
				tbl = &table{section: len(c.sections), start: len(cur.lines) - 1}
			}
			tbl.rows = append(tbl.rows, cells)
			tbl.end = len(cur.lines)
			continue
		}
		if strings.TrimSpace(line) != "" {
			flushTable()
		}
	}
	flushTable()
	c.sections = append(c.sections, cur)
	return c
}

func titles(hs []heading) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.title
	}
	return out
}

// underHeading is the heading path after a heading of level lvl: the
// headings of stack above that level, then this one (when its title is not
// empty). stack is left as it was.
func underHeading(stack []heading, lvl int, title string) []heading {
	keep := stack[:0:0]
	for _, h := range stack {
		if h.level < lvl {
			keep = append(keep, h)
		}
	}
	if t := Collapse(title); t != "" {
		keep = append(keep, heading{level: lvl, title: t})
	}
	return keep
}

// tableCells splits a markdown table line into collapsed cells. ok is false for
// a line that is not a table row; cells is nil for a separator row (|---|---|).
func tableCells(line string) (cells row, ok bool) {
	if t := strings.TrimSpace(line); len(t) < 2 {
		return nil, false // a lone "|" is no table line here
	}
	return mdtext.TableCells(line)
}
