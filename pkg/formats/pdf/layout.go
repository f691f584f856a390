package pdf

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// MuPDF's structured text ("stext") knows, for every line it finds on a
// page, its box, its font size, whether its glyphs are bold, and where each
// character stands; internal/mupdf hands the lines over (one call into C
// per page). MuPDF ends a line where the glyphs jump apart, so the cells of
// a table row, a list bullet and its text, or an ETSI clause number and its
// title come as separate lines on one baseline. fragsOf turns the lines
// into frags; the rest of the layout (rows, paragraphs, tables) is built
// from their positions.

// frag is one MuPDF line: a run of text on one baseline.
type frag struct {
	x, y float64 // left and top, in points
	x1   float64 // right edge
	size float64 // font size of most of its glyphs
	bold bool    // most of its glyphs are bold
	text string  // cleaned (see cleanLine)
	// xs holds, for each byte of text, the left edge of the character it
	// belongs to: where a cut between two words falls on the page.
	xs []float32
	// tab is 1 + the index of the ruled table of its page that holds the
	// frag, 0 when it stands outside every ruled table (see rules.go).
	tab int
	// trail is set when the line ended with a space that cleaning dropped:
	// some producers (LibreOffice) keep the space where a line wrapped
	// between words, which tells a wrap from a word broken at the edge of a
	// table cell (see cellwrap.go).
	trail bool
	// cut is set when the frag is the left part of a line cut at a word
	// boundary (see frag.split): a space followed it.
	cut bool
}

// fragsOf turns MuPDF's lines into frags, in MuPDF's order; lines without
// text are dropped. The frags' texts are cut from one string and their xs
// from one array (each capped at its frag's length), made once per page:
// a page has hundreds of lines.
func fragsOf(lines []mupdf.Line) []frag {
	n := 0
	for _, l := range lines {
		n += len(l.Chars)
	}
	var sb strings.Builder
	sb.Grow(n)
	xs := make([]float32, 0, n)
	out := make([]frag, 0, len(lines))
	add := func(l mupdf.Line) {
		start := len(xs)
		var f frag
		var ok bool
		if f, xs, ok = appendLine(&sb, xs, l); ok {
			// xs has one edge per byte of text: the text is cut from sb
			// once it is whole (sb may move while it grows).
			f.xs = xs[start:len(xs):len(xs)]
			out = append(out, f)
		}
	}
	for _, l := range lines {
		for {
			k := overprinted(l)
			if k == 0 {
				add(l)
				break
			}
			head, rest := l, l
			head.Chars, rest.Chars = l.Chars[:k], l.Chars[k:]
			head.X1, rest.X0 = charsRight(head.Chars), float64(rest.Chars[0].X0)
			add(head)
			l = rest
		}
	}
	all := sb.String()
	start := 0
	for i := range out {
		end := start + len(out[i].xs)
		out[i].text = all[start:end]
		start = end
	}
	return out
}

// overprinted returns the index of the first character of l that starts
// well left of where the characters before it end (a third of the font
// size): a second text drawn over the end of the first, as LaTeX sets a
// name wider than its table column over the next column's text
// ("INTERNAL_EVENT_UE_LB_MEAS" over "EVENT_PARAM_FREQ"). MuPDF reads both
// as one line; they are two cells. 0 when there is none. Spaces and
// combining marks (drawn over the letter before them) start nothing.
func overprinted(l mupdf.Line) int {
	right := float32(math.Inf(-1))
	back := float32(l.Size) / 3
	for i, c := range l.Chars {
		switch {
		case c.R == ' ':
			continue
		case i >= minOverprint && c.X0 < right-back && !unicode.Is(unicode.Mn, c.R) && runsOn(l.Chars[i:], back):
			return i
		}
		right = max(right, c.X1)
	}
	return 0
}

// minOverprint is the fewest characters either text of an overprinted
// line has: characters set one by one out of order (a figure's labels,
// text drawn rotated) are not two texts.
const minOverprint = 3

