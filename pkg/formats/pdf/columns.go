package pdf

import (
	"math"
	"slices"
	"strings"
)

// A page set in two (or more) columns reads column by column, but its rows,
// sorted top to bottom, interleave the columns: the left column's line and
// the right column's line on one baseline even come as one row of two
// frags, which reads like a table. readingOrder finds the gutter: a left edge
// x, in the middle part of the page, where many lines start and that no
// line crosses except full-width rows (a title, a wide figure or table, a
// heading across the page). The full-width rows cut the page into bands;
// a band whose lines on both sides of the gutter are prose (long lines of
// several words, one per side and row, as a column fills its width) is
// read left side first, then right side, each side ordered again in case
// it holds columns of its own. A table keeps its rows: its cells are
// short, or several per side of any gutter, or stand apart in padded rows
// where a column's lines follow each other at line spacing; so does a
// one-column page,
// whose lines cross any gutter, and a centred figure, whose labels are not
// prose.

// Column detection thresholds, in font sizes (ems) of the lines measured.
const (
	// colMinLines: each side of a band needs this many lines.
	colMinLines = 4
	// colMinSupport: this many lines must start at the gutter's right edge.
	colMinSupport = 4
	// colMinWords and colMinEms: the median line of each side is prose, this
	// many words and ems long.
	colMinWords = 4
	colMinEms   = 12.0
	// colMaxDepth bounds the columns found inside a column.
	colMaxDepth = 3
)

// readingOrder returns the rows of a page in reading order: as they are,
// or column by column where bands of the page are set in columns.
func readingOrder(rs []row) []row {
	return columnOrder(rs, 0)
}

func columnOrder(rs []row, depth int) []row {
	if depth >= colMaxDepth || len(rs) < 2*colMinLines {
		return rs
	}
	left, right := textExtent(rs)
	if right-left <= 0 {
		return rs
	}
	for _, g := range gutterCandidates(rs, left, right) {
		if out, ok := splitColumns(rs, g, depth); ok {
			return out
		}
	}
	return rs
}

// textExtent is the leftmost left edge and the rightmost right edge of the
// rows' frags.
func textExtent(rs []row) (left, right float64) {
	left = math.Inf(1)
	right = math.Inf(-1)
	for _, r := range rs {
		for _, f := range r.frags {
			left = min(left, f.x)
			right = max(right, f.x1)
		}
	}
	return left, right
}

// gutterCandidates returns left edges in the middle of the text extent
// where at least colMinSupport lines start, most supported first.
func gutterCandidates(rs []row, left, right float64) []float64 {
	w := right - left
	type cand struct {
		x float64
		n int
	}
	var cs []cand
	for _, r := range rs {
		for _, f := range r.frags {
			if f.x < left+0.2*w || f.x > left+0.8*w {
				continue
			}
			tol := alignTol * f.size
			found := false
			for k := range cs {
				if math.Abs(cs[k].x-f.x) <= tol {
					cs[k].n++
					found = true
					break
				}
			}
			if !found {
				cs = append(cs, cand{x: f.x, n: 1})
			}
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return b.n - a.n })
	var out []float64
	for _, c := range cs {
		if c.n < colMinSupport || len(out) == 3 {
			break
		}
		out = append(out, c.x)
	}
	return out
}

// splitColumns orders rs by the gutter whose right edge is g, and reports whether any band of rs is in columns. A
// ruled table (a row standing for it) cuts the bands as a full-width row
// does.
func splitColumns(rs []row, g float64, depth int) ([]row, bool) {
	var out []row
	split := false
	band := []row{}
	flush := func() {
		if len(band) == 0 {
			return
		}
		if l, r, ok := columnBand(band, g); ok {
			out = append(out, columnOrder(l, depth+1)...)
			out = append(out, columnOrder(r, depth+1)...)
			split = true
		} else {
			out = append(out, band...)
		}
		band = []row{}
	}
	for _, r := range rs {
		if r.table != nil || crosses(r, g, alignTol*r.size) {
			flush()
			out = append(out, r)
			continue
		}
		band = append(band, r)
	}
	flush()
	return out, split
}

// crosses reports whether a frag of r runs across the gutter at g: it
// starts left of it and ends right of it, by more than tol.
func crosses(r row, g, tol float64) bool {
	for _, f := range r.frags {
		if f.x < g-tol && f.x1 > g+tol {
			return true
		}
	}
	return false
}

// columnBand splits a band of rows that cross no gutter at g into its left
// and right columns, if both sides are prose.
func columnBand(band []row, g float64) (left, rightRows []row, ok bool) {
	// Count first: most bands are not two columns at g, and are told apart
	// without building them.
	nl, nr, multi := 0, 0, 0
	for _, r := range band {
		l, rt := 0, 0
		for _, f := range r.frags {
			if f.x < g-alignTol*f.size {
				l++
			} else {
				rt++
			}
		}
		if l > 1 || rt > 1 {
			multi++
		}
		nl, nr = nl+l, nr+rt
	}
	if nl < colMinLines || nr < colMinLines || 5*multi > len(band) {
		return nil, nil, false
	}
	var ls, rs []frag
	multi = 0
	for _, r := range band {
		var l, rt []frag
		for _, f := range r.frags {
			if f.x < g-alignTol*f.size {
				l = append(l, f)
			} else {
				rt = append(rt, f)
			}
		}
		if len(l) > 1 || len(rt) > 1 {
			multi++
		}
		if len(l) > 0 {
			left = append(left, subRow(r, l))
			ls = append(ls, l...)
		}
		if len(rt) > 0 {
			rightRows = append(rightRows, subRow(r, rt))
			rs = append(rs, rt...)
		}
	}
	if len(ls) < colMinLines || len(rs) < colMinLines || 5*multi > len(band) {
		return nil, nil, false
	}
	// The right column starts at the gutter: most of its lines start there.
	at := 0
	for _, f := range rs {
		if math.Abs(f.x-g) <= alignTol*f.size {
			at++
		}
	}
	if at < colMinSupport || 2*at < len(rs) {
		return nil, nil, false
	}
	if !prose(ls) || !prose(rs) || !flowing(left) || !flowing(rightRows) {
		return nil, nil, false
	}
	return left, rightRows, true
}

// flowing reports whether most lines of one side are followed by another
// at line spacing, as the lines of a column's paragraphs are; the cells of
// a table stand apart, in padded rows.
func flowing(rs []row) bool {
	next := 0
	for i := 1; i < len(rs); i++ {
		if rs[i].y-rs[i-1].y <= cellWrap*rs[i-1].size {
			next++
		}
	}
	return 2*next >= len(rs)-1
}

// prose reports whether the median line of fs is long and of several
// words, as the lines of a column of text are (a table's cells rarely are).
func prose(fs []frag) bool {
	words := make([]int, len(fs))
	ems := make([]float64, len(fs))
	for i, f := range fs {
		words[i] = len(strings.Fields(f.text))
		ems[i] = (f.x1 - f.x) / max(f.size, 1)
	}
	slices.Sort(words)
	slices.Sort(ems)
	return words[len(words)/2] >= colMinWords && ems[len(ems)/2] >= colMinEms
}

// subRow is the row r with only the frags fs.
func subRow(r row, fs []frag) row {
	s := 0.0
	for _, f := range fs {
		s = max(s, f.size)
	}
	return row{frags: fs, y: r.y, size: s}
}
