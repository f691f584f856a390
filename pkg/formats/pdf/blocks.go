package pdf

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strings"
)

// A page's rows become elements: paragraphs (wrapped lines joined back),
// which may turn out to be headings or list items, and tables. What is a
// heading is decided when the page is written, against the document's body
// font size (see convert.go).

// element is one paragraph or table of a page, top to bottom.
type element struct {
	// lines are a paragraph's lines, as set; nil for a table.
	lines []string
	// x and lastX are the left edges of the first and last line, lastX1 the
	// right edge of the last; y the top of the first, lastY of the last.
	x, lastX, lastX1, y, lastY float64
	size                       float64
	bold                       bool
	// list is set when the paragraph starts with a bullet or a list number.
	list bool
	// hang is where the text after the first line's label starts (hangAt),
	// 0 when the first line has no label set off by a tab.
	hang  float64
	table *table
}

// Paragraph and table geometry, in font sizes (ems).
const (
	// paraGap: lines further apart than this (top to top) are in different
	// paragraphs; a wrapped line sits about 1.15-1.2 em below the one before.
	paraGap = 1.5
	// cellWrap: a table line this close to the one before continues the
	// same table row (a cell's text wrapped); padded rows sit further apart.
	cellWrap = 1.3
	// tableFar: a line further than this below the table's last line ends it.
	tableFar = 3.0
	// alignTol: left edges this close are aligned.
	alignTol = 0.6
)

// listStart matches the start of a list item: a bullet, or a number or
// letter with "." or ")".
// isListStart reports whether text opens with a list marker (listStart).
// Most lines start with a letter and no "a." or "b)": they are told apart
// without running the expression.
func isListStart(text string) bool {
	if len(text) < 2 {
		return false
	}
	switch c := text[0]; {
	case c >= 'a' && c <= 'z':
		if text[1] != '.' && text[1] != ')' {
			return false
		}
	case c >= 'A' && c <= 'Z', c == ' ':
		return false
	}
	return listStart.MatchString(text)
}

var listStart = regexp.MustCompile(`^(?:[•·▪◦‣●○■□–—*-]|\(?[0-9]{1,3}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\))\s`)

// layout turns the rows of a page (running headers and footers taken out)
// into its elements; body is the document's body font size; wraps says
// that the producer keeps the space at a line wrapped between words (see
// cellwrap.go).
func layout(rs []row, body float64, wraps wrapping) []element {
	for i := range rs {
		if r := rs[i]; r.table == nil && (r.size >= 1.1*body || r.frags[0].bold) {
			rs[i].frags = mergeMarker(r.frags, true)
		}
	}
	splitUnderHeaders(rs)
	// right is the right edge of the page's text; prev the row of the
	// paragraph line last taken.
	right, prev := 0.0, 0
	left := math.Inf(1)
	for _, r := range rs {
		for _, f := range r.frags {
			right = max(right, f.x1)
			left = min(left, f.x)
		}
	}
	var out []element
	var cur *element
	var ends lineEnds
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(rs); {
		if t := rs[i].table; t != nil {
			flush()
			out = append(out, element{table: t, x: t.cols[0], y: rs[i].y, lastY: rs[i].y, size: t.size})
			i++
			continue
		}
		if len(rs[i].frags) >= 2 || besideRow(rs, i, i+1) && (len(rs[i+1].frags) >= 2 || besideCells(rs, i+1)) || headerTop(rs, i) {
			if t, n := tableAt(rs, i, wraps); n > 0 {
				flush()
				out = append(out, element{table: t, x: t.cols[0], y: rs[i].y, lastY: rs[i+n-1].y, size: t.size})
				i += n
				continue
			}
		}
		r := rs[i]
		f := r.frags[0]
		text := r.text()
		bold := f.bold
		for _, g := range r.frags[1:] {
			bold = bold && g.bold
		}
		list := isListStart(text)
		switch {
		case cur != nil && !list && continues(cur, r, bold, right-left):
			switch last := rs[prev].frags; {
			case len(last) == 1 && wraps.broken(last[0], f, right):
				// A word wider than the text, broken at its edge.
				cur.lines[len(cur.lines)-1] += text
			case endedShort(cur, f, func() float64 { return ends.at(rs, f.x, alignTol*r.size) }):
				cur.lines = append(cur.lines, lineBreak+text)
			default:
				cur.lines = append(cur.lines, text)
			}
			cur.lastX, cur.lastX1, cur.lastY = f.x, r.frags[len(r.frags)-1].x1, r.y
		default:
			flush()
			cur = &element{lines: []string{text}, x: f.x, lastX: f.x, lastX1: r.frags[len(r.frags)-1].x1, y: r.y, lastY: r.y,
				size: r.size, bold: bold, list: list, hang: hangAt(f)}
		}
		prev = i
		i++
	}
	flush()
	return out
}

