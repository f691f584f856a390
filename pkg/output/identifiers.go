package output

import (
	"strings"
	"unicode"
)

// identifiers returns the telecom identifiers of s that a training answer
// must never invent, normalized (FAJ 121 3051 is FAJ1213051), in order of
// appearance, each once: FAJ and CXC ids, dotted names (MoClass.attribute,
// MoClass.pmCounter, 3GPP RRC.ConnEstabAtt, IE.field), pm counters, PM events
// (INTERNAL_PROC_...), camel-case names (attributes, NR CuCp events, ASN.1
// fields), hyphenated ASN.1 names with capitals (RRCSetup-IEs) and 3GPP
// timers and constants (T300, N310). It scans by hand: a regular expression
// of these alternatives costs milliseconds per chunk.
func identifiers(s string) []string {
	var out []string
	seen := map[string]bool{}
	scanIdentifiers(s, func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	})
	return out
}

// scanIdentifiers calls emit with each identifier of s, in order of
// appearance, repeats included; an id may be a substring of s.
func scanIdentifiers(s string, emit func(string)) {
	i := 0
	for i < len(s) {
		if !runChar(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && runChar(s[j]) {
			j++
		}
		tok := strings.TrimRight(s[i:j], ".-")
		if (tok == "FAJ" || tok == "CXC") && j < len(s) {
			if id, end, ok := spacedID(tok, s, j); ok {
				emit(id)
				i = end
				continue
			}
		}
		classify(tok, emit)
		i = j
	}
}

// runChar is a byte of an identifier run: letters, digits, _ . - and /.
func runChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '/'
}

// spacedID reads the digit groups after FAJ or CXC at s[j:] (FAJ 121 3051,
// CXC 401 1378, FAJ 121 3051/2): the id without spaces and where it ends.
func spacedID(prefix, s string, j int) (string, int, bool) {
	var b strings.Builder
	b.WriteString(prefix)
	k, groups := j, 0
	for groups < 2 {
		m := k
		for m < len(s) && s[m] == ' ' {
			m++
		}
		n := m
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == m || n < len(s) && (s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z') {
			break
		}
		b.WriteString(s[m:n])
		k, groups = n, groups+1
	}
	if groups < 2 {
		return "", j, false
	}
	if k+1 < len(s) && s[k] == '/' && s[k+1] >= '0' && s[k+1] <= '9' {
		n := k + 1
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		b.WriteString(s[k:n])
		k = n
	}
	return b.String(), k, true
}

// classify emits tok if it is an identifier, or the identifiers among its
// parts. tok is a run of runChar bytes, so ASCII; it walks the parts in
// place instead of splitting.
func classify(tok string, emit func(string)) {
	if tok == "" {
		return
	}
	if strings.IndexByte(tok, '/') >= 0 {
		for rest := tok; ; {
			p, after, found := strings.Cut(rest, "/")
			classify(strings.Trim(p, ".-"), emit)
			if !found {
				return
			}
			rest = after
		}
	}
	if strings.IndexByte(tok, '.') >= 0 {
		dotted := true
		for rest := tok; ; {
			p, after, found := strings.Cut(rest, ".")
			if p == "" || !isLetter(p[0]) {
				dotted = false
				break
			}
			if !found {
				break
			}
			rest = after
		}
		if dotted && hasUpperOrDigit(tok) {
			emit(tok)
			return
		}
		for rest := tok; ; {
			p, after, found := strings.Cut(rest, ".")
			classify(strings.Trim(p, "-"), emit)
			if !found {
				return
			}
			rest = after
		}
	}
	if strings.IndexByte(tok, '-') >= 0 {
		if isLetter(tok[0]) && hasUpper(tok) && !strings.Contains(tok, "--") {
			emit(tok)
			return
		}
		for rest := tok; ; {
			p, after, found := strings.Cut(rest, "-")
			classify(p, emit)
			if !found {
				return
			}
			rest = after
		}
	}
	switch {
	case len(tok) > 2 && strings.HasPrefix(tok, "pm") && tok[2] >= 'A' && tok[2] <= 'Z':
		emit(tok)
	case (strings.HasPrefix(tok, "CXC") || strings.HasPrefix(tok, "FAJ")) && len(tok) >= 10 && allDigits(tok[3:]):
		emit(tok)
	case strings.IndexByte(tok, '_') >= 0:
		if tok[0] >= 'A' && tok[0] <= 'Z' && !hasLower(tok) && !strings.HasSuffix(tok, "_") && !strings.Contains(tok, "__") {
			emit(tok)
		}
	case (tok[0] == 'T' || tok[0] == 'N') && len(tok) >= 4 && len(tok) <= 5 && allDigits(tok[1:]):
		emit(tok)
	case isLetter(tok[0]) && camel(tok):
		emit(tok)
	}
}