// runsOn reports whether the first minOverprint characters of cs run on
// left to right, none starting back by more than back.
func runsOn(cs []mupdf.Char, back float32) bool {
	if len(cs) < minOverprint {
		return false
	}
	for k := 1; k < minOverprint; k++ {
		if cs[k].X0 < cs[k-1].X1-back {
			return false
		}
	}
	return true
}

// charsRight is the right edge of the rightmost of cs.
func charsRight(cs []mupdf.Char) float64 {
	right := float32(math.Inf(-1))
	for _, c := range cs {
		right = max(right, c.X1)
	}
	return float64(right)
}

// appendLine writes the text of one line to sb and the left edges of its
// bytes to xs, and returns its frag without text and xs; false if the
// line has no text. The text is cleaned as cleanLine cleans a string:
// control characters dropped, runs of spaces collapsed into one, the ends
// trimmed.
func appendLine(sb *strings.Builder, xs []float32, l mupdf.Line) (frag, []float32, bool) {
	f := frag{x: l.X0, y: l.Top, x1: l.X1, size: l.Size, bold: l.Bold}
	start := len(xs)
	prevSpace, pending := true, false
	var spaceX float32
	for _, c := range l.Chars {
		r := c.R
		switch {
		case r < utf8.RuneSelf && r > ' ' && r != 0x7f:
			// Printable ASCII, most of the text: neither a space nor a
			// control character.
		case unicode.IsSpace(r):
			if !prevSpace {
				pending, spaceX = true, c.X0
			}
			prevSpace = true
			continue
		case unicode.IsControl(r):
			continue
		case !utf8.ValidRune(r):
			r = utf8.RuneError
		}
		if pending {
			sb.WriteByte(' ')
			xs = append(xs, spaceX)
			pending = false
		}
		if r < utf8.RuneSelf {
			sb.WriteByte(byte(r))
			xs = append(xs, c.X0)
		} else {
			sb.WriteRune(r)
			for range utf8.RuneLen(r) {
				xs = append(xs, c.X0)
			}
		}
		prevSpace = false
	}
	f.trail = pending
	if len(xs) == start {
		return f, xs, false
	}
	if f.size <= 0 {
		f.size = l.Y1 - l.Y0
	}
	return f, xs, true
}

// at is where byte i of f's text starts on the page; the right edge past
// the end.
func (f frag) at(i int) float64 {
	if i >= len(f.xs) {
		return f.x1
	}
	return float64(f.xs[i])
}

// row is the frags of one baseline, left to right.
type row struct {
	frags []frag
	y     float64
	size  float64 // largest font size
	// table, when set, is a ruled table standing where its frags were (see
	// withTables); the row has no frags then.
	table *table
	// ruled is set when a horizontal rule runs just above the row, across
	// its text (see markRuled); rule is then the extent of the widest.
	ruled bool
	rule  segment
}

// inTable reports whether one of r's frags is in a ruled table.
func (r row) inTable() bool {
	for _, f := range r.frags {
		if f.tab != 0 {
			return true
		}
	}
	return false
}

func (r row) text() string {
	parts := make([]string, len(r.frags))
	for i, f := range r.frags {
		parts[i] = f.text
	}
	return strings.Join(parts, " ")
}

func (r row) texts() []string {
	parts := make([]string, len(r.frags))
	for i, f := range r.frags {
		parts[i] = f.text
	}
	return parts
}

