package pdf

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// Ruled tables. Most tables in specifications are drawn with rules: the
// cell borders are straight strokes or thin filled rectangles, which
// internal/mupdf collects from the page's paths. Where rules make a grid,
// the grid decides the cells, not the alignment of the words:
//   - rules that touch make a group; a group whose top and bottom rules run
//     its whole width and that has two column bands and two row bands or
//     more is a table. Its column bounds are its vertical rules' positions
//     and its outer edges, its row bounds its horizontal rules' positions;
//   - two neighbouring grid cells with no rule between them are one
//     spanning cell. A cell spanning rows repeats its text in every row it
//     spans, so that each row reads on its own; a cell spanning columns
//     repeats its text in header rows ("Range" over "Min" and "Max") and
//     leaves the other columns blank in data rows. That is what the HTML
//     and DOCX converters do with rowspan and colspan, and what the
//     extraction's table rules (a parameter row names its MO class, a
//     header names its columns) read best;
//   - a line of text crossing a column rule is cut there, character by
//     character (a line crossing only the bound of a spanning cell stays
//     whole); the lines of a cell are joined in reading order;
//   - the header is the first row, and the rows below it while the row
//     above has a cell spanning columns over bold sub-headers (two-level
//     headers become one row: "Range Min", "Range Max");
//   - a table that goes on at the top of the next page with the same
//     column bounds is one table (see converter.continues).
//   - a first row that is one cell across the whole table is the table's
//     title, written as a paragraph before it.
// Tables without vertical rules, or without rules, are found from the
// alignment of their words (see tableAt).

// Rule geometry, in points.
const (
	// ruleThin: a filled rectangle up to this thick is a line.
	ruleThin = 3.0
	// ruleSnap: rule ends and positions this close are the same.
	ruleSnap = 2.0
	// maxRuleWork bounds the pairs of rules compared on one page; a page
	// with more is a drawing, not a table.
	maxRuleWork = 4_000_000
)

// segment is a horizontal (pos = y, from/to = x) or vertical (pos = x,
// from/to = y) rule.
type segment struct {
	pos, from, to float64
}

