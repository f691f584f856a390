package mdtext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isSpace is \s of Go's regexp syntax: [\t\n\f\r ].
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// isWord is \w of Go's regexp syntax, the side of a \b: [0-9A-Za-z_].
func isWord(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b == '_'
}

func isAlnum(b byte) bool { return b != '_' && isWord(b) }
func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
func isLower(b byte) bool { return b >= 'a' && b <= 'z' }

// Heading reads a markdown ATX heading line ("## 7 Activate X ##"): its
// level (the number of #, 1 to 6) and its title without the closing #s and
// surrounding whitespace; ok is false for any other line. Up to three
// whitespace characters may precede the #s, and at least one must follow.
func Heading(line string) (level int, title string, ok bool) {
	i := 0
	for i < len(line) && i < 4 && isSpace(line[i]) {
		i++
	}
	if i == 4 || i == len(line) || line[i] != '#' {
		return 0, "", false
	}
	start := i
	for i < len(line) && line[i] == '#' {
		i++
	}
	level = i - start
	if level > 6 || i == len(line) || !isSpace(line[i]) {
		return 0, "", false
	}
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	end := len(line)
	for end > i && isSpace(line[end-1]) {
		end--
	}
	for end > i && line[end-1] == '#' {
		end--
	}
	for end > i && isSpace(line[end-1]) {
		end--
	}
	return level, line[i:end], true
}

// Collapse trims s and turns every run of whitespace (unicode.IsSpace) into
// one space: the whitespace normalization every name in a result goes
// through. It is strings.Join(strings.Fields(s), " ") in one pass, and
// returns s itself when there is nothing to change.
func Collapse(s string) string { return fold(s, true) }

// Squeeze removes all whitespace (unicode.IsSpace): FAJ ids and CXC codes are
// compared squeezed, since the text writes "CXC 401 1253" for CXC4011253.
func Squeeze(s string) string { return fold(s, false) }

// fold drops the whitespace of s, keeping one space between words when
// spaced is set. It returns s itself when that is already so, and
// otherwise copies the words in runs.
func fold(s string, spaced bool) string {
	i := 0
	for i < len(s) { // the prefix that stays as it is
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			i += n
			continue
		}
		if !asciiSpace[c] {
			i++
			continue
		}
		if spaced && c == ' ' && i > 0 && i+1 < len(s) && !spaceAt(s, i+1) {
			i++ // one space between words
			continue
		}
		break
	}
	if i == len(s) {
		return s
	}
	var out strings.Builder // its String does not copy the bytes again
	out.Grow(len(s))
	out.WriteString(s[:i])
	pending := false
	for i < len(s) {
		if n := spaceLen(s, i); n > 0 {
			pending = spaced && out.Len() > 0
			i += n
			continue
		}
		j := i + 1
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				j++
			} else if spaceLen(s, j) == 0 {
				j++
			} else {
				break
			}
		}
		if pending {
			out.WriteByte(' ')
			pending = false
		}
		out.WriteString(s[i:j])
		i = j
	}
	return out.String()
}

// spaceLen is the length of the whitespace rune at s[i], 0 when it is none.
func spaceLen(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		if asciiSpace[c] {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return n
	}
	return 0
}

func spaceAt(s string, i int) bool { return spaceLen(s, i) > 0 }

// asciiSpace is unicode.IsSpace for ASCII: \t \n \v \f \r and space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// escapable are the characters a markdown converter escapes with a
// backslash: CommonMark's ASCII punctuation (pandoc writes \"title\" and
// \$), except the pipe, so that table cells still split where the table
// says.
var escapable = func() (e [256]bool) {
	for _, c := range []byte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{}~") {
		e[c] = true
	}
	return e
}()

var htmlEntities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ")

// Unescape removes markdown backslash escapes and the few HTML entities
// converters leave behind, so that `INTERNAL\_PROC\_X` reads INTERNAL_PROC_X.
// An escaped backslash (`\\`) reads as one backslash, which escapes nothing.
func Unescape(s string) string {
	if i := strings.IndexByte(s, '\\'); i >= 0 {
		var b strings.Builder
		b.Grow(len(s))
		for {
			// s[i] is a backslash: write what comes before it, then the
			// escaped character alone, or the backslash when it escapes nothing
			b.WriteString(s[:i])
			if i+1 < len(s) && escapable[s[i+1]] {
				i++
			}
			b.WriteByte(s[i])
			s = s[i+1:]
			if i = strings.IndexByte(s, '\\'); i < 0 {
				break
			}
		}
		b.WriteString(s)
		s = b.String()
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = htmlEntities.Replace(s)
	}
	return s
}

// TableCells splits a markdown pipe-table line into its cells, each
// collapsed (see Collapse). ok is false for a line that does not start with
// "|" once trimmed; cells is nil for a separator row (|---|:--|) and for a
// row of nothing but pipes.
func TableCells(line string) (cells []string, ok bool) {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "|") {
		return nil, false
	}
	body := strings.TrimSuffix(s[1:], "|")
	if strings.Trim(body, "|:- \t") == "" {
		return nil, true
	}
	cells = strings.Split(body, "|")
	for i := range cells {
		cells[i] = Collapse(cells[i])
	}
	return cells, true
}
