package chunk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a cuttable unit of a block body: bytes [b0,b1) and runes [r0,r1) of it.
// A run of consecutive units i..k is body[units[i].b0:units[k].b1], whitespace
// between them included, and counts units[k].r1-units[i].r0 runes.
type span struct{ b0, b1, r0, r1 int }

// cuttable is a block taken apart for cutting: every piece of it is prefix, a run
// of units of body, and suffix, joined with newlines. A table repeats its header as
// prefix; a code fence repeats its opening and closing lines.
type cuttable struct {
	prefix, body, suffix string
	fixed                int // runes of prefix and suffix with their newlines
	units                []span
}

// piece returns units i..k-1 with the prefix and suffix, and its size in runes.
func (c *cuttable) piece(i, k int) (string, int) {
	mid := c.body[c.units[i].b0:c.units[k-1].b1]
	n := c.fixed + c.units[k-1].r1 - c.units[i].r0
	if c.prefix == "" && c.suffix == "" {
		return mid, n
	}
	var sb strings.Builder
	sb.Grow(len(c.prefix) + len(mid) + len(c.suffix) + 2)
	if c.prefix != "" {
		sb.WriteString(c.prefix)
		sb.WriteByte('\n')
	}
	sb.WriteString(mid)
	if c.suffix != "" {
		sb.WriteByte('\n')
		sb.WriteString(c.suffix)
	}
	return sb.String(), n
}

// cut takes a block apart. Tables are cut between rows, fences between lines, and
// everything else at sentences, then words; see textUnits.
func cut(b *block, maxRunes int) cuttable {
	switch b.kind {
	case kindTable:
		return cutTable(b.lines)
	case kindFence:
		c := linesCuttable(b.lines, 1, len(b.lines)-1, nil)
		c.suffix = b.lines[len(b.lines)-1]
		c.fixed += utf8.RuneCountInString(c.suffix) + 1
		return c
	default:
		if b.kind == kindParagraph && sheetRecord(b.text) {
			// A sheet row is one unit: cut, its second half would lose the
			// columns that name its item. It goes whole, alone if need be.
			return cuttable{body: b.text}
		}
		return cuttable{body: b.text, units: textUnits(b.text, maxRunes)}
	}
}

// sheetRecord reports whether a paragraph is a record of a converted sheet:
// one line of "Column: value" cells joined by " | " (see pkg/formats/sheet),
// starting with a short column name.
func sheetRecord(s string) bool {
	if strings.IndexByte(s, '\n') >= 0 || !strings.Contains(s, " | ") {
		return false
	}
	name, _, ok := strings.Cut(s, ": ")
	return ok && len(name) > 0 && len(name) <= 300 && !strings.Contains(name, " | ")
}

// cutTable makes the header the prefix and the rows the units. A pipe table's header
// is its first line and the separator row under it (a table without a separator row
// has no header). A grid table's header runs to its "+===+" line, or is just the top
// border; each row is the group of lines that ends at the next border, so every
// piece is again a well-formed grid table.
func cutTable(lines []string) cuttable {
	head := 0
	var ends []int // exclusive end line of every row
	if gridBorder(strings.TrimLeft(lines[0], " \t")) {
		head = 1
		for k := 1; k < len(lines)-1; k++ {
			if s := strings.TrimLeft(lines[k], " \t"); gridBorder(s) && strings.Contains(s, "=") {
				head = k + 1
				break
			}
		}
		for k := head; k < len(lines); k++ {
			if gridBorder(strings.TrimLeft(lines[k], " \t")) {
				ends = append(ends, k+1)
			}
		}
		if head < len(lines) && (len(ends) == 0 || ends[len(ends)-1] != len(lines)) {
			ends = append(ends, len(lines))
		}
	} else {
		if len(lines) >= 2 && separatorRow(lines[1]) {
			head = 2
		}
		for k := head + 1; k <= len(lines); k++ {
			ends = append(ends, k)
		}
	}
	return linesCuttable(lines, head, len(lines), ends)
}

// linesCuttable makes lines[:from] the prefix and lines[from:to] the body, with one
// unit per line, or one per group when ends (exclusive group ends, ascending, the
// last one to) is given.
func linesCuttable(lines []string, from, to int, ends []int) cuttable {
	var c cuttable
	if from > 0 {
		c.prefix = strings.Join(lines[:from], "\n")
		c.fixed = utf8.RuneCountInString(c.prefix) + 1
	}
	if from >= to {
		return c
	}
	if ends == nil {
		ends = make([]int, 0, to-from)
		for k := from + 1; k <= to; k++ {
			ends = append(ends, k)
		}
	}
	var sb strings.Builder
	c.units = make([]span, 0, len(ends))
	start, r := from, 0
	for _, end := range ends {
		u := span{b0: sb.Len(), r0: r}
		for k := start; k < end; k++ {
			if k > start {
				sb.WriteByte('\n')
				r++
			}
			sb.WriteString(lines[k])
			r += utf8.RuneCountInString(lines[k])
		}
		u.b1, u.r1 = sb.Len(), r
		c.units = append(c.units, u)
		if end < to {
			sb.WriteByte('\n')
			r++
		}
		start = end
	}
	c.body = sb.String()
	return c
}