// headerTop reports whether rs[i], a line of one frag, is the first line of
// a table's header whose cells are set at the bottom of the header row (as
// pandoc's LaTeX sets them): the table's top rule runs just above it, across
// the line of cells close below it too, which has a cell, not its first,
// that starts where it starts ("Access" over "Feature  Type  Relationship").
func headerTop(rs []row, i int) bool {
	r := rs[i]
	if len(r.frags) != 1 || !r.ruled || i+1 >= len(rs) {
		return false
	}
	n := rs[i+1]
	if n.table != nil || len(n.frags) < 2 || n.y-r.y > cellWrap*r.size || math.Abs(n.size-r.size) > 0.5 ||
		r.rule.from > n.frags[0].x+ruleSnap || r.rule.to < n.frags[len(n.frags)-1].x1-ruleSnap {
		return false
	}
	tol := alignTol * r.size
	return slices.ContainsFunc(n.frags[1:], func(f frag) bool { return math.Abs(f.x-r.frags[0].x) <= tol })
}

// continues reports whether row r (bold: all of it) goes on the paragraph
// p: same font, close below, and aligned with the line before (or under an
// indented first line, under a list item's text, under the text after a
// hanging label, or centred under a full centred line); width is the width
// of the page's text.
func continues(p *element, r row, bold bool, width float64) bool {
	f, y := r.frags[0], r.y
	if math.Abs(f.size-p.size) > 0.6 || bold != p.bold {
		return false
	}
	if y <= p.lastY || y-p.lastY > paraGap*p.size {
		return false
	}
	tol := alignTol * p.size
	switch {
	case math.Abs(f.x-p.lastX) <= tol:
		return true
	case len(p.lines) == 1 && f.x < p.x && p.x-f.x <= 4*p.size:
		return true // first line indented
	case len(p.lines) == 1 && p.list && f.x > p.x && f.x-p.x <= 4*p.size:
		return true // hanging list item
	case len(p.lines) == 1 && p.hang > 0 && math.Abs(f.x-p.hang) <= tol:
		return true // hanging indent: under the text after the first line's label
	case f.x > p.lastX+tol && p.lastX1-p.lastX >= fullLine*width &&
		math.Abs((f.x+r.frags[len(r.frags)-1].x1)/2-(p.lastX+p.lastX1)/2) <= tol:
		return true // a centred line wrapped: only a full line wraps
	}
	return false
}

// lineBreak starts a paragraph line that the line before ended short of on
// purpose (endedShort): the paragraph is written with a line break there,
// not a space.
const lineBreak = "\n"

// endedShort reports whether the paragraph p's last line ended short of end
// on purpose before a line aligned with it that starts with f: it leaves a
// quarter of the line empty, and f's first word would have fit there (a
// list of terms, one per line; lines of commands or of a table set as
// text). A line that ends a little short may have wrapped before words a
// word processor keeps together (non-breaking spaces in "IETF RFC 4284
// [12]", which the PDF does not show); a line ending in a hyphen was broken
// in a word.
func endedShort(p *element, f frag, lineEnd func() float64) bool {
	last := p.lines[len(p.lines)-1]
	if math.Abs(f.x-p.lastX) > alignTol*p.size || strings.HasSuffix(last, "-") || strings.HasSuffix(last, "\u00AD") {
		return false
	}
	end := lineEnd()
	if math.IsInf(end, 1) {
		return false
	}
	free := end - p.lastX1
	return free >= shortLine*(end-p.lastX) && free >= 0.3*p.size+firstWordWidth(f)+alignTol*p.size
}

// shortLine is the least share of its width a line leaves empty to have
// ended short on purpose.
const shortLine = 0.25

// lineEnd returns the right margin of the text a line starting at x sits
// in: the right edge that nine of ten lines in its column stay within (the
// lines that start at or left of x and reach past it, so the lines of
// another column do not count), infinity with fewer than three lines to
// tell.
// lineEnds keeps the lineEnd of a page's rows by left edge and tolerance:
// a page's paragraph lines start at a few edges, and lineEnd reads every
// row.
type lineEnds []struct{ x, tol, end float64 }

// at returns lineEnd(rs, x, tol), computed once per x and tol.
func (e *lineEnds) at(rs []row, x, tol float64) float64 {
	for _, c := range *e {
		if c.x == x && c.tol == tol {
			return c.end
		}
	}
	end := lineEnd(rs, x, tol)
	*e = append(*e, struct{ x, tol, end float64 }{x, tol, end})
	return end
}

func lineEnd(rs []row, x, tol float64) float64 {
	var ends []float64
	for _, r := range rs {
		if r.table != nil {
			continue
		}
		if end := r.frags[len(r.frags)-1].x1; r.frags[0].x <= x+tol && end > x {
			ends = append(ends, end)
		}
	}
	if len(ends) < 3 {
		return math.Inf(1)
	}
	slices.Sort(ends)
	return ends[(len(ends)-1)*9/10]
}

// firstWordWidth is the width of the first word of f.
func firstWordWidth(f frag) float64 {
	if i := strings.IndexByte(f.text, ' '); i > 0 && len(f.xs) == len(f.text) {
		return float64(f.xs[i]) - f.x
	}
	return f.x1 - f.x
}

// maxLabel bounds, in bytes, the label a hanging paragraph opens with:
// "[13]", "NOTE 1:", "a)", "Editor's note:".
const maxLabel = 16