// ruledTables finds the ruled tables of a page from its horizontal and
// vertical rules (see segments), sets the tab of the frags they hold, and
// returns them top to bottom. words are the document's so far, the page's
// with them (see wrapping).
func ruledTables(frags []frag, hs, vs []segment, words vocabulary) []*table {
	if len(hs) < 2 || len(vs) < 1 || len(hs)*len(vs) > maxRuleWork {
		return nil
	}
	var out []*table
	for _, g := range ruleGroups(hs, vs) {
		if t := gridTable(g.h, g.v, frags, len(out)+1, words); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// markRuled sets ruled on the rows that a horizontal rule runs just above,
// across their text: within a font size of their top, from their first
// frag's left edge to their last frag's right edge. hs is sorted by
// position (see segments).
func markRuled(rs []row, hs []segment) {
	if len(hs) == 0 {
		return
	}
	for i := range rs {
		r := &rs[i]
		if len(r.frags) == 0 {
			continue
		}
		left, right := r.frags[0].x, r.frags[len(r.frags)-1].x1
		k, _ := slices.BinarySearchFunc(hs, r.y-r.size, func(s segment, y float64) int { return cmpFloat(s.pos, y) })
		for ; k < len(hs) && hs[k].pos <= r.y; k++ {
			if hs[k].from <= left+ruleSnap && hs[k].to >= right-ruleSnap && (!r.ruled || hs[k].to-hs[k].from > r.rule.to-r.rule.from) {
				r.ruled, r.rule = true, hs[k]
			}
		}
	}
}

// segments sorts the rules into merged horizontal and vertical segments.
func segments(rules []mupdf.Rule) (hs, vs []segment) {
	for _, r := range rules {
		w, h := r.X1-r.X0, r.Y1-r.Y0
		switch {
		case h <= ruleThin && w > h:
			hs = append(hs, segment{(r.Y0 + r.Y1) / 2, r.X0, r.X1})
		case w <= ruleThin && h > w:
			vs = append(vs, segment{(r.X0 + r.X1) / 2, r.Y0, r.Y1})
		}
	}
	return mergeSegments(hs), mergeSegments(vs)
}

// mergeSegments joins collinear segments that overlap or touch: a border
// drawn cell by cell becomes one rule.
func mergeSegments(ss []segment) []segment {
	slices.SortFunc(ss, func(a, b segment) int {
		if d := cmpFloat(a.pos, b.pos); d != 0 {
			return d
		}
		return cmpFloat(a.from, b.from)
	})
	var out []segment
	for _, s := range ss {
		merged := false
		for k := len(out) - 1; k >= 0 && s.pos-out[k].pos <= ruleSnap/2; k-- {
			if s.from <= out[k].to+ruleSnap && s.to >= out[k].from-ruleSnap {
				out[k].from = min(out[k].from, s.from)
				out[k].to = max(out[k].to, s.to)
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, s)
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ruleGroup is a set of rules that touch one another.
type ruleGroup struct {
	h, v []segment
}

// ruleGroups splits the rules into groups of rules that touch.
func ruleGroups(hs, vs []segment) []ruleGroup {
	parent := make([]int, len(hs)+len(vs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if v.pos >= h.from-ruleSnap && v.pos <= h.to+ruleSnap && h.pos >= v.from-ruleSnap && h.pos <= v.to+ruleSnap {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	byRoot := map[int]*ruleGroup{}
	var roots []int
	get := func(i int) *ruleGroup {
		r := find(i)
		g, ok := byRoot[r]
		if !ok {
			g = &ruleGroup{}
			byRoot[r] = g
			roots = append(roots, r)
		}
		return g
	}
	for i, h := range hs {
		g := get(i)
		g.h = append(g.h, h)
	}
	for j, v := range vs {
		g := get(len(hs) + j)
		g.v = append(g.v, v)
	}
	out := make([]ruleGroup, 0, len(roots))
	for _, r := range roots {
		if g := byRoot[r]; len(g.h) >= 2 && len(g.v) >= 1 {
			out = append(out, *g)
		}
	}
	slices.SortFunc(out, func(a, b ruleGroup) int { return cmpFloat(a.h[0].pos, b.h[0].pos) })
	return out
}

// bounds clusters positions into sorted bounds, snapping those closer
// than ruleSnap.
func bounds(ps []float64) []float64 {
	slices.Sort(ps)
	var out []float64
	for _, p := range ps {
		if n := len(out); n > 0 && p-out[n-1] <= ruleSnap {
			continue
		}
		out = append(out, p)
	}
	return out
}

// covers reports whether one of ss, at pos, covers the point at along it.
func covers(ss []segment, pos, at float64) bool {
	for _, s := range ss {
		if math.Abs(s.pos-pos) <= ruleSnap && s.from-ruleSnap <= at && at <= s.to+ruleSnap {
			return true
		}
	}
	return false
}

// textIn reports whether a frag stands between x0 and x1, its middle
// between y0 and y1: a band with no text adds no row, and cuts none (the
// ends of a table's column rules that run past its frame).
func textIn(frags []frag, x0, x1, y0, y1 float64) bool {
	for _, f := range frags {
		if cy := f.y + f.size/2; cy > y0 && cy < y1 && f.x >= x0-ruleSnap && f.x1 <= x1+ruleSnap {
			return true
		}
	}
	return false
}

// piece is the part of a frag that falls in one grid cell.
type piece struct {
	f        frag
	row, col int
}

// gridTable builds the table of one rule group, or nil if the group is no
// table; the frags it takes get tab.
func gridTable(hs, vs []segment, frags []frag, tab int, words vocabulary) *table {
	left, right := math.Inf(1), math.Inf(-1)
	for _, h := range hs {
		left, right = min(left, h.from), max(right, h.to)
	}
	var xps, yps []float64
	for _, v := range vs {
		xps = append(xps, v.pos)
	}
	xps = append(xps, left, right)
	top, bottom := math.Inf(1), math.Inf(-1)
	for _, h := range hs {
		yps = append(yps, h.pos)
		top, bottom = min(top, h.pos), max(bottom, h.pos)
	}
	// A row that a page break cuts is drawn open on the cut side: the
	// vertical rules at both edges of the table run past the last
	// horizontal one (or start above the first), and where they end, the
	// row does.
	vtop, vbottom := math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		vtop, vbottom = min(vtop, v.from), max(vbottom, v.to)
	}
	edges := func(y float64) bool { return covers(vs, left, y) && covers(vs, right, y) }
	// cut: the last row goes on over the page break; openTop: the first
	// row came over it.
	cut := vbottom > bottom+ruleSnap && edges(vbottom-ruleSnap/2) && textIn(frags, left, right, bottom, vbottom)
	if cut {
		yps = append(yps, vbottom)
	}
	openTop := vtop < top-ruleSnap && edges(vtop+ruleSnap/2) && textIn(frags, left, right, vtop, top)
	if openTop {
		yps = append(yps, vtop)
	}
	xs, ys := bounds(xps), bounds(yps)
	nc, nr := len(xs)-1, len(ys)-1
	// rest: the first row starts above the page, which clips it: the rest
	// of a row the page break cut, that the producer drew whole on both
	// pages (wkhtmltopdf); it may be the part's only row. A row alone is a
	// table too where it opens the page, no text above it: a row the
	// producer moved whole to the next page (wkhtmltopdf), which may go on
	// a table.
	rest := ys[0] < -ruleSnap
	if nc < 2 || nr < 1 || nr == 1 && !rest && textIn(frags, math.Inf(-1), math.Inf(1), math.Inf(-1), ys[0]) {
		return nil
	}
	// The frame: the top and bottom rules run the whole width, but on a
	// side left open by a page break.
	width := xs[nc] - xs[0]
	for _, side := range [2]struct {
		y    float64
		open bool
	}{{ys[0], openTop}, {ys[nr], cut}} {
		if side.open {
			continue
		}
		y := side.y
		run := 0.0
		for _, h := range hs {
			if math.Abs(h.pos-y) <= ruleSnap {
				run = max(run, h.to-h.from)
			}
		}
		if run < 0.9*width {
			return nil
		}
	}

	// Cells with no rule between them are one: union-find over the grid.
	parent := make([]int, nr*nc)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			ra, rb = rb, ra
		}
		parent[ra] = rb // the root is the top-left cell
	}
	for r := range nr {
		mid := (ys[r] + ys[r+1]) / 2
		for c := range nc - 1 {
			if !covers(vs, xs[c+1], mid) {
				union(r*nc+c, r*nc+c+1)
			}
		}
	}
	for c := range nc {
		mid := (xs[c] + xs[c+1]) / 2
		for r := range nr - 1 {
			if !covers(hs, ys[r+1], mid) {
				union(r*nc+c, (r+1)*nc+c)
			}
		}
	}

	// The frags inside, cut at the column bounds they cross.
	var pieces []piece
	for i := range frags {
		f := &frags[i]
		cy := f.y + f.size/2
		if cy < ys[0] || cy > ys[nr] || f.x1 < xs[0] || f.x > xs[nc] {
			continue
		}
		if f.x < xs[0]-f.size || f.x1 > xs[nc]+f.size {
			continue // runs out of the table: not its text
		}
		f.tab = tab
		r := band(ys, cy)
		var cuts []float64 // the column rules the frag crosses
		for _, x := range xs[1:nc] {
			if x > f.x && x < f.x1 && covers(vs, x, cy) {
				cuts = append(cuts, x)
			}
		}
		for _, part := range cutAt(*f, cuts) {
			pieces = append(pieces, piece{f: part, row: r, col: band(xs, (part.x+part.x1)/2)})
		}
	}
	if len(pieces) == 0 {
		for i := range frags {
			if frags[i].tab == tab {
				frags[i].tab = 0
			}
		}
		return nil
	}

	// The text of each spanning cell, its lines in reading order.
	slices.SortStableFunc(pieces, func(a, b piece) int {
		if d := cmpFloat(a.f.y, b.f.y); math.Abs(a.f.y-b.f.y) > 0.35*max(a.f.size, b.f.size) {
			return d
		}
		return cmpFloat(a.f.x, b.f.x)
	})
	// A cell's right edge is the rule right of its last column. Cells are
	// indexed by their root in the grid (see find).
	cellRight := make([]float64, nr*nc)
	for r := range nr {
		for c := range nc {
			cell := find(r*nc + c)
			cellRight[cell] = max(cellRight[cell], xs[c+1])
		}
	}
	// Whether the producer keeps spaces at wraps shows on the whole page.
	wraps := wrapping{keeps: marksWraps(frags), words: words}
	texts := make([]string, nr*nc)
	seen := make([]bool, nr*nc) // the cell has text
	bold := make([]bool, nr*nc)
	last := make([]int, nr*nc) // the piece last put in the cell
	sizes := make([]float64, 0, len(pieces))
	for i, p := range pieces {
		cell := find(p.row*nc + p.col)
		s := texts[cell]
		switch {
		case !seen[cell]:
			s = p.f.text
			bold[cell] = p.f.bold
		case math.Abs(p.f.y-pieces[last[cell]].f.y) <= 0.35*p.f.size:
			s += " " + p.f.text
			bold[cell] = bold[cell] && p.f.bold
		case wraps.broken(pieces[last[cell]].f, p.f, cellRight[cell]):
			s += p.f.text // a word broken at the cell edge
			bold[cell] = bold[cell] && p.f.bold
		default:
			s = joinWrapped(s, p.f.text)
			bold[cell] = bold[cell] && p.f.bold
		}
		texts[cell], last[cell], seen[cell] = s, i, true
		sizes = append(sizes, p.f.size)
	}
	slices.Sort(sizes)

	// Header rows: the first, and the ones below it while the row above
	// spans columns over a bold row.
	spansCols := func(r int) bool {
		for c := range nc - 1 {
			if find(r*nc+c) == find(r*nc+c+1) {
				return true
			}
		}
		return false
	}
	boldRow := func(r int) bool {
		any := false
		for c := range nc {
			cell := find(r*nc + c)
			if seen[cell] {
				any = true
				if !bold[cell] {
					return false
				}
			}
		}
		return any
	}
	t := &table{cols: xs[:nc], size: sizes[len(sizes)/2], cut: cut, rest: rest}
	first := 0
	if nr >= 3 && find(0) == find(nc-1) && !rest {
		// A title row ("Change history") across the whole table.
		t.title, first = texts[find(0)], 1
	}
	head := first + 1
	for head < nr-1 && spansCols(head-1) && boldRow(head) {
		head++
	}
	var header []string
	for r := first; r < nr; r++ {
		cells := make([]string, nc)
		empty := true
		for c := range nc {
			cell := find(r*nc + c)
			root := cell / nc
			switch {
			case cell == r*nc+c, cell%nc == c && root < r:
				cells[c] = texts[cell] // the cell, or a row span under it
			case r < head:
				cells[c] = texts[cell] // a column span in a header row
			}
			if cells[c] != "" {
				empty = false
			}
		}
		switch {
		case r < head:
			header = joinHeader(header, cells)
		case !empty:
			t.rows = append(t.rows, cells)
		}
	}
	t.rows = append([][]string{header}, t.rows...)
	return t
}

// joinHeader adds a header row's cells under the ones above.
func joinHeader(above, cells []string) []string {
	if above == nil {
		return cells
	}
	for c, s := range cells {
		switch {
		case s == "" || s == above[c]:
		case above[c] == "":
			above[c] = s
		default:
			above[c] += " " + s
		}
	}
	return above
}

// band is the index of the band of bs (sorted bounds) that holds p.
func band(bs []float64, p float64) int {
	for k := 1; k < len(bs)-1; k++ {
		if p < bs[k] {
			return k - 1
		}
	}
	return len(bs) - 2
}

// cutAt cuts f at the column rules at xs, before the first character that
// starts past each; empty parts are dropped.
func cutAt(f frag, xs []float64) []frag {
	var out []frag
	for _, x := range xs {
		if x <= f.x+1 || x >= f.x1-1 {
			continue
		}
		i := 0
		for i < len(f.text) && (f.at(i) < x-1 || !utf8.RuneStart(f.text[i])) {
			i++
		}
		if i == 0 || i == len(f.text) {
			continue
		}
		left, right := f.split(i)
		right.text = strings.TrimLeft(right.text, " ")
		right.xs = right.xs[len(right.xs)-len(right.text):]
		if right.text != "" {
			right.x = right.at(0)
		}
		if left.text != "" {
			out = append(out, left)
		}
		f = right
		f.x = max(f.x, x)
	}
	if f.text != "" {
		out = append(out, f)
	}
	return out
}

// withTables replaces the frags of the ruled tables in rs by one row per
// table, standing where the table's first row stood.
func withTables(rs []row, tables []*table) []row {
	if len(tables) == 0 {
		return rs
	}
	placed := make([]bool, len(tables))
	out := make([]row, 0, len(rs))
	for _, r := range rs {
		if !r.inTable() {
			out = append(out, r)
			continue
		}
		var keep []frag
		size := 0.0
		for _, f := range r.frags {
			if f.tab == 0 {
				keep = append(keep, f)
				size = max(size, f.size)
				continue
			}
			if !placed[f.tab-1] {
				placed[f.tab-1] = true
				out = append(out, row{y: r.y, size: r.size, table: tables[f.tab-1]})
			}
		}
		if len(keep) > 0 {
			r.frags, r.size = keep, size
			out = append(out, r)
		}
	}
	return out
}