// textUnits cuts prose into sentences. A sentence longer than maxRunes is cut into
// words, and a word longer than maxRunes (a long URL or hex dump) into maxRunes-rune
// slices, so every unit fits in a chunk.
func textUnits(s string, maxRunes int) []span {
	var units []span
	sentences(s, func(u span) {
		if u.r1-u.r0 <= maxRunes {
			units = append(units, u)
			return
		}
		units = words(s, u, maxRunes, units)
	})
	return units
}

// sentences calls emit for every sentence of s, in order. A sentence ends at '.',
// '!' or '?' (and any closing quotes, brackets or emphasis marks) followed by
// whitespace and then an upper-case letter or a digit, possibly after an opening
// quote or bracket. A '.' after a known abbreviation ("e.g.", "Fig.", "No.") or a
// single letter is no sentence end; "5.3.5" and "3.14" never are, as their dots are
// not followed by whitespace.
func sentences(s string, emit func(span)) {
	start, startR := -1, 0
	i, r := 0, 0
	for i < len(s) {
		c := s[i]
		if start < 0 {
			if isSpaceByte(c) {
				i++
				r++
				continue
			}
			start, startR = i, r
		}
		if c == '.' || c == '!' || c == '?' {
			j, rj := i+1, r+1
			for j < len(s) && strings.IndexByte(`)]"'*_`, s[j]) >= 0 {
				j++
				rj++
			}
			if j < len(s) && isSpaceByte(s[j]) && startsSentence(s, j) && (c != '.' || !abbreviation(s[start:i])) {
				emit(span{b0: start, b1: j, r0: startR, r1: rj})
				start = -1
				i, r = j, rj
				continue
			}
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		r++
	}
	if start >= 0 {
		end, endR := len(s), r
		for end > start && isSpaceByte(s[end-1]) {
			end--
			endR--
		}
		emit(span{b0: start, b1: end, r0: startR, r1: endR})
	}
}

// startsSentence reports whether the text after the whitespace at s[j] begins a
// sentence: an upper-case letter or a digit, possibly after an opening mark.
func startsSentence(s string, j int) bool {
	for j < len(s) && isSpaceByte(s[j]) {
		j++
	}
	for j < len(s) && strings.IndexByte(`(["'*_`, s[j]) >= 0 {
		j++
	}
	if j == len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// abbreviations are words that end with a '.' that does not end a sentence,
// lower-cased, without the final '.'.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "cf": true, "vs": true, "viz": true, "al": true, "approx": true,
	"fig": true, "figs": true, "no": true, "nos": true, "nr": true, "tab": true, "ref": true,
	"refs": true, "sec": true, "ch": true, "chap": true, "eq": true, "eqs": true, "art": true,
	"vol": true, "p": true, "pp": true, "incl": true, "resp": true, "rel": true, "ver": true,
	"min": true, "max": true, "mr": true, "mrs": true, "ms": true, "dr": true, "prof": true,
	"st": true, "tel": true, "ext": true, "dept": true, "corp": true, "inc": true, "ltd": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

// abbreviation reports whether the text before a '.' (from the start of the
// sentence) ends with an abbreviation or a single letter, like "e.g" or "A".
func abbreviation(s string) bool {
	k := len(s)
	for k > 0 && len(s)-k < 12 && !isSpaceByte(s[k-1]) {
		k--
	}
	w := strings.TrimLeft(s[k:], `(["'*_`)
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsLetter(r)
	}
	if len(w) > 8 {
		return false
	}
	if dotted(w) {
		return true
	}
	var buf [8]byte
	for k := 0; k < len(w); k++ {
		c := w[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[k] = c
	}
	return abbreviations[string(buf[:len(w)])]
}

// dotted reports whether w is an initialism like "U.S" or "a.m": letters in groups
// of one or two, separated by dots.
func dotted(w string) bool {
	n := 0
	for k := 0; k < len(w); k++ {
		c := w[k]
		switch {
		case c == '.':
			if n == 0 {
				return false
			}
			n = 0
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			if n++; n > 2 {
				return false
			}
		default:
			return false
		}
	}
	return n > 0 && strings.IndexByte(w, '.') > 0
}

// words appends to units the words of sentence u of s, cutting a word longer than
// maxRunes into slices of maxRunes runes.
func words(s string, u span, maxRunes int, units []span) []span {
	i, r := u.b0, u.r0
	for i < u.b1 {
		if isSpaceByte(s[i]) {
			i++
			r++
			continue
		}
		w := span{b0: i, r0: r}
		for i < u.b1 && !isSpaceByte(s[i]) {
			_, size := utf8.DecodeRuneInString(s[i:])
			if r-w.r0 == maxRunes {
				w.b1, w.r1 = i, r
				units = append(units, w)
				w = span{b0: i, r0: r}
			}
			i += size
			r++
		}
		w.b1, w.r1 = i, r
		units = append(units, w)
	}
	return units
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
