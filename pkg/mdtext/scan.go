package mdtext

import "strings"

// Code is an Ericsson id found in text: "FAJ 121 3051", "CXC 401 1253",
// "FAJ1213051". Start and End delimit it in the text; A and B are its two
// digit groups (121, 3051).
type Code struct {
	Start, End int
	A, B       string
}

// Squeezed returns the id without whitespace: FAJ1213051.
func (c Code) Squeezed(prefix string) string { return prefix + c.A + c.B }

// Codes returns the ids of s that start with prefix ("FAJ", "CXC"): the
// prefix at a word boundary, optional whitespace, three digits, optional
// whitespace, three or four digits, a word boundary (the regexp
// \bFAJ\s*\d{3}\s*\d{3,4}\b, without its backtracking).
func Codes(s, prefix string) []Code {
	var out []Code
	for from := 0; ; {
		k := strings.Index(s[from:], prefix)
		if k < 0 {
			return out
		}
		start := from + k
		from = start + 1
		if start > 0 && isWord(s[start-1]) {
			continue
		}
		if c, ok := codeAt(s, start, prefix); ok {
			out = append(out, c)
			from = c.End
		}
	}
}

// HasCode reports whether s holds an id that starts with prefix (see Codes).
func HasCode(s, prefix string) bool {
	for from := 0; ; {
		k := strings.Index(s[from:], prefix)
		if k < 0 {
			return false
		}
		start := from + k
		from = start + 1
		if start > 0 && isWord(s[start-1]) {
			continue
		}
		if _, ok := codeAt(s, start, prefix); ok {
			return true
		}
	}
}

func codeAt(s string, start int, prefix string) (Code, bool) {
	i := start + len(prefix)
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	a := i
	for i < len(s) && i-a < 3 && isDigit(s[i]) {
		i++
	}
	if i-a != 3 {
		return Code{}, false
	}
	aEnd := i
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	b := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if n := i - b; n < 3 || n > 4 || !boundaryAt(s, i) {
		return Code{}, false
	}
	return Code{Start: start, End: i, A: s[a:aEnd], B: s[b:i]}, true
}

// DottedNames returns the MoClass.attribute shapes of s: an upper-case
// letter at a word boundary, one or more letters or digits, a dot, a
// lower-case letter and one or more letters or digits (the regexp
// \b[A-Z][A-Za-z0-9]+\.[a-z][A-Za-z0-9]+, without its backtracking).
func DottedNames(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) || i > 0 && isWord(s[i-1]) {
			continue
		}
		if end, ok := dottedAt(s, i); ok {
			out = append(out, s[i:end])
			i = end - 1
		}
	}
	return out
}

// HasDottedName reports whether s holds a MoClass.attribute shape (see
// DottedNames).
func HasDottedName(s string) bool {
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) && (i == 0 || !isWord(s[i-1])) {
			if _, ok := dottedAt(s, i); ok {
				return true
			}
		}
	}
	return false
}

func dottedAt(s string, i int) (int, bool) {
	j := i + 1
	for j < len(s) && isAlnum(s[j]) {
		j++
	}
	if j == i+1 || j+2 >= len(s) || s[j] != '.' || !isLower(s[j+1]) || !isAlnum(s[j+2]) {
		return 0, false
	}
	k := j + 2
	for k < len(s) && isAlnum(s[k]) {
		k++
	}
	return k, true
}

// Counters returns the pm names of s: "pm" at a word boundary, an
// upper-case letter, letters and digits (the regexp \bpm[A-Z][A-Za-z0-9]*).
func Counters(s string) []string {
	var out []string
	for from := 0; ; {
		k := strings.Index(s[from:], "pm")
		if k < 0 {
			return out
		}
		i := from + k
		from = i + 1
		if i > 0 && isWord(s[i-1]) || i+2 >= len(s) || !isUpper(s[i+2]) {
			continue
		}
		j := i + 3
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		out = append(out, s[i:j])
		from = j
	}
}