// tabGap is the least gap, in font sizes, between a label and the text
// after it that a tab makes: an ordinary space is about a quarter of one.
const tabGap = 1.0

// fullLine is the least share of the page's text width a centred line
// fills when the next line is its wrapped rest.
const fullLine = 0.6

// hangAt returns where the text after a short label starts on the first
// line of a paragraph that sets the label off by a tab ("[13]<tab>3GPP TS
// 23.287: ...", "NOTE 1:<tab>The UE ..."): the left edge its next lines
// align with when the paragraph hangs (a reference list entry, a note, a
// definition). It is 0 when the line opens with no such label.
func hangAt(f frag) float64 {
	if len(f.xs) != len(f.text) {
		return 0
	}
	for i := 1; i < len(f.text) && i <= maxLabel; i++ {
		if f.text[i] != ' ' {
			continue
		}
		j := i
		for j < len(f.text) && f.text[j] == ' ' {
			j++
		}
		if j < len(f.text) && float64(f.xs[j]-f.xs[i]) >= tabGap*f.size {
			return float64(f.xs[j])
		}
		i = j
	}
	return 0
}

// table is a table rebuilt from aligned frags: rows of cells, the first row
// the header.
type table struct {
	cols []float64 // left edge of each column
	rows [][]string
	size float64
	// title is a ruled table's title row, written before it.
	title string
	// region holds the lines an unruled table was read from, so that its
	// part on the next page can be read again in the columns of its part
	// on the page before.
	region []row
	// continued is set once the rows of its part on a later page are
	// appended: its rows are no longer those of region alone.
	continued bool
	// firsts holds, per row of an unruled table, the frag each cell's text
	// starts with; lasts, per cell of the last row, the frag it ends with:
	// where a part on the next page goes on with a word broken at a cell
	// edge (brokenAt), read across the page break.
	firsts [][]frag
	lasts  []frag
	// cut is set when the page break cut the last row of a ruled table:
	// it was drawn open below, so its rest opens the next page's part.
	// rest is set when the first row of a ruled table starts above the
	// page: it is the rest of the row the page break cut.
	cut, rest bool
}

// tableAt finds a table whose first line is rs[i] (two frags or more) and
// returns it with the number of rows it takes; 0 if rs[i] starts none. A
// table needs two lines of two cells or more (a line of one cell beside
// another half a line lower counts, see besideRow), or one such line and a
// second row; lines of one frag belong to it
// when they continue a cell (close below and aligned with a column) or stand
// in a column other than the first, or when a table line follows them.
func tableAt(rs []row, i int, wraps wrapping) (*table, int) {
	if hasLeaders(rs[i]) {
		return nil, 0 // a table of contents entry
	}
	size := rs[i].size
	left := rs[i].frags[0].x
	tol := alignTol * size
	// multi counts the lines of cells side by side, wide those of them
	// that are one row of two frags or more.
	multi, wide := 1, 1
	xs := xsOf(rs[i])
	aligned := func(x float64) bool {
		for _, s := range xs {
			if math.Abs(s-x) <= tol {
				return true
			}
		}
		return false
	}
	j := i + 1
	for ; j < len(rs); j++ {
		r := rs[j]
		if r.table != nil {
			break
		}
		gap := r.y - rs[j-1].y
		if gap > tableFar*size || math.Abs(r.size-size) > 1.5 || hasLeaders(r) {
			break
		}
		if len(r.frags) >= 2 || besideRow(rs, j, j-1) || besideRow(rs, j, j+1) {
			if len(r.frags) >= 2 {
				wide++
			}
			multi++
			left = min(left, r.frags[0].x)
			xs = append(xs, xsOf(r)...)
			continue
		}
		f := r.frags[0]
		same := math.Abs(f.size-size) <= 0.5
		switch {
		case gap <= cellWrap*size && f.x >= left-tol:
		case f.x > left+tol && gap <= 2.5*size:
		case same && gap <= 2.2*size && aligned(f.x):
		case j+1 < len(rs) && len(rs[j+1].frags) >= 2 && rs[j+1].y-r.y <= 2.5*size && math.Abs(rs[j+1].size-size) <= 1.5:
		case same && cellsAhead(rs, j, size):
		default:
			goto done
		}
		left = min(left, f.x)
		xs = append(xs, f.x)
	}
done:
	if multi < 2 {
		return nil, 0
	}
	region := rs[i:j]
	// A table of prose-like two-frag rows that never wrap is two columns of
	// text, not a table; MuPDF's order already reads columns one by one, so
	// such rows are rare here.
	t := &table{cols: columns(region, size), size: size, region: region}
	t.fill(region, wraps)
	if wide < 2 && len(t.rows) < 2 {
		return nil, 0 // labels side by side, not a table
	}
	return t, j - i
}

