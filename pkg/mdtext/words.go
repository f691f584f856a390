package mdtext

import "strings"

// hasFoldPrefix reports whether s starts with prefix, ASCII case folded;
// prefix is lower-case.
func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// boundaryAt reports whether a \b falls between s[i-1] and s[i] after a word
// character: s ends at i or s[i] is no word character.
func boundaryAt(s string, i int) bool { return i >= len(s) || !isWord(s[i]) }

// ProcedureKind reads the heading of an activate or deactivate procedure:
// "activate" for "7 Activate TTI Bundling FDD" or "Activating X",
// "deactivate" for "Deactivate Uplink ...", "" for any other heading. A
// clause number may come first, and an appendix label before it ("Appendix
// B Activate ...": the procedure is still one).
func ProcedureKind(title string) string {
	s := title
	if hasFoldPrefix(s, "appendix") && len(s) > 8 && isSpace(s[8]) {
		// appendix\s+\S+\s+
		i := 8
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		k := j
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		if j > i && k > j {
			if kind := procedureWord(skipClause(s[k:])); kind != "" {
				return kind
			}
		}
	}
	return procedureWord(skipClause(s))
}

// skipClause skips a leading clause number and the whitespace after it
// (\d+(\.\d+)*\.?\s+), when there is one.
func skipClause(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return s
	}
	for i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && s[i] == '.' {
		i++
	}
	j := i
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j == i {
		return s
	}
	return s[j:]
}

// procedureWord reads (de)activat(e|ing)\b at the start of s.
func procedureWord(s string) string {
	kind := "activate"
	if hasFoldPrefix(s, "de") {
		kind, s = "deactivate", s[2:]
	}
	if !hasFoldPrefix(s, "activat") {
		return ""
	}
	s = s[len("activat"):]
	for _, end := range []string{"e", "ing"} {
		if hasFoldPrefix(s, end) && boundaryAt(s, len(end)) {
			return kind
		}
	}
	return ""
}

// IsAppendix reports whether a heading is that of an appendix ("Appendix
// A", "Appendix: ...") or of a change history, whose identity tables record
// the document's own releases rather than features of their own.
func IsAppendix(title string) bool {
	if hasFoldPrefix(title, "appendix") && boundaryAt(title, 8) {
		return true
	}
	return containsFold(title, "change history")
}

// containsFold reports whether s contains sub, ASCII case folded; sub is
// lower-case.
func containsFold(s, sub string) bool { return indexFold(s, sub) >= 0 }

// ContainsFold reports whether s contains sub, ASCII case folded; sub must
// be lower-case ASCII.
func ContainsFold(s, sub string) bool { return containsFold(s, sub) }

// roles are the words of a parameter role cell.
var roles = []string{"introduced", "affecting", "affected", "modified", "changed", "removed", "deprecated", "new"}

// Role reads a parameter role cell ("Introduced", "Affecting", "Affected",
// "Introduced."): the role, lower-case, or "". The cell is the word alone,
// a full stop allowed after it; the cell is expected whitespace-collapsed.
func Role(cell string) string {
	s := strings.TrimSuffix(cell, ".")
	for _, r := range roles {
		if len(s) == len(r) && strings.EqualFold(s, r) {
			return r
		}
	}
	return ""
}

// relations are the words of a relationship cell.
var relations = []string{"prerequisite", "related", "conflicting", "mandatory", "recommended", "optional",
	"required", "excluded", "incompatible", "dependent"}

// Relation reads a relationship cell ("Prerequisite", "Related (Part of LTE
// Basic)", "Conflicts" is none): its leading relationship word, lower-case
// and singular, or ""; whole reports whether that word (or its plural) is
// all the cell holds, which is what tells a relationship cell apart in a
// table whose columns are not known.
func Relation(cell string) (rel string, whole bool) {
	for _, r := range relations {
		if !hasFoldPrefix(cell, r) {
			continue
		}
		n := len(r)
		if n < len(cell) && (cell[n] == 's' || cell[n] == 'S') && boundaryAt(cell, n+1) {
			return r, n+1 == len(cell)
		}
		if boundaryAt(cell, n) {
			return r, n == len(cell)
		}
	}
	return "", false
}

// NumberedStep reads a numbered list item, "1. Set the ...", "2) Lock ...",
// indented (nested) ones included: its text from the first non-space
// character on; ok is false for other lines. The number has one or two
// digits and at least one whitespace character follows its . or ) (the
// regexp ^\s*\d{1,2}[.)]\s+(\S.*)$).
func NumberedStep(line string) (text string, ok bool) {
	i := 0
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	d := i
	for i < len(line) && isDigit(line[i]) {
		i++
	}
	if n := i - d; n < 1 || n > 2 || i >= len(line) || line[i] != '.' && line[i] != ')' {
		return "", false
	}
	i++
	s := i
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	if i == s || i == len(line) || line[i] == '\n' {
		return "", false
	}
	if strings.IndexByte(line[i:], '\n') >= 0 {
		return "", false // a line has none; . would not match it
	}
	return line[i:], true
}

// ContainsWordFold reports whether s holds word, ASCII case folded, with a
// word boundary on either side (the regexp (?i)\bword\b); word is
// lower-case ASCII letters and spaces.
func ContainsWordFold(s, word string) bool {
	for from := 0; from+len(word) <= len(s); {
		i := indexFold(s[from:], word)
		if i < 0 {
			return false
		}
		i += from
		if (i == 0 || !isWord(s[i-1])) && boundaryAt(s, i+len(word)) {
			return true
		}
		from = i + 1
	}
	return false
}

// indexFold is the index of the first sub in s, ASCII case folded, or -1;
// sub is lower-case ASCII.
func indexFold(s, sub string) int {
	if sub == "" {
		return 0
	}
	lo, up := sub[0], sub[0]
	if isLower(lo) {
		up = lo - 'a' + 'A'
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if c := s[i]; (c == lo || c == up) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
