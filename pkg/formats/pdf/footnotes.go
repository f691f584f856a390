package pdf

import (
	"regexp"
	"strings"
	"unicode"
)

// Footnotes sit at the bottom of a page, set smaller than the body, each
// starting with its marker (a number or a symbol that the body carries as a
// superscript). Left in the flow they cut the last paragraph of the page from
// the one the next page continues, and their text reads as body text. They
// are set apart: after the page's body (after the paragraph that the page
// break cuts, once joined), a `<!-- footnotes -->` line, then one paragraph
// per footnote, its marker and text as printed ("1 See TS 38.331.",
// "(2) Only for FDD."). The text is kept as printed rather than rewritten
// into markdown footnotes (`[^1]: ...`) because the markers in the body are
// glued to words (MuPDF reads a superscript 1 after "pmFooBar" as
// "pmFooBar1"), so markdown references cannot be rebuilt reliably, while
// the extraction rules already recognise a footnote line starting with
// "(1)" or "1)" to strip a marker glued to a name; the comment line keeps
// them apart for a reader and a chunker (which keeps them in the chunk of
// the page's text) without changing a word. Running footers are found
// before (running.go) and stay where they are.

// Footnote geometry.
const (
	// footMaxSize: footnote text is at most this share of the body size.
	footMaxSize = 0.88
	// footGap: the footnotes start at least this many of their font sizes
	// (top to top) below the body line above them.
	footGap = 1.6
	// footMarkerGap: a marker standing apart is this close to its text, in ems.
	footMarkerGap = 3.0
	// footMaxRows bounds the rows footnotes may take on one page.
	footMaxRows = 16
)

// footStart matches the start of a footnote: a marker, then text starting
// with a letter, a digit or an opening quote or bracket.
var footStart = regexp.MustCompile(`^(?:[0-9]{1,3}\)?\s|\([0-9]{1,3}\)|\[[0-9]{1,3}\]|[*†‡§¶]{1,3}|[a-z]\))\s*[\pL\pN"“(\[]`)

// footMarker matches a footnote marker standing alone.
var footMarker = regexp.MustCompile(`^(?:[0-9]{1,3}\)?|\([0-9]{1,3}\)|\[[0-9]{1,3}\]|[*†‡§¶]{1,3}|[a-z]\))$`)

// splitFootnotes takes the footnotes off the bottom of a page's body rows
// (running headers and footers already out): the trailing rows set smaller
// than body, the first starting with a marker and some words, set apart
// from the body above. It returns the rows left and the footnotes, one
// string per footnote.
func splitFootnotes(rs []row, body float64) ([]row, []string) {
	n := len(rs)
	if n < 2 {
		return rs, nil
	}
	// The trailing run of small rows, each a footnote line.
	run := n
	for run > 0 && n-run < footMaxRows && isFootRow(rs[run-1], body) {
		run--
	}
	if run == n || run == 0 {
		return rs, nil
	}
	bodyAbove := false
	for _, r := range rs[:run] {
		if r.size >= 0.95*body {
			bodyAbove = true
			break
		}
	}
	if !bodyAbove {
		return rs, nil
	}
	// The footnotes start at the topmost row of the run that starts a
	// footnote and stands apart from the row above it.
	for i := run; i < n; i++ {
		if !startsFootnote(rs, i) {
			continue
		}
		if rs[i].y-rs[i-1].y < footGap*rs[i].size {
			continue
		}
		return rs[:i], footnoteTexts(rs[i:])
	}
	return rs, nil
}

// isFootRow reports whether r can be a footnote line: small, and one frag,
// or a marker and its text close by.
func isFootRow(r row, body float64) bool {
	if r.size > footMaxSize*body {
		return false
	}
	switch len(r.frags) {
	case 1:
		return true
	case 2:
		m, t := r.frags[0], r.frags[1]
		return footMarker.MatchString(m.text) && t.x-m.x <= footMarkerGap*max(t.size, 1)
	}
	return false
}

// startsFootnote reports whether row i starts a footnote: its text (or,
// when it is a marker alone, as a raised marker may be, with the next row's
// text) is a marker then words, and not a page number.
func startsFootnote(rs []row, i int) bool {
	t := rs[i].text()
	if footMarker.MatchString(t) && i+1 < len(rs) && rs[i+1].y-rs[i].y < 0.8*rs[i+1].size {
		t += " " + rs[i+1].text()
	}
	if !footStart.MatchString(t) || pageNumberLine.MatchString(t) {
		return false
	}
	letters := 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 3
}

// footnoteTexts joins the footnote rows into footnotes: a row that starts
// with a marker starts one, the others continue it; a raised marker alone
// on its row goes with the row after it.
func footnoteTexts(rs []row) []string {
	var notes [][]string
	glue := false
	for _, r := range rs {
		t := r.text()
		switch {
		case glue:
			last := notes[len(notes)-1]
			last[len(last)-1] += " " + t
			glue = false
			continue
		case footMarker.MatchString(t):
			notes = append(notes, []string{t})
			glue = true
			continue
		case footStart.MatchString(t) || len(notes) == 0:
			notes = append(notes, []string{t})
		default:
			notes[len(notes)-1] = append(notes[len(notes)-1], t)
		}
	}
	out := make([]string, len(notes))
	for i, lines := range notes {
		out[i] = strings.Join(lines, "\n")
	}
	return out
}

// writeNotes writes the footnotes held for the page last written.
func (c *converter) writeNotes() {
	if len(c.notes) == 0 {
		return
	}
	c.out.write("<!-- footnotes -->\n\n")
	for _, n := range c.notes {
		c.footnotes++
		c.out.para(joinLines(c.dehyphenate(strings.Split(n, "\n")), false))
	}
	c.notes = nil
}