// cellsAhead reports whether rs[j], a line of one frag, and up to two more
// such lines below it stand in the first column of the line of cells that
// follows them: each starts where that line's first cell starts and ends
// before its second cell, each close below the one before. So reads the top
// of a page where a table goes on (LibreOffice): the header, centred in its
// cells, aligned with nothing below it; the rest of the row the page break
// cut, in the first column only; then a row whose first cell has more
// lines than the others, its first line alone (the other cells are centred
// lower).
func cellsAhead(rs []row, j int, size float64) bool {
	tol := alignTol * size
	x, x1 := rs[j].frags[0].x, rs[j].frags[0].x1
	for k := j + 1; k < len(rs) && k <= j+3; k++ {
		r := rs[k]
		if r.table != nil || r.y-rs[k-1].y > 2.5*size || math.Abs(r.size-size) > 0.5 {
			return false
		}
		var xs []float64
		switch {
		case len(r.frags) >= 2:
			xs = xsOf(r)
		case besideRow(rs, k, k+1):
			xs = append(xsOf(r), xsOf(rs[k+1])...)
		case besideRow(rs, k, k-1):
			return false // beside rs[k-1], one of the lines of one frag
		}
		if xs != nil {
			slices.Sort(xs)
			return math.Abs(xs[0]-x) <= tol && x1 < xs[1]
		}
		if math.Abs(r.frags[0].x-x) > tol {
			return false
		}
		x1 = max(x1, r.frags[0].x1)
	}
	return false
}

// fill sets t's rows from the lines of region, cut into t's columns.
// Where padding gaps set rows apart, the gaps part the rows; but where the
// one gap holds a rule under the header and no other gap follows (a
// three-rule table: LaTeX's booktabs, Word's simple styles, which space and
// rule only the header and the foot), the rows under it are told apart by
// startsRow. Without gaps, a line starts a row when its first column has
// text. Other lines go on the cells of the row before.
func (t *table) fill(region []row, wraps wrapping) {
	size := t.size
	t.rows = nil
	region = t.splitMerged(region)
	// gaps counts the padding gaps; under is the line after the first one.
	gaps, under := 0, 0
	for k := 1; k < len(region); k++ {
		if region[k].y-region[k-1].y > cellWrap*size {
			if gaps++; gaps == 1 {
				under = k
			}
		}
	}
	// tight: the one gap holds a rule under the header, across the cells of
	// the first row below it (two or more), and the rows below are not
	// padded apart. Where the page repeats the header at its top, the
	// header went out as a running header, and the rule is over the first
	// line.
	tight := gaps == 1 && region[under].ruled && len(region[under].frags) >= 2 ||
		gaps == 0 && len(region) > 0 && region[0].ruled && len(region[0].frags) >= 2
	// limits holds, for startsRow, how far right each column's text
	// reaches: the edge of its widest line. The column may be wider; what
	// fits within its widest line fits within the column.
	var limits []float64
	if tight {
		limits = make([]float64, len(t.cols))
		for _, r := range region {
			for _, f := range r.frags {
				c := t.column(f.x)
				limits[c] = max(limits[c], f.x1)
			}
		}
	}
	t.firsts = nil
	var cur []string
	// last holds the last frag of each cell of cur, for brokenAt.
	var last []frag
	for k, r := range region {
		cells := make([]string, len(t.cols))
		firsts := make([]frag, len(t.cols))
		lasts := make([]frag, len(t.cols))
		for _, f := range r.frags {
			c := t.column(f.x)
			if cells[c] != "" {
				cells[c] += " "
			} else {
				firsts[c] = f
			}
			cells[c] += f.text
			lasts[c] = f
		}
		newRow := k == 0
		if !newRow {
			padding := r.y-region[k-1].y > cellWrap*size
			switch {
			case tight:
				newRow = padding || (k > under && startsRow(cur, last, firsts, limits, r.y, size))
			case gaps > 0:
				newRow = padding
			default:
				newRow = cells[0] != ""
			}
		}
		if newRow {
			if cur != nil {
				t.rows = append(t.rows, cur)
			}
			cur, last = cells, lasts
			t.firsts = append(t.firsts, firsts)
			continue
		}
		for c, s := range cells {
			if s == "" {
				continue
			}
			switch {
			case cur[c] == "":
				cur[c] = s
				t.firsts[len(t.firsts)-1][c] = firsts[c]
			case c+1 < len(t.cols) && wraps.broken(last[c], firsts[c], t.cols[c+1]):
				cur[c] += s // a word broken at the cell edge
			default:
				cur[c] = joinWrapped(cur[c], s)
			}
			last[c] = lasts[c]
		}
	}
	t.rows = append(t.rows, cur)
	t.lasts = last
}

// startsRow reports whether a line under the header of a three-rule table
// starts a row after the row cur (last holds the last frag
// of each of its cells), at y: it has text in its first column and one
// other at least (a row's cells start together at its top), and one of
// them does not go on its column's cell in cur. A cell goes on where the
// cell above ends close above it, so far right that the first word here
// would not have fitted after it within the column's limit: the producer
// wrapped it there. A cell that had no text yet in the row goes on (set
// lower, centred or at the bottom of its row).
func startsRow(cur []string, last, firsts []frag, limits []float64, y, size float64) bool {
	cells := 0
	for _, f := range firsts {
		if f.text != "" {
			cells++
		}
	}
	if firsts[0].text == "" || cells < 2 {
		return false
	}
	for c, f := range firsts {
		switch {
		case f.text == "" || cur[c] == "":
		case y-last[c].y > cellWrap*size:
			return true
		case last[c].x1+spaceWidth*size+firstWordWidth(f) <= limits[c]:
			return true
		}
	}
	return false
}