// camel reports a lower-case letter followed later by a capital: camelCase
// and mixed PascalCase (EUtranCellFDD, CuCpRrcResume), not ALLCAPS or Word.
func camel(tok string) bool {
	lower := false
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= 'a' && c <= 'z' {
			lower = true
		} else if c >= 'A' && c <= 'Z' && lower {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// hasUpper, hasLower and hasUpperOrDigit read ASCII tokens.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func hasLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

func hasUpperOrDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// normID removes whitespace, so that FAJ 121 3051 and FAJ 1213051 are one id.
func normID(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// tokenSet is what a text names: its words and its identifiers, normalized.
// Grounding asks whether an identifier stands in it.
type tokenSet map[string]struct{}

// add puts the words and identifiers of text in the set. The keys may be
// substrings of text: a set that outlives text clones what it keeps.
func (t tokenSet) add(text string) {
	for i := 0; i < len(text); {
		if !wordByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && wordByte(text[j]) {
			j++
		}
		t[text[i:j]] = struct{}{}
		i = j
	}
	scanIdentifiers(text, t.put)
}

func (t tokenSet) put(id string) { t[id] = struct{}{} }

// wordByte is a byte of a word: an ASCII letter, digit or underscore.
func wordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func notWordRune(r rune) bool {
	return !(r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
}

// grounds reports whether the identifier id (normalized) stands in the set:
// as written, or, for a dotted or hyphenated name, every part of it (the
// MO class and the attribute of a parameters table stand in two columns),
// or, for an MO naming attribute (featureStateId), its class.
func (t tokenSet) grounds(id string) bool {
	if _, ok := t[id]; ok {
		return true
	}
	if strings.ContainsAny(id, ".-") {
		for _, part := range strings.FieldsFunc(id, notWordRune) {
			if !t.grounds(part) {
				return false
			}
		}
		return true
	}
	if cls, ok := strings.CutSuffix(id, "Id"); ok && cls != "" {
		_, ok := t[strings.ToUpper(cls[:1])+cls[1:]]
		return ok
	}
	return false
}

// ungrounded returns the identifiers of s that none of sets grounds.
func ungrounded(s string, sets ...tokenSet) []string {
	var out []string
	for _, id := range identifiers(s) {
		found := false
		for _, t := range sets {
			if t.grounds(id) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, id)
		}
	}
	return out
}

// ungroundedIn returns the identifiers of s that the union of sets does not
// ground: a dotted name's parts may stand in different sets.
func ungroundedIn(s string, sets ...tokenSet) []string {
	var out []string
	for _, id := range identifiers(s) {
		if !groundedInAny(id, sets) {
			out = append(out, id)
		}
	}
	return out
}

func groundedInAny(id string, sets []tokenSet) bool {
	for _, t := range sets {
		if _, ok := t[id]; ok {
			return true
		}
	}
	if strings.ContainsAny(id, ".-") {
		for _, part := range strings.FieldsFunc(id, notWordRune) {
			if !groundedInAny(part, sets) {
				return false
			}
		}
		return true
	}
	if cls, ok := strings.CutSuffix(id, "Id"); ok && cls != "" {
		return groundedInAny(strings.ToUpper(cls[:1])+cls[1:], sets)
	}
	return false
}
