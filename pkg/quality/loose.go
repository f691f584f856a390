package quality

import "strings"

// A table that a converter wrote as loose lines (a PDF read cell by cell:
// "Feature Identity" on one line, "FAJ 121 4368" on the next) still holds
// the words the patterns find, so coverage and grounding look fine while
// the identity and the dependencies the table gave are lost. Its row labels
// and column headings standing alone on their lines give it away.

// tableLabels are the row labels of an identity table and the column
// headings of a dependencies table, each a whole line.
var tableLabels = [...]string{"feature name", "feature identity", "value package name", "value package identity",
	"node type", "access type", "licensing", "relationship", "description"}

// isTableLabel reports whether the trimmed line s is one of tableLabels in
// any case (Unicode folding, as (?i) matches it). The labels start with an
// ASCII letter that folds to no other: a line starting elsewhere is none.
func isTableLabel(s string) bool {
	if s == "" || !strings.ContainsRune("fvnalrd", rune(s[0]|0x20)) {
		return false
	}
	for _, l := range tableLabels {
		if strings.EqualFold(s, l) {
			return true
		}
	}
	return false
}

// looseTableMinLabels is how many distinct labels on their own lines make a
// loose table.
const looseTableMinLabels = 3

// looseTable reports whether the chunk holds a table written as loose
// lines: at least looseTableMinLabels distinct table labels, each alone on
// a line outside any pipe table.
func looseTable(t text) bool {
	seen := map[string]bool{}
	for _, l := range t.lines {
		s := strings.TrimSpace(l.text)
		if isTableLabel(s) {
			seen[strings.ToLower(s)] = true
		}
	}
	return len(seen) >= looseTableMinLabels
}