// spaceWidth is the width of a space, in font sizes, at most.
const spaceWidth = 0.35

// brokenAcross reports, per column, whether the last row of t ends the
// cell with a word broken at the cell edge that the cell of row k of next,
// t's part on the next page, goes on with; nil when t or next has no
// geometry (a ruled table) or the producer does not tell (wraps).
func (t *table) brokenAcross(next *table, k int, wraps wrapping) []bool {
	if !wraps.keeps || t.lasts == nil || k >= len(next.firsts) || len(t.lasts) != len(next.firsts[k]) || len(t.lasts) != len(t.cols) {
		return nil
	}
	broken := make([]bool, len(t.cols))
	for c := 0; c+1 < len(t.cols); c++ {
		broken[c] = wraps.broken(t.lasts[c], next.firsts[k][c], t.cols[c+1])
	}
	return broken
}

// besideRow reports whether rows j and k (if there is a row k) are cells of
// one table row set side by side: their tops less than a line apart
// (further than rows() joins them, as cells centred vertically over
// different numbers of lines stand half a line apart), their frags not
// overlapping across.
func besideRow(rs []row, j, k int) bool {
	if k < 0 || k >= len(rs) || rs[k].table != nil {
		return false
	}
	a, b := rs[j], rs[k]
	size := max(a.size, b.size)
	if math.Abs(a.y-b.y) > besideGap*size || math.Abs(a.size-b.size) > 0.5 {
		return false
	}
	for _, f := range a.frags {
		for _, g := range b.frags {
			if f.x < g.x1 && g.x < f.x1 {
				return false
			}
		}
	}
	return true
}

// splitUnderHeaders cuts the rows that MuPDF read as one line each under a
// table's header into the header's cells. A table of narrow columns set
// close together (LibreOffice: "New Attribute | MO Class | Description")
// has rows whose cells MuPDF joins into one line, with only a wider space
// between them; its header, centred in its cells, still reads as apart.
// Under a header row of two short labels or more (headerCells), the next
// two lines or more of one frag each, starting left of the header's second
// cell, are cut where in every one of them exactly one word starts in each
// gap between two header cells, at the same place in all of them, after a
// space wider than the line's other spaces.
func splitUnderHeaders(rs []row) {
	for i := 0; i+2 < len(rs); i++ {
		h := rs[i].frags
		if len(h) < 2 || rs[i].table != nil || len(rs[i+1].frags) != 1 || !headerCells(h) {
			continue
		}
		size := rs[i].size
		j := i + 1
		for j < len(rs) && len(rs[j].frags) == 1 && rs[j].table == nil &&
			rs[j].y-rs[j-1].y <= tableFar*size && math.Abs(rs[j].size-size) <= 0.5 &&
			rs[j].frags[0].x < h[1].x {
			j++
		}
		if j-i-1 < 2 {
			continue
		}
		cuts := make([][]int, j-i-1) // per row, the byte index of each cut
		tol := alignTol * size
		ok := true
		for g := 0; g+1 < len(h) && ok; g++ {
			at := math.NaN()
			for k := i + 1; k < j && ok; k++ {
				f := rs[k].frags[0]
				c, x := cellStartIn(f, h[g].x1, h[g+1].x+tol)
				switch {
				case c < 0, !math.IsNaN(at) && math.Abs(x-at) > tol:
					ok = false
				default:
					at = x
					cuts[k-i-1] = append(cuts[k-i-1], c)
				}
			}
		}
		if !ok {
			continue
		}
		for k := i + 1; k < j; k++ {
			f, cut := rs[k].frags[0], cuts[k-i-1]
			pieces := make([]frag, 0, len(cut)+1)
			for n := len(cut) - 1; n >= 0; n-- {
				var right frag
				f, right = f.split(cut[n])
				pieces = append(pieces, right)
			}
			pieces = append(pieces, f)
			slices.Reverse(pieces)
			rs[k].frags = pieces
		}
		i = j - 1
	}
}

// headerCells reports whether frags read as a table's header cells: short
// labels (four words at most; a frag's words are one space apart), none
// ending a sentence or a label (".", ":"), as "Request-URI:" / "Public user
// identity of the receiving UE." would.
func headerCells(frags []frag) bool {
	for _, f := range frags {
		if strings.Count(f.text, " ") > 3 || strings.HasSuffix(f.text, ".") || strings.HasSuffix(f.text, ":") {
			return false
		}
	}
	return true
}

// cellStartIn returns the byte index and place of the one word of f that
// starts in (lo, hi] after a space wider than f's other spaces (by a
// third); -1 when no word or more than one starts there, or its space is
// not wider.
func cellStartIn(f frag, lo, hi float64) (int, float64) {
	found, at := -1, 0.0
	var widths []float64
	wide := 0.0
	for k := 1; k < len(f.text); k++ {
		if f.text[k-1] != ' ' || f.text[k] == ' ' {
			continue
		}
		w := f.at(k) - f.at(k-1)
		widths = append(widths, w)
		if x := f.at(k); x > lo && x <= hi {
			if found >= 0 {
				return -1, 0
			}
			found, at, wide = k, x, w
		}
	}
	if found < 0 || len(widths) < 2 {
		return -1, 0
	}
	slices.Sort(widths)
	if wide < 1.3*widths[len(widths)/2] {
		return -1, 0
	}
	return found, at
}

