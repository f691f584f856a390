package pdf

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A word processor that sets a table with fixed column widths (LibreOffice
// Writer) breaks a word wider than its cell wherever the cell ends, with no
// hyphen: "INTERNAL_EVENT_UE" / "TR_RRC_SCELL_DECO" / "NFIGURED". Joining
// the cell's lines with a space, as for a wrap between words, cuts the
// identifier into pieces that match nothing. The break is told apart from
// a wrap by geometry: the broken line is one word, it ends at the cell's
// right edge (the column rule, or the next column's text) within the cell
// padding and about the width of the glyph that did not fit, and there is
// no space at the break. Producers that keep the space at a wrap between
// words (LibreOffice writes it at the end of the line) show whether there
// was one; where no line of the document so far (of the page, for a ruled
// table) keeps such a space, the absence of one says nothing and the lines
// are joined with a space, as before. A cell
// holding a list of whole identifiers, one per line, keeps them apart: its
// lines end short of the edge, or, wrapped between words, with a space.
// The same holds for a word wider than the text itself (a managed object
// path, a URL) in a paragraph: its edge is the right edge of the page's
// text (see layout).

// wrapping tells a word broken at a cell (or text) edge from a wrap
// between words: keeps says that the producer keeps the space where it
// wraps between words (a line of the document so far ended with one;
// without that, nothing is joined); words are the document's words so far.
type wrapping struct {
	keeps bool
	words vocabulary
}

// broken reports whether the line prev, followed by the line starting
// with next, is one word broken at edge (brokenAt), unless next starts
// with a word of the document that does not go on prev's last word: a line
// that fills its cell loses the space at its wrap (LibreOffice), and
// "unitOpticalIndicatorControl" / "value" are two words, where
// "probCellDetectLowHoSuccThres" / "hold" may be one.
func (w wrapping) broken(prev, next frag, edge float64) bool {
	return w.keeps && brokenAt(prev, next, edge) && !w.wordAfter(prev.text, next.text)
}

// wordAfter reports whether b starts with a lower-case word of the
// document (as vocabulary keeps them: four letters or more) that has
// followed another word somewhere, whole (a space or the line's end after
// it), that, joined to the last word part of a, makes none; or with a
// capitalised word (see capitalAfter).
func (w wrapping) wordAfter(a, b string) bool {
	if w.words == nil {
		return false
	}
	if b != "" && b[0] >= 'A' && b[0] <= 'Z' {
		return w.capitalAfter(a, b)
	}
	end := strings.IndexFunc(b, func(r rune) bool { return !unicode.IsLower(r) })
	if end < 0 {
		end = len(b)
	}
	if end < 4 || end < len(b) && b[end] != ' ' {
		return false // short, or part of a longer name (anagement_over_PS)
	}
	if w.words[b[:end]]&wordNotFirst == 0 {
		return false // not known as a word that starts a line's rest
	}
	// the last word part of a: its lower-case letters after the last
	// capital (camel case) or other character
	start := len(a)
	for start > 0 && a[start-1] >= 'a' && a[start-1] <= 'z' {
		start--
	}
	if start > 0 && a[start-1] >= 'A' && a[start-1] <= 'Z' {
		start--
	}
	_, joined := w.words[strings.ToLower(a[start:])+b[:end]]
	return !joined
}

// capitalAfter reports whether b starts with a capitalised word, whole
// (four letters or more, then a space or the line's end), that does not go
// on the run of letters that ends a: that run is a word of the document
// (four letters or more, as vocabulary keeps them) and the two joined make
// none. LibreOffice drops the space where a header cell wraps between
// words that fill it: "Feature" / "Identity", "EUtranCellRelation.isHoAllowed"
// / "Configuration" are two words each; "AnrFunction.probCellDetect" /
// "Time" is one name where the document names probCellDetectTime. A name
// broken before a capital that the document never names whole again is
// cut in two; the header words, far more common, are what this reads.
func (w wrapping) capitalAfter(a, b string) bool {
	end := 1
	for end < len(b) && b[end] >= 'a' && b[end] <= 'z' {
		end++
	}
	if end < 4 || end < len(b) && b[end] != ' ' {
		return false
	}
	start := len(a)
	for start > 0 && (a[start-1]|0x20 >= 'a' && a[start-1]|0x20 <= 'z') {
		start--
	}
	last := strings.ToLower(a[start:])
	if _, known := w.words[last]; !known {
		return false
	}
	_, joined := w.words[last+strings.ToLower(b[:end])]
	return !joined
}

// brokenPad is how far, in ems, a line's text may stop short of the cell
// edge on top of the glyph that did not fit: the cell padding (LibreOffice
// leaves about 0.6 em between a column's text and the next column's).
const brokenPad = 0.7

// brokenAt reports whether the cell line prev, followed in its cell by the
// line starting with next, is one word broken at the cell edge (the right
// rule, or where the next column's text starts).
func brokenAt(prev, next frag, edge float64) bool {
	if prev.trail || prev.cut || prev.text == "" || next.text == "" || strings.ContainsRune(prev.text, ' ') {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev.text)
	first, _ := utf8.DecodeRuneInString(next.text)
	if last == '-' || last == '\u00ad' || !wordRune(last) || !wordRune(first) {
		return false
	}
	if siblings(prev.text, next.text) || startsWithJoiner(next.text) {
		return false
	}
	gap := edge - prev.x1
	return gap >= -0.1*prev.size && gap <= brokenPad*prev.size+firstGlyph(next)
}

// siblings reports whether two cell lines start with the same prefix up to
// a separator ("PBPA_TITLEEN" and "PBPA_PRIORITY_NUMBERS"): names of one
// family listed one per line, where the first only happens to end at the
// cell edge. A word broken at the edge goes on with its middle, not with
// its start again.
func siblings(a, b string) bool {
	i := strings.IndexAny(a, "_.")
	return i > 0 && strings.HasPrefix(b, a[:i+1])
}

// joiners are the words that join names in a cell ("X and Y", "X or Y"):
// a line that starts with one of them wrapped between words, though the
// line before ended at the cell edge with its space dropped (LibreOffice
// drops the space of a line that fills its cell).
var joiners = []string{"and", "or", "and/or", "for", "of", "in", "on", "to", "the", "with"}

// startsWithJoiner reports whether s's first word is one of joiners.
func startsWithJoiner(s string) bool {
	word, _, _ := strings.Cut(s, " ")
	return slices.Contains(joiners, word)
}

// wordRune reports whether r can be part of an identifier.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.'
}

// firstGlyph is the width of f's first character.
func firstGlyph(f frag) float64 {
	_, n := utf8.DecodeRuneInString(f.text)
	return max(f.at(n)-f.x, 0)
}

// marksWraps reports whether one of fs kept the space at its line end: the
// producer writes the space where it wraps between words, so a line
// without one was not wrapped there.
func marksWraps(fs []frag) bool {
	for _, f := range fs {
		if f.trail {
			return true
		}
	}
	return false
}
