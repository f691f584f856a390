package pdf

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ETSI/3GPP PDFs set a clause heading as its own block: the clause number on
// one line and the title on the next ("5.3.5.4" / "Title"), or, in some
// specifications, both on one line. Table rows look the same ("0" / "No
// action", "1.5.0" / "1.6.0" in a change history), so a candidate becomes a
// heading only when its number can follow the previous heading's: the next
// sibling at some level (up to maxClauseGap numbers on, for headings MuPDF
// split differently), a first child (numbered 0 or 1), or an inserted clause
// ("4.1.1A" after "4.1.1"); the first numbered heading must be "1". The last
// few headings are remembered, so one wrongly accepted table row does not
// derail the rest. A document whose numbering the tracker never picks up
// keeps its headings as plain paragraphs.
const (
	maxClauseGap   = 3
	maxClauseParts = 8
	maxTitleChars  = 200
	clauseHistory  = 3
)

var (
	// clauseNumber is a clause number alone: "5", "5.3.5.4", "4.1.1A", "A.1",
	// "B.2.3".
	clauseNumber = regexp.MustCompile(`^(?:\d{1,3}|[A-Z])(?:\.\d{1,3}[A-Za-z]?)*[A-Za-z]?$`)
	// clauseLine is a clause number with its title on one line; the number
	// must have two parts or more, or end the line's first word.
	clauseLine = regexp.MustCompile(`^((?:\d{1,3}|[A-Z])(?:\.\d{1,3}[A-Za-z]?)+[A-Za-z]?|\d{1,3})\s+(\S.*)$`)
	// annexHeading is "Annex A (informative):".
	annexHeading = regexp.MustCompile(`^Annex\s+([A-Z])\b`)
)

// leaders reports whether s holds the dot leaders of a table of contents
// entry: four dots, two ellipses, or four spaced dots in a row (what the
// regular expression `\.{4,}|…{2,}|(?:\. ){4,}` matches, at a fraction of
// its cost: it runs on most lines of a document).
func leaders(s string) bool {
	return strings.Contains(s, "....") || strings.Contains(s, "……") || strings.Contains(s, ". . . . ")
}

// frontMatter are the unnumbered headings of ETSI and 3GPP documents.
var frontMatter = map[string]bool{
	"Foreword": true, "Introduction": true, "History": true, "Contents": true,
	"Intellectual Property Rights": true, "Legal Notice": true,
	"Modal verbs terminology": true, "Executive summary": true,
}

// clausePart is one dot-separated part of a clause number: a number with an
// optional letter suffix (4.1.1A), or an annex letter (first part only).
type clausePart struct {
	n      int
	letter byte // annex letter; 0 for numbers
	suffix string
}

type clause []clausePart

// clauseTracker accepts headings in document order.
type clauseTracker struct {
	recent []clause // most recent last
	count  int
}

// heading reports whether the block lines are a heading, with its level and
// one-line text.
// couldBeClause reports whether l may open a numbered heading: "Annex",
// or a clause number (a digit, or a capital letter alone or before a dot).
// Most lines do not, and are told apart without the expressions.
func couldBeClause(l string) bool {
	switch {
	case l == "":
		return false
	case isDigit(l[0]):
		return true
	case l[0] >= 'A' && l[0] <= 'Z':
		return len(l) == 1 || l[1] == '.' || strings.HasPrefix(l, "Annex")
	}
	return false
}