// besideCells reports whether rs[k], a line of one frag, is beside the line
// below it, which holds two cells or more: the middle of three lines of one
// table row, each cell centred vertically over its own number of lines
// (LibreOffice: a parameter cell of three lines beside an event of two and
// a description of one). A table that goes on at the top of a page, its
// repeated header taken away as a running header, starts with such lines.
func besideCells(rs []row, k int) bool {
	return k+1 < len(rs) && len(rs[k].frags) == 1 && besideRow(rs, k, k+1) && len(rs[k+1].frags) >= 2
}

// besideGap: rows whose tops are closer than this (in ems) can be cells of
// one table row; a wrapped line is about 1.15 em below the one before.
const besideGap = 0.7

// hasLeaders reports whether r holds the dot leaders of a table of contents.
func hasLeaders(r row) bool {
	for _, f := range r.frags {
		if leaders(f.text) {
			return true
		}
	}
	return false
}

// xsOf returns the left edges of r's frags.
func xsOf(r row) []float64 {
	xs := make([]float64, len(r.frags))
	for k, f := range r.frags {
		xs[k] = f.x
	}
	return xs
}

// joinWrapped joins a wrapped cell line to the text before it. A hyphen at
// the line end after a letter joins with no space: before a letter it
// becomes a soft hyphen, which the table's writer drops or makes a hyphen
// again as the document's words tell (vocabulary.hyphens: a word a
// typesetter hyphenated, "Aggrega-" / "tion", "EUtran-" / "CellTDD",
// against a compound, "Re-" / "establishment", "Low/Mid-" / "Band");
// before a digit it stays ("non-" / "3GPP"). An
// identifier wrapped at an underscore joins with no space
// (INTERNAL_PER_UE / _TRAFFIC_REP).
func joinWrapped(a, b string) string {
	if strings.HasSuffix(a, "-") && len(b) > 0 && len(a) > 1 && isLetter(rune(a[len(a)-2])) {
		switch {
		case b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z':
			return a[:len(a)-1] + "\u00AD" + b
		case b[0] >= '0' && b[0] <= '9':
			return a + b
		}
	}
	if strings.HasSuffix(a, "\u00AD") && b != "" && isLetter(rune(b[0])) {
		return a + b // the producer's own soft hyphen, as above
	}
	if underscoreWrap(a, b) {
		return a + b
	}
	return a + " " + b
}

// underscoreWrap reports whether an identifier wrapped at an underscore
// between a line ending a and the next line starting b: one side has the
// underscore, the other a letter or digit next to it.
func underscoreWrap(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	x, y := a[len(a)-1], b[0]
	word := func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	return x == '_' && word(y) || y == '_' && word(x)
}

// columns finds the column starts of a table region: left edges shared by
// two lines or more (a centred header cell stands alone), or, when there
// are fewer than two such, every left edge. In a table of padded rows, the
// lines must be in different rows: the lines of one centred cell wrapped
// in two ("Feature" over "Identity") share an edge that no other row has;
// when that leaves fewer than two columns, lines count again. Justified
// cell lines that MuPDF cut at a wide space can still make a false column
// (ETSI definition tables).
func columns(region []row, size float64) []float64 {
	line := make([]int, len(region))
	// group numbers the padded rows: lines closer than cellWrap are in the
	// same one.
	group := make([]int, len(region))
	for k := 1; k < len(region); k++ {
		line[k] = k
		group[k] = group[k-1]
		if region[k].y-region[k-1].y > cellWrap*size {
			group[k]++
		}
	}
	cols := edgeColumns(region, group, line, size)
	// Cells centred in their columns start each at an edge of its own and
	// may share none, or a header cell's own lines share one: the gutters
	// between the columns still run down the whole table. They decide when
	// they find more columns, or when a column of the edges holds the frags
	// of one padded row only.
	if gutters := gutterColumns(region, group, size); gutters != nil && (len(gutters) > len(cols) || !everyColumnShared(region, group, cols, size)) {
		return gutters
	}
	if group[len(group)-1] == 1 {
		// A header and rows not padded apart (a three-rule table), or one
		// padded row: a column whose header is blank starts no edge the
		// header shares. Its cells still start together, line under line.
		cols = withInnerColumns(cols, region, line, size)
	}
	return cols
}

// withInnerColumns adds to cols the starts of the cells that open a column
// inside lines of region: edges that frags other than their line's first
// share on two lines or more (sharedEdges, line by line), where no column
// of cols starts.
func withInnerColumns(cols []float64, region []row, line []int, size float64) []float64 {
	inner := make([]row, len(region))
	for k, r := range region {
		inner[k] = r
		inner[k].frags = r.frags[min(1, len(r.frags)):]
	}
	_, shared := sharedEdges(inner, line, size)
	tol := alignTol * size
	var added []float64
	for _, x := range shared {
		if !slices.ContainsFunc(cols, func(c float64) bool { return math.Abs(c-x) <= tol }) {
			added = append(added, x)
		}
	}
	if added == nil {
		return cols
	}
	out := append(added, cols...)
	slices.Sort(out)
	return out
}