// rows groups frags into baselines, top to bottom: a frag belongs to a row
// when its top is within a third of the font size of the row's top. It
// sorts frags in place: the rows are cut from it.
func rows(frags []frag) []row {
	sorted := frags
	slices.SortStableFunc(sorted, func(a, b frag) int {
		switch {
		case a.y < b.y:
			return -1
		case a.y > b.y:
			return 1
		}
		return 0
	})
	// A row is a run of sorted: its frags are cut from it (capped, so that
	// appending to a row's frags never writes into the next row's).
	out := make([]row, 0, len(sorted))
	start := 0
	for i, f := range sorted {
		if n := len(out); n > 0 {
			r := &out[n-1]
			tol := 0.35 * max(r.size, f.size)
			if f.y-r.y <= tol {
				r.size = max(r.size, f.size)
				continue
			}
			r.frags = sorted[start:i:i]
		}
		out = append(out, row{y: f.y, size: f.size})
		start = i
	}
	if n := len(out); n > 0 {
		out[n-1].frags = sorted[start:len(sorted):len(sorted)]
	}
	for i := range out {
		slices.SortStableFunc(out[i].frags, func(a, b frag) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		out[i].frags = mergeMarker(out[i].frags, false)
	}
	return out
}

// marker matches what stands apart before a line's text without being a
// table cell: list bullets and numbers, reference tags ("[12]"), "NOTE:"
// and "Table 5.1-1:".
var marker = regexp.MustCompile(`^(?:[•·▪◦‣●○■□–—*-]|\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([0-9a-zA-Z]{1,4}\)|\[[^\]\s]{1,12}\]|NOTE\s*[0-9]*:?|(?:Table|Figure)\s+\S+:?)$`)

// clauseMarker matches a clause number standing apart before its title
// ("4.2.3" then "Channel coding"), or a bare number; in body-size text it
// may as well be a table's first cell, so it is merged only in larger or
// bold rows (see layout).
var clauseMarker = regexp.MustCompile(`^(?:[0-9]{1,3}|[A-Z])(?:\.[0-9]{1,3}[A-Za-z]?)*\.?$`)

// bullets are the list bullet glyphs.
const bullets = "•·▪◦‣●○■□–—*-"

// isMarker reports whether t is a list or note marker (marker). A word
// that starts with a letter is one only as "a." or "b)", "NOTE",
// "Table" or "Figure": most frags are told apart without the expression.
func isMarker(t string) bool {
	if t == "" {
		return false
	}
	if c := t[0]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		if len(t) == 2 {
			return t[1] == '.' || t[1] == ')'
		}
		if !strings.HasPrefix(t, "NOTE") && !strings.HasPrefix(t, "Table") && !strings.HasPrefix(t, "Figure") {
			return false
		}
	}
	return marker.MatchString(t)
}

// isClauseMarker reports whether t is a clause number alone
// (clauseMarker): it starts with a digit, or is a capital letter alone or
// before a dot.
func isClauseMarker(t string) bool {
	if t == "" {
		return false
	}
	if c := t[0]; c >= 'A' && c <= 'Z' {
		if len(t) > 1 && t[1] != '.' {
			return false
		}
	} else if !isDigit(c) {
		return false
	}
	return clauseMarker.MatchString(t)
}

// isBullet reports whether s is a list bullet glyph alone.
func isBullet(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return s != "" && size == len(s) && r != utf8.RuneError && strings.ContainsRune(bullets, r)
}

// mergeMarker joins a leading marker with the frag after it: "-" and a list
// item's text become one line, as do "4.2.3" and "Channel coding" when
// clause is set. A marker before several frags is a table's first cell,
// unless it is a bullet.
func mergeMarker(fs []frag, clause bool) []frag {
	if len(fs) < 2 {
		return fs
	}
	t := fs[0].text
	switch {
	case isBullet(t):
	case len(fs) > 2:
		return fs
	case isMarker(t):
	case clause && isClauseMarker(t):
	default:
		return fs
	}
	if fs[1].x-fs[0].x > 9*max(fs[0].size, fs[1].size) {
		return fs
	}
	m := fs[1]
	m.x = fs[0].x
	m.text = fs[0].text + " " + fs[1].text
	m.xs = slices.Concat(fs[0].xs, []float32{float32(fs[0].x1)}, fs[1].xs)
	m.size = max(fs[0].size, fs[1].size)
	m.bold = fs[0].bold && fs[1].bold
	return append([]frag{m}, fs[2:]...)
}