func (t *clauseTracker) heading(lines []string) (level int, text string, ok bool) {
	if len(lines) == 0 || len(lines) > 4 {
		return 0, "", false
	}
	for _, l := range lines {
		if leaders(l) {
			return 0, "", false // a table-of-contents entry
		}
	}
	if len(lines) == 1 && frontMatter[lines[0]] {
		t.count++
		return 1, lines[0], true
	}
	if !couldBeClause(lines[0]) {
		return 0, "", false
	}
	if m := annexHeading.FindStringSubmatch(lines[0]); m != nil {
		text := strings.Join(lines, " ")
		if len(text) > maxTitleChars {
			return 0, "", false
		}
		t.accept(clause{{letter: m[1][0]}})
		return 1, text, true
	}
	var num, title string
	switch {
	case len(lines) >= 2 && clauseNumber.MatchString(lines[0]):
		num, title = lines[0], strings.Join(lines[1:], " ")
	case len(lines) == 1:
		m := clauseLine.FindStringSubmatch(lines[0])
		if m == nil {
			return 0, "", false
		}
		num, title = m[1], m[2]
	default:
		return 0, "", false
	}
	if !plausibleTitle(title) {
		return 0, "", false
	}
	c, ok := parseClause(num)
	if !ok || (c[0].letter != 0 && len(c) < 2) || !t.follows(c) {
		return 0, "", false
	}
	t.accept(c)
	return min(len(c), 6), num + " " + title, true
}

// plausibleTitle rejects what is not a clause title: too long, a sentence
// fragment, no letters.
func plausibleTitle(s string) bool {
	if len(s) > maxTitleChars || !strings.ContainsFunc(s, isLetter) {
		return false
	}
	switch s[len(s)-1] {
	case ',', ';', '.':
		return strings.HasSuffix(s, "etc.")
	}
	return true
}

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7f }

// parseClause splits "4.1.1A" into its parts.
func parseClause(s string) (clause, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > maxClauseParts {
		return nil, false
	}
	c := make(clause, 0, len(parts))
	for i, p := range parts {
		if i == 0 && len(p) == 1 && p[0] >= 'A' && p[0] <= 'Z' {
			c = append(c, clausePart{letter: p[0]})
			continue
		}
		j := 0
		for j < len(p) && p[j] >= '0' && p[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(p[:j])
		if err != nil {
			return nil, false
		}
		c = append(c, clausePart{n: n, suffix: p[j:]})
	}
	return c, true
}

// follows reports whether c can come after one of the recent headings (or
// open the document's numbering).
func (t *clauseTracker) follows(c clause) bool {
	if len(t.recent) == 0 {
		// Numbering opens with clause 1 (after the unnumbered front matter);
		// a "0" or "1" row of an early table must not open it instead.
		return len(c) == 1 && c[0] == clausePart{n: 1}
	}
	for _, r := range t.recent {
		if slices.Equal(r, c) {
			return false // a repeated number is a table row or a cross-reference
		}
	}
	for i := len(t.recent) - 1; i >= 0; i-- {
		if next(t.recent[i], c) {
			return true
		}
	}
	return false
}

func (t *clauseTracker) accept(c clause) {
	t.count++
	t.recent = append(t.recent, c)
	if len(t.recent) > clauseHistory {
		t.recent = t.recent[1:]
	}
}

// next reports whether clause c can directly follow clause last.
func next(last, c clause) bool {
	j := 0
	for j < len(last) && j < len(c) && last[j] == c[j] {
		j++
	}
	switch {
	case j == len(c):
		return false // the same clause, or an ancestor of last
	case j == len(last):
		return startsBranch(c[j:]) // a child
	}
	a, b := last[j], c[j]
	switch {
	case a.letter != 0 || b.letter != 0:
		// Annexes: letters go up; the first annex may follow a numbered clause.
		if b.letter == 0 || (a.letter != 0 && (b.letter <= a.letter || b.letter > a.letter+maxClauseGap)) {
			return false
		}
	case b.n == a.n:
		if b.suffix <= a.suffix { // 4.1.1 -> 4.1.1A -> 4.1.1B
			return false
		}
	case b.n < a.n || b.n > a.n+maxClauseGap:
		return false
	}
	return startsBranch(c[j+1:])
}

// startsBranch reports whether parts open new levels: each 0 or 1.
func startsBranch(parts clause) bool {
	for _, p := range parts {
		if p.letter != 0 || p.n > 1 || p.suffix != "" {
			return false
		}
	}
	return true
}
