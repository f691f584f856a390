package quality

import (
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

// text is the view of a chunk the score works on.
type text struct {
	flat     string // unescaped, whitespace collapsed
	squeezed string // unescaped, all whitespace removed
	context  string // the document identity lines of the input
	raw      string // unescaped, lines kept
	headings string // the heading path of the input, collapsed
	lines    []line
	tables   []table
}

// line is one line of the chunk with the heading path it sits under, and
// the kind of procedure that path leads into ("activate", "deactivate" or
// "").
type line struct {
	text string
	path []string
	kind string
}

// table is a markdown table: its header cells and body rows, lower-cased
// header, cells whitespace-collapsed.
type table struct {
	header []string
	rows   [][]string
	path   []string
}

// parseText unescapes the chunk and splits it into lines and tables, tracking
// the heading path (Input.Headings, then the chunk's own headings).
func parseText(in extraction.Input) text {
	raw := extraction.Unescape(in.Text)
	flat := extraction.Collapse(raw)
	// Collapse leaves single spaces as the only whitespace: dropping them
	// squeezes the text as mdtext.Squeeze(raw) does, at memmove speed.
	t := text{flat: flat, squeezed: strings.ReplaceAll(flat, " ", ""),
		context: extraction.Collapse(extraction.Unescape(in.Context)), raw: raw,
		headings: extraction.Collapse(strings.Join(in.Headings, " ")),
		lines:    make([]line, 0, strings.Count(raw, "\n")+1)}
	type heading struct {
		level int
		title string
	}
	var stack []heading
	for i, h := range in.Headings {
		stack = append(stack, heading{i + 1, extraction.Collapse(h)})
	}
	path := func() []string {
		out := make([]string, len(stack))
		for i, h := range stack {
			out[i] = h.title
		}
		return out
	}
	cur := path()
	kind := procedureKind(cur)
	var tbl *table
	endTable := func() {
		if tbl != nil {
			t.tables = append(t.tables, *tbl)
			tbl = nil
		}
	}
	for _, l := range strings.Split(raw, "\n") {
		if lvl, title, ok := mdtext.Heading(l); ok {
			endTable()
			for len(stack) > 0 && stack[len(stack)-1].level >= lvl {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, heading{lvl, extraction.Collapse(title)})
			cur = path()
			kind = procedureKind(cur)
			continue
		}
		t.lines = append(t.lines, line{text: l, path: cur, kind: kind})
		s := strings.TrimSpace(l)
		if !strings.HasPrefix(s, "|") {
			if s != "" {
				endTable()
			}
			continue
		}
		cells, _ := mdtext.TableCells(s)
		if cells == nil {
			continue // separator row
		}
		if tbl == nil {
			h := make([]string, len(cells))
			for i, c := range cells {
				h[i] = strings.ToLower(c)
			}
			tbl = &table{header: h, path: cur}
			// identity tables have no header: their first row is a row
			tbl.rows = append(tbl.rows, cells)
			continue
		}
		tbl.rows = append(tbl.rows, cells)
	}
	endTable()
	return t
}

// column returns the index of the first header cell containing word, or -1.
func (t table) column(word string) int {
	for i, h := range t.header {
		if strings.Contains(h, word) {
			return i
		}
	}
	return -1
}

// listsEvents reports whether the table lists events in its first column:
// its header starts with "Event" and is not an event parameter column.
func (t table) listsEvents() bool {
	if len(t.header) == 0 {
		return false
	}
	h := t.header[0]
	return strings.HasPrefix(h, "event") && !strings.Contains(h, "param") && !strings.Contains(h, "value")
}

// body returns the rows after the header row.
func (t table) body() [][]string {
	if len(t.rows) == 0 {
		return nil
	}
	return t.rows[1:]
}

// procedureKind returns "activate" or "deactivate" when path leads into an
// Activate or Deactivate section (nearest heading first), or "".
func procedureKind(path []string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if kind := mdtext.ProcedureKind(path[i]); kind != "" {
			return kind
		}
	}
	return ""
}

// contains reports whether the flat text contains s (whitespace-collapsed).
func (t text) contains(s string) bool {
	s = extraction.Collapse(s)
	return s != "" && strings.Contains(t.flat, s)
}

// containsCode reports whether the text contains a code (FAJ id, CXC code)
// once all whitespace is removed from both.
func (t text) containsCode(s string) bool {
	s = strings.Join(strings.Fields(s), "")
	return s != "" && strings.Contains(t.squeezed, s)
}
