package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize makes text uniform without touching the content of words:
//
//   - Unicode NFC, so "é" is one code point whatever the source produced;
//   - CRLF and CR become LF; form feed, vertical tab, NEL and U+2028 become LF and
//     U+2029 (paragraph separator) an empty line, so page and line breaks never glue
//     two words together;
//   - NBSP and the other Unicode space separators become an ASCII space;
//   - invisible characters are removed: zero-width space, word joiner, BOM, soft
//     hyphen, bidi marks and embeddings; ZWJ and ZWNJ are kept only between two
//     non-Latin letters (Persian, Indic scripts) or next to a symbol (emoji), where
//     they change what a reader sees;
//   - control characters other than \n and \t are removed, except 0x1E, which Word's
//     plain-text export writes for a non-breaking hyphen and becomes "-" (as does
//     U+2011), so "E-UTRA" survives;
//   - trailing spaces and tabs are stripped from every line; leading blank lines are
//     dropped, a run of blank lines becomes one empty line (so at most one empty line
//     separates two blocks) and the text ends with at most one newline;
//   - tabs are kept (they carry the columns of Word and PDF text exports), except
//     inside pipe-table rows ("| a\t| b |"), where they are only padding and become
//     spaces.
//
// Leading indentation and runs of spaces inside a line are kept: they carry the
// structure of code, ASN.1 and aligned tables. Invalid UTF-8 bytes become U+FFFD.
func Normalize(s string) string {
	mapped, nonASCII := mapRunes(s)
	if nonASCII {
		mapped = norm.NFC.String(mapped)
	}
	return tidyLines(mapped)
}

// mapRunes applies the per-character rules. It reports whether any non-ASCII byte was
// seen, because only then can NFC change anything.
func mapRunes(s string) (string, bool) {
	first := firstUnusual(s)
	if first == len(s) {
		return s, false
	}
	buf := make([]byte, 0, len(s))
	buf = append(buf, s[:first]...)
	nonASCII := false
	for i := first; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 0x20 && c != 0x7F, c == '\n', c == '\t':
				buf = append(buf, c)
			case c == '\r':
				if i < len(s) && s[i] == '\n' {
					continue // CRLF: the LF follows.
				}
				buf = append(buf, '\n')
			case c == '\f', c == '\v':
				buf = append(buf, '\n')
			case c == 0x1E: // Word's non-breaking hyphen.
				buf = append(buf, '-')
			}
			continue
		}
		nonASCII = true
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, "\uFFFD"...)
		case r == 0x85, r == 0x2028:
			buf = append(buf, '\n')
		case r == 0x2029:
			buf = append(buf, '\n', '\n')
		case r == 0x2011:
			buf = append(buf, '-')
		case r <= 0x9F, r == 0xAD, isInvisible(r):
			// C1 controls, soft hyphen, zero-width and bidi formatting: dropped.
		case r == 0x200C, r == 0x200D:
			prev, _ := utf8.DecodeLastRune(buf)
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if joins(prev, next) {
				buf = append(buf, s[i:i+size]...)
			}
		case unicode.Is(unicode.Zs, r):
			buf = append(buf, ' ')
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return string(buf), nonASCII
}

// firstUnusual returns the index of the first byte that a rule may change: a control
// other than \n and \t, or any non-ASCII byte; len(s) when there is none.
func firstUnusual(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == 0x7F || (c < 0x20 && c != '\n' && c != '\t') {
			return i
		}
	}
	return len(s)
}

// isInvisible reports the zero-width and bidi formatting characters that are removed
// outright.
func isInvisible(r rune) bool {
	switch {
	case r == 0x200B, // zero width space
		r == 0x2060,              // word joiner
		r == 0xFEFF,              // BOM / zero width no-break space
		r == 0x180E,              // Mongolian vowel separator (formerly a space)
		r == 0x200E, r == 0x200F, // LRM, RLM
		r == 0x061C,                // Arabic letter mark
		r >= 0x202A && r <= 0x202E, // bidi embeddings and overrides
		r >= 0x2061 && r <= 0x2064, // invisible math operators
		r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	}
	return false
}

// joins reports whether a ZWJ or ZWNJ between prev and next changes what a reader
// sees: between two letters of a non-Latin script, or in an emoji sequence.
func joins(prev, next rune) bool {
	if unicode.Is(unicode.So, prev) || unicode.Is(unicode.So, next) {
		return true
	}
	letter := func(r rune) bool {
		return (unicode.IsLetter(r) || unicode.IsMark(r)) && !unicode.Is(unicode.Latin, r)
	}
	return letter(prev) && letter(next)
}

// tidyLines strips trailing blanks, collapses blank lines and untabs table rows.
func tidyLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	wrote, blank := false, false
	rest := s
	for len(rest) > 0 {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		line = strings.TrimRight(line, " \t")
		if line == "" {
			blank = wrote
			continue
		}
		if wrote {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		if strings.IndexByte(line, '\t') >= 0 && isTableRow(line) {
			writeUntabbed(&b, line)
		} else {
			b.WriteString(line)
		}
		wrote = true
	}
	if wrote && strings.HasSuffix(s, "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}

// writeUntabbed writes line with its tabs as spaces.
func writeUntabbed(b *strings.Builder, line string) {
	for {
		i := strings.IndexByte(line, '\t')
		if i < 0 {
			b.WriteString(line)
			return
		}
		b.WriteString(line[:i])
		b.WriteByte(' ')
		line = line[i+1:]
	}
}

// isTableRow reports a markdown pipe-table row: it starts with "|" (after
// indentation) and has at least one more "|".
func isTableRow(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return strings.HasPrefix(t, "|") && strings.IndexByte(t[1:], '|') >= 0
}
