package sheet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// cleanCell puts a cell value on one line: runs of whitespace (line breaks of
// multi-line cells, tabs, NBSP) become one space, the ends are trimmed, and
// control and invisible characters (zero-width space, BOM, soft hyphen) are
// dropped. Bytes that are not UTF-8 are read as windows-1252, the usual
// culprit in a file that is otherwise UTF-8, rather than lost.
func cleanCell(s string) string {
	if plainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = charmap.Windows1252.DecodeByte(s[i])
		}
		i += n
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case invisible(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainASCII reports printable ASCII without leading, trailing or doubled
// spaces: the common cell, which needs no copy.
func plainASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7F || c == ' ' && prev == ' ' {
			return false
		}
		prev = c
	}
	return true
}

// invisible reports characters that change nothing a reader sees.
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// appendEscaped appends s with "|" escaped, as in pipe tables: the records'
// own separator is " | ".
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			dst = append(dst, '\\')
		}
		dst = append(dst, s[i])
	}
	return dst
}