// everyColumnShared reports whether each column of cols holds frags of two
// padded rows or more.
func everyColumnShared(region []row, group []int, cols []float64, size float64) bool {
	t := table{cols: cols, size: size}
	groups := make([]map[int]bool, len(cols))
	for k, r := range region {
		for _, f := range r.frags {
			cellStarts(f, func(x float64, _ bool) {
				c := t.column(x)
				if groups[c] == nil {
					groups[c] = map[int]bool{}
				}
				groups[c][group[k]] = true
			})
		}
	}
	for _, g := range groups {
		if len(g) < 2 {
			return false
		}
	}
	return true
}

// edgeColumns returns the column starts read from shared left edges (see
// columns).
func edgeColumns(region []row, group, line []int, size float64) []float64 {
	all, shared := sharedEdges(region, group, size)
	if len(shared) < 2 {
		all, shared = sharedEdges(region, line, size)
	}
	if len(shared) >= 2 {
		if shared[0] > all[0] {
			// Text starts left of the first shared edge: the first
			// column's own (a centred cell, a single row), or, when all
			// of it ends before that edge, a column of its own that no two
			// rows start alike (centred cells of one row and a header).
			if endsBefore(region, shared[0], size) {
				return append([]float64{all[0]}, shared...)
			}
			shared[0] = all[0]
		}
		return shared
	}
	return all
}

// endsBefore reports whether the frags of region that start left of x, on
// two lines or more, all end a gutter's width (minGutter) before it. One
// line's label left of the columns (a figure's, a tree's root) is no
// column.
func endsBefore(region []row, x, size float64) bool {
	tol := alignTol * size
	lines := 0
	for _, r := range region {
		left := false
		for _, f := range r.frags {
			if f.x < x-tol {
				if f.x1 > x-minGutter*size {
					return false
				}
				left = true
			}
		}
		if left {
			lines++
		}
	}
	return lines >= 2
}

// minGutter is the least width, in ems, of the blank band between two
// columns: wider than a word space.
const minGutter = 0.4

// gutterColumns returns the column starts read from the gutters of region:
// the vertical bands no frag covers, at least minGutter wide, that split it
// into columns each holding frags of two padded rows or more (a header and
// a row at least); nil when that leaves fewer than two columns.
func gutterColumns(region []row, group []int, size float64) []float64 {
	type span struct{ x0, x1 float64 }
	var spans []span
	for _, r := range region {
		for _, f := range r.frags {
			spans = append(spans, span{f.x, f.x1})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.x0, b.x0) })
	var cols []span
	for _, sp := range spans {
		if n := len(cols); n > 0 && sp.x0 < cols[n-1].x1+minGutter*size {
			cols[n-1].x1 = max(cols[n-1].x1, sp.x1)
			continue
		}
		cols = append(cols, sp)
	}
	if len(cols) < 2 {
		return nil
	}
	starts := make([]float64, len(cols))
	for c, col := range cols {
		groups := map[int]bool{}
		for k, r := range region {
			for _, f := range r.frags {
				if f.x >= col.x0 && f.x < col.x1 {
					groups[group[k]] = true
				}
			}
		}
		if len(groups) < 2 {
			return nil
		}
		starts[c] = col.x0
	}
	return starts
}

// sharedEdges returns the left edges of the frags of region, aligned ones
// taken as one, and those of them shared by frags of two rows or more, the
// row of region[k] being rowOf[k]. A cell that MuPDF read as part of the
// frag to its left, past a gap it filled with a space (gapBefore), counts
// for the edge of its column too, but makes none of its own: in a row of
// centred cells only the other rows may show that column's edge.
func sharedEdges(region []row, rowOf []int, size float64) (all, shared []float64) {
	type edge struct {
		x   float64
		row int
		gap bool // the start of a cell inside a frag, after a gap
	}
	var edges []edge
	for k, r := range region {
		for _, f := range r.frags {
			cellStarts(f, func(x float64, inner bool) { edges = append(edges, edge{x, rowOf[k], inner}) })
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.x, b.x) })
	tol := alignTol * size
	for k := 0; k < len(edges); {
		rowsIn := map[int]bool{}
		start, own := edges[k].x, false
		l := k
		for l < len(edges) && edges[l].x-edges[max(l-1, k)].x <= tol {
			rowsIn[edges[l].row] = true
			if !edges[l].gap {
				if !own {
					start = edges[l].x
				}
				own = true
			}
			l++
		}
		if own {
			all = append(all, start)
			if len(rowsIn) >= 2 {
				shared = append(shared, start)
			}
		}
		k = l
	}
	return all, shared
}

