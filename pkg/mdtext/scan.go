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

// eventPrefixes start the snake-case PM event names of LTE; camelPrefixes
// the camel-case ones of NR.
var (
	eventPrefixes = []string{"INTERNAL", "LOCAL"}
	camelPrefixes = []string{"CuCp", "CuUp", "Du"}
)

// eachStart calls at for every position of s where one of prefixes starts
// at a word boundary, in order, skipping to the end of each match at
// returns (end > 0).
func eachStart(s string, prefixes []string, at func(i int, prefix string) (end int)) {
	for i := 0; i < len(s); i++ {
		if i > 0 && isWord(s[i-1]) {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(s[i:], p) {
				if end := at(i, p); end > 0 {
					i = end - 1
				}
				break
			}
		}
	}
}

func upperDigitRun(s string, i int) int {
	for i < len(s) && (isUpper(s[i]) || isDigit(s[i])) {
		i++
	}
	return i
}

func alnumRun(s string, i int) int {
	for i < len(s) && isAlnum(s[i]) {
		i++
	}
	return i
}

// Span delimits a name in a text: text[Start:End].
type Span struct{ Start, End int }

// EventNames returns where the PM event names of s stand, as the extraction rules read
// them: INTERNAL or LOCAL and at least two _PARTs of upper-case letters and
// digits (INTERNAL_PROC_UE_CTXT_RELEASE), or CuCp, CuUp or Du, an
// upper-case letter, lower-case letters or digits, an upper-case letter and
// letters or digits (CuCpUeContextRelease); each at word boundaries (the
// regexp \b(?:(?:INTERNAL|LOCAL)(?:_[A-Z0-9]+){2,}|(?:CuCp|CuUp|Du)[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)\b).
func EventNames(s string) []Span {
	if !strings.Contains(s, "INTERNAL_") && !strings.Contains(s, "LOCAL_") && !strings.Contains(s, "Cu") && !strings.Contains(s, "Du") {
		return nil
	}
	var out []Span
	eachStart(s, append(eventPrefixes[:len(eventPrefixes):len(eventPrefixes)], camelPrefixes...), func(i int, p string) int {
		j := i + len(p)
		if p == "INTERNAL" || p == "LOCAL" {
			parts := 0
			for j+1 < len(s) && s[j] == '_' {
				k := upperDigitRun(s, j+1)
				if k == j+1 {
					break
				}
				j, parts = k, parts+1
			}
			if parts < 2 || !boundaryAt(s, j) {
				return 0
			}
		} else {
			if j >= len(s) || !isUpper(s[j]) {
				return 0
			}
			k := j + 1
			for k < len(s) && (isLower(s[k]) || isDigit(s[k])) {
				k++
			}
			if k == j+1 || k >= len(s) || !isUpper(s[k]) {
				return 0
			}
			j = alnumRun(s, k+1)
			if !boundaryAt(s, j) {
				return 0
			}
		}
		out = append(out, Span{i, j})
		return j
	})
	return out
}

// EventLike returns what looks like a PM event name, more loosely than
// EventNames: INTERNAL_ or LOCAL_ and upper-case letters, digits and
// underscores not ending in one, or CuCp, CuUp or Du, an upper-case letter
// and letters or digits; each at word boundaries (the regexp
// \b(?:(?:INTERNAL|LOCAL)_[A-Z0-9_]*[A-Z0-9]|(?:CuCp|CuUp|Du)[A-Z][A-Za-z0-9]+)\b).
func EventLike(s string) []string {
	if !strings.Contains(s, "INTERNAL_") && !strings.Contains(s, "LOCAL_") && !strings.Contains(s, "Cu") && !strings.Contains(s, "Du") {
		return nil
	}
	var out []string
	eachStart(s, append(eventPrefixes[:len(eventPrefixes):len(eventPrefixes)], camelPrefixes...), func(i int, p string) int {
		j := i + len(p)
		if p == "INTERNAL" || p == "LOCAL" {
			if j >= len(s) || s[j] != '_' {
				return 0
			}
			k := j + 1
			for k < len(s) && (isUpper(s[k]) || isDigit(s[k]) || s[k] == '_') {
				k++
			}
			if k == j+1 || s[k-1] == '_' || !boundaryAt(s, k) {
				return 0
			}
			j = k
		} else {
			if j >= len(s) || !isUpper(s[j]) {
				return 0
			}
			k := alnumRun(s, j+1)
			if k == j+1 || !boundaryAt(s, k) {
				return 0
			}
			j = k
		}
		out = append(out, s[i:j])
		return j
	})
	return out
}

// ProseRelation is a FAJ id that running text follows with a relationship
// word, as a flattened dependencies table row reads ("Zeta Prebooster (FAJ
// 121 9902) Prerequisite"): the id's digit groups and the word as written.
type ProseRelation struct {
	A, B, Word string
}

// proseWords may stand between a FAJ id and its relationship word (the
// access type and "and" of a flattened row); proseRelations are the words.
var (
	proseWords     = []string{"LTE", "NR", "WCDMA", "GSM", "and"}
	proseRelations = []string{"Prerequisite", "Related", "Conflicting"}
)

// ProseRelations returns the FAJ ids of s followed, after an optional ")",
// by separators (whitespace, |,;:) and access-type words, by Prerequisite,
// Related or Conflicting at a word boundary (the regexp
// \bFAJ\s*(\d{3})\s*(\d{3,4})\s*\)?(?:[\s|,;:]+(?:LTE|NR|WCDMA|GSM|and)\b)*[\s|,;:]+(Prerequisite|Related|Conflicting)\b).
func ProseRelations(s string) []ProseRelation {
	var out []ProseRelation
	for _, c := range Codes(s, "FAJ") {
		i := c.End
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j < len(s) && s[j] == ')' {
			i = j + 1
		}
		for {
			k := i
			for k < len(s) && proseSeparator(s[k]) {
				k++
			}
			if k == i {
				break
			}
			if w := wordAt(s, k, proseRelations); w != "" {
				out = append(out, ProseRelation{A: c.A, B: c.B, Word: w})
				break
			}
			w := wordAt(s, k, proseWords)
			if w == "" {
				break
			}
			i = k + len(w)
		}
	}
	return out
}

func proseSeparator(b byte) bool { return isSpace(b) || b == '|' || b == ',' || b == ';' || b == ':' }

// wordAt returns the word of words that s holds at i followed by a word
// boundary, or "".
func wordAt(s string, i int, words []string) string {
	for _, w := range words {
		if strings.HasPrefix(s[i:], w) && boundaryAt(s, i+len(w)) {
			return w
		}
	}
	return ""
}
