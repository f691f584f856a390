package pdf

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// stringsOver returns examples, every string of up to three of alphabet's
// pieces, and random strings of 1 to maxLen pieces (a fixed seed).
func stringsOver(alphabet, examples []string, random, maxLen int, seed uint64) []string {
	out := slices.Clone(examples)
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		out = append(out, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("", 3)
	r := rand.New(rand.NewPCG(seed, seed+1))
	for range random {
		var b strings.Builder
		for range 1 + r.IntN(maxLen) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		out = append(out, b.String())
	}
	return out
}

// prefilterInputs are short strings over the characters the expressions
// care about, every one of them up to length 3 and random longer ones,
// plus lines of real kinds.
func prefilterInputs() []string {
	alphabet := []string{"a", "b", "i", "v", "x", "z", "A", "B", "N", "T", "1", "9", "0", ".", ")", "(", "[", "]", " ", ":", "•", "–", "*", "-", "é"}
	return stringsOver(alphabet, []string{"", "NOTE 1:", "NOTE:", "Table 5.2-1:", "Figure 3", "Annex A (normative):", "Annex", "4.2.3 Channel coding",
		"A.1 General", "A.1", "B", "Ab", "a) the UE", "(a) the UE", "(iv) item", "12) item", "123. item", "1234. no", "[13]", "[abc def]",
		"Tables", "Figured", "Notes", "NOTE", "- item", "• item", "– item", "*", "10", "10 Introduction", "The UE shall", "x) y"}, 20000, 10, 1)
}

// The cheap checks in front of the expressions never change their answer.
func TestPrefilters_agreeWithTheirExpressions(t *testing.T) {
	for _, s := range prefilterInputs() {
		if got, want := isListStart(s), listStart.MatchString(s); got != want {
			t.Errorf("isListStart(%q) = %v, listStart matches: %v", s, got, want)
		}
		if got, want := isMarker(s), marker.MatchString(s); got != want {
			t.Errorf("isMarker(%q) = %v, marker matches: %v", s, got, want)
		}
		if got, want := isClauseMarker(s), clauseMarker.MatchString(s); got != want {
			t.Errorf("isClauseMarker(%q) = %v, clauseMarker matches: %v", s, got, want)
		}
		if couldBeClause(s) {
			continue
		}
		if annexHeading.MatchString(s) || clauseLine.MatchString(s) {
			t.Errorf("couldBeClause(%q) = false, but an expression matches", s)
		}
		if clauseNumber.MatchString(s) {
			if _, ok := parseClause(s); ok {
				t.Errorf("couldBeClause(%q) = false, but it is a clause number", s)
			}
		}
	}
}

// The page-number checks of running headers answer as the expressions do.
func TestPageNumbers_agreeWithTheirExpressions(t *testing.T) {
	alphabet := []string{"1", "2", "0", " ", "\t", "-", "–", "—", "/", "p", "a", "g", "e", "o", "f", "P", "O", "x", "V", ".", "(", "é"}
	inputs := stringsOver(alphabet, []string{"6", "- 6 -", "Page 6", "Page 6 of 42", "6/42", "PAGE 12 OF 300", "page6", "123456",
		"ETSI TS 138 201 V19.0.0 (2026-01) 6", "6 ETSI TS 138 201", "12 34", "12   ", "   12", "a 123456", "12345 x 12345", "1 2 3"}, 30000, 12, 5)
	for _, s := range inputs {
		if got, want := isPageNumberLine(s), pageNumberLine.MatchString(s); got != want {
			t.Errorf("isPageNumberLine(%q) = %v, pageNumberLine matches: %v", s, got, want)
		}
		if got, want := replaceEdgeNumbers(s), edgeNumber.ReplaceAllString(s, " # "); got != want {
			t.Errorf("replaceEdgeNumbers(%q) = %q, edgeNumber replaces to %q", s, got, want)
		}
	}
}