// cellStarts calls yield with where the cells of f start: its left edge
// (inner false), and after each gap MuPDF filled with a space (gapBefore),
// where MuPDF read cells on one baseline as one line (inner true).
func cellStarts(f frag, yield func(x float64, inner bool)) {
	yield(f.x, false)
	for i := 1; i < len(f.text); i++ {
		if f.text[i-1] == ' ' && f.text[i] != ' ' && f.gapBefore(i) {
			yield(f.at(i), true)
		}
	}
}

// splitMerged splits frags that MuPDF read as one line although they are
// two cells set close together ("Value Package Identity FAJ 801 0444"): a
// frag that runs past the start of a column where its row has nothing is
// cut at the word boundary nearest that start, if one is within two ems.
func (t *table) splitMerged(region []row) []row {
	out := make([]row, len(region))
	for k, r := range region {
		out[k] = r
		var fs []frag
		for i, f := range r.frags {
			for {
				c := t.column(f.x)
				if c+1 >= len(t.cols) {
					break
				}
				next := t.cols[c+1]
				if i+1 < len(r.frags) && r.frags[i+1].x <= next+alignTol*t.size {
					break // the row has its own frag in that column
				}
				if f.x1 < next+0.3*f.size {
					break
				}
				cut, at := bestCut(f, next)
				if cut < 0 || math.Abs(at-next) > 2*f.size {
					break
				}
				left, right := f.split(cut)
				fs = append(fs, left)
				f = right
				f.x = next
			}
			fs = append(fs, f)
		}
		out[k].frags = fs
	}
	return out
}

// bestCut returns the byte offset of the word start in f nearest x, and
// where that word starts; -1 when f has one word.
func bestCut(f frag, x float64) (int, float64) {
	best, at := -1, 0.0
	for i := 1; i < len(f.text); i++ {
		if f.text[i-1] != ' ' || f.text[i] == ' ' {
			continue
		}
		if pos := f.at(i); best < 0 || math.Abs(pos-x) < math.Abs(at-x) {
			best, at = i, pos
		}
	}
	return best, at
}

// split cuts f before byte i (a word start): the left part ends where the
// right part's first character starts. The left part is marked cut (a
// space followed it) unless the space is a gap between cells that MuPDF
// filled: wider than a word space (see gapSpace).
func (f frag) split(i int) (frag, frag) {
	left, right := f, f
	left.text, left.xs = f.text[:i], f.xs[:i:i]
	left.trail, left.cut = false, !f.gapBefore(i)
	for strings.HasSuffix(left.text, " ") {
		left.text, left.xs = left.text[:len(left.text)-1], left.xs[:len(left.xs)-1]
	}
	left.x1 = f.at(i)
	right.text, right.xs = f.text[i:], f.xs[i:]
	right.x = f.at(i)
	return left, right
}

// gapSpace is the least width, in ems, of a space MuPDF put in a gap: a
// word space is about a quarter of an em; a cell's text ends at least a
// padding's width before the next cell's.
const gapSpace = 0.4

// gapBefore reports whether the spaces before byte i of f span a gap
// rather than a word space: MuPDF read two cells on one baseline as one
// line and filled the gap between them with one space as wide as the gap
// ("LOCAL_EVENT_SRB1_ESTAB EVENT_PARAM_QUEUE_TIME"), where the producer
// wrote no space: the first cell's word may be broken at its edge.
func (f frag) gapBefore(i int) bool {
	if len(f.xs) != len(f.text) || i <= 0 || i >= len(f.text) {
		return false
	}
	j := i
	for j > 0 && f.text[j-1] == ' ' {
		j--
	}
	return i-j == 1 && float64(f.xs[i]-f.xs[j]) >= gapSpace*f.size
}

// column is the index of the column a frag starting at x belongs to: the
// last column starting at or before it.
func (t *table) column(x float64) int {
	tol := alignTol * t.size
	c := 0
	for k, s := range t.cols {
		if s <= x+tol {
			c = k
		}
	}
	return c
}

// markdown writes the table as a pipe table, the first row as its header;
// columns empty in every row are left out. The soft hyphens of its cells
// go or become hyphens as v tells where the producer hyphenates words
// (typeset; see vocabulary.hyphens).
func (t *table) markdown(v vocabulary, typeset bool) string {
	keep := make([]bool, len(t.cols))
	for _, r := range t.rows {
		for c, s := range r {
			if s != "" {
				keep[c] = true
			}
		}
	}
	var sb strings.Builder
	if t.title != "" {
		if strings.HasPrefix(t.title, "|") || strings.HasPrefix(t.title, "#") {
			sb.WriteByte('\\')
		}
		sb.WriteString(v.hyphens(t.title, typeset))
		sb.WriteString("\n\n")
	}
	line := func(r []string) {
		sb.WriteByte('|')
		for c, s := range r {
			if !keep[c] {
				continue
			}
			sb.WriteByte(' ')
			sb.WriteString(strings.ReplaceAll(v.hyphens(s, typeset), "|", `\|`))
			sb.WriteString(" |")
		}
		sb.WriteByte('\n')
	}
	for k, r := range t.rows {
		line(r)
		if k == 0 {
			sb.WriteByte('|')
			for c := range r {
				if keep[c] {
					sb.WriteString(" --- |")
				}
			}
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}
