package html

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bounds on the grid of one table, against hostile spans.
const (
	maxColspan = 100
	maxRowspan = 1000
	maxColumns = 1000
)

// cell is one grid position of a table.
type cell struct {
	text string
	th   bool
}

// table writes a data table as a pipe table. A table used for layout (one
// column, or cells that hold tables or headings) is read as the blocks it
// holds instead.
func (r *renderer) table(t *html.Node, depth int) {
	rows, head, caption := tableRows(t)
	if caption != nil {
		r.para.WriteString(textOf(caption))
		r.flush()
	}
	if layoutTable(rows) {
		for _, tr := range rows {
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if isCell(c) {
					r.flush()
					r.children(c, depth+1)
					r.flush()
				}
			}
		}
		return
	}
	grid := buildGrid(rows)
	if head == 0 {
		// Leading rows of <th> only are the header; else the first row is.
		for head < len(grid) && head < 3 && allTH(grid[head]) {
			head++
		}
		head = max(head, 1)
	}
	text := pipeTable(grid, min(head, len(grid)))
	if text != "" {
		r.md.block(text)
		r.tables++
	}
}

// tableRows returns the rows of t (not of tables nested in it), how many of
// them come from <thead>, and the caption.
func tableRows(t *html.Node) (rows []*html.Node, head int, caption *html.Node) {
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			before := len(rows)
			for tr := c.FirstChild; tr != nil; tr = tr.NextSibling {
				if tr.Type == html.ElementNode && tr.DataAtom == atom.Tr {
					rows = append(rows, tr)
				}
			}
			if c.DataAtom == atom.Thead && before == head {
				head = len(rows)
			}
		case atom.Caption:
			caption = c
		}
	}
	return rows, head, caption
}

func isCell(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th)
}

// layoutTable reports a table that lays out blocks rather than holding data:
// at most one cell per row, or a cell holding a table or a heading.
func layoutTable(rows []*html.Node) bool {
	width := 0
	for _, tr := range rows {
		n := 0
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if !isCell(c) {
				continue
			}
			n += span(c, "colspan", maxColspan)
			if holdsBlocks(c) {
				return true
			}
		}
		width = max(width, n)
	}
	return width <= 1
}

func holdsBlocks(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Table || headingLevel(c.DataAtom) > 0 || holdsBlocks(c) {
			return true
		}
	}
	return false
}

// span reads a colspan or rowspan attribute, clamped to 1..max.
func span(n *html.Node, key string, max int) int {
	v, err := strconv.Atoi(strings.TrimSpace(attr(n, key)))
	if err != nil || v < 1 {
		return 1
	}
	return min(v, max)
}

// buildGrid lays the cells of rows out on a grid: a cell spanning columns
// repeats its text in a header (<th>) row and leaves the others blank in a
// data row; a cell spanning rows repeats its text down, so that each row
// reads on its own.
func buildGrid(rows []*html.Node) [][]cell {
	type carry struct {
		c    cell
		left int
	}
	var down []carry // rowspans still open, by column
	grid := make([][]cell, 0, len(rows))
	for _, tr := range rows {
		var row []cell
		col := 0
		take := func() {
			for col < len(down) && down[col].left > 0 {
				row = append(row, down[col].c)
				down[col].left--
				col++
			}
		}
		take()
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if !isCell(c) {
				continue
			}
			cl := cell{text: cellText(c), th: c.DataAtom == atom.Th}
			cs, rs := span(c, "colspan", maxColspan), span(c, "rowspan", maxRowspan)
			for k := 0; k < cs && col < maxColumns; k++ {
				v := cl
				if k > 0 && !cl.th {
					v.text = ""
				}
				row = append(row, v)
				for len(down) <= col {
					down = append(down, carry{})
				}
				down[col] = carry{c: v, left: rs - 1}
				col++
				take()
			}
		}
		take()
		grid = append(grid, row)
	}
	return grid
}

func allTH(row []cell) bool {
	for _, c := range row {
		if !c.th {
			return false
		}
	}
	return len(row) > 0
}

// cellText is the text of a cell on one line.
func cellText(n *html.Node) string {
	return collapse(textOf(n))
}

// sortBy matches the column titles of 3GPP's ASP.NET directory listings
// ("sort by name/desc").
var sortBy = regexp.MustCompile(`(?i)^sort by (\w+)\b`)

// pipeTable renders grid, its first head rows being the header, without the
// rows and columns that are empty throughout. Several header rows are joined
// per column ("Counters Max"). It returns "" for a table with no text.
func pipeTable(grid [][]cell, head int) string {
	width := 0
	for _, row := range grid {
		width = max(width, len(row))
	}
	keep := make([]bool, width)
	for _, row := range grid {
		for j, c := range row {
			if c.text != "" {
				keep[j] = true
			}
		}
	}
	var cols []int
	for j, k := range keep {
		if k {
			cols = append(cols, j)
		}
	}
	if len(cols) == 0 {
		return ""
	}
	at := func(row []cell, j int) string {
		if j < len(row) {
			return row[j].text
		}
		return ""
	}
	header := make([]string, len(cols))
	for i, j := range cols {
		var parts []string
		for _, row := range grid[:head] {
			if t := at(row, j); t != "" && (len(parts) == 0 || parts[len(parts)-1] != t) {
				parts = append(parts, t)
			}
		}
		header[i] = strings.Join(parts, " ")
		if m := sortBy.FindStringSubmatch(header[i]); m != nil {
			header[i] = strings.ToUpper(m[1][:1]) + strings.ToLower(m[1][1:])
		}
	}
	var sb strings.Builder
	writeRow(&sb, header)
	sb.WriteString("|")
	for range cols {
		sb.WriteString(" --- |")
	}
	sb.WriteByte('\n')
	rows := 0
	vals := make([]string, len(cols))
	for _, row := range grid[head:] {
		empty := true
		for i, j := range cols {
			vals[i] = at(row, j)
			empty = empty && vals[i] == ""
		}
		if !empty {
			writeRow(&sb, vals)
			rows++
		}
	}
	if rows == 0 {
		// A header alone is a line of text.
		var parts []string
		for _, h := range header {
			if h != "" {
				parts = append(parts, h)
			}
		}
		return escapeLine(strings.Join(parts, " "))
	}
	return strings.TrimRight(sb.String(), "\n")
}

func writeRow(sb *strings.Builder, cells []string) {
	sb.WriteString("|")
	for _, c := range cells {
		sb.WriteByte(' ')
		sb.WriteString(strings.ReplaceAll(c, "|", `\|`))
		sb.WriteString(" |")
	}
	sb.WriteByte('\n')
}
