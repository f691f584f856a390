package output

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// splitClassify is classify as it read before it walked parts in place.
func splitClassify(tok string, emit func(string)) {
	if tok == "" {
		return
	}
	if strings.ContainsRune(tok, '/') {
		for _, p := range strings.Split(tok, "/") {
			splitClassify(strings.Trim(p, ".-"), emit)
		}
		return
	}
	if strings.ContainsRune(tok, '.') {
		parts := strings.Split(tok, ".")
		dotted := true
		for _, p := range parts {
			if p == "" || !isLetter(p[0]) {
				dotted = false
			}
		}
		if dotted && strings.IndexFunc(tok, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsDigit(r) }) >= 0 {
			emit(tok)
			return
		}
		for _, p := range parts {
			splitClassify(strings.Trim(p, "-"), emit)
		}
		return
	}
	if strings.ContainsRune(tok, '-') {
		if isLetter(tok[0]) && strings.IndexFunc(tok, unicode.IsUpper) >= 0 && !strings.Contains(tok, "--") {
			emit(tok)
			return
		}
		for _, p := range strings.Split(tok, "-") {
			splitClassify(p, emit)
		}
		return
	}
	switch {
	case len(tok) > 2 && strings.HasPrefix(tok, "pm") && tok[2] >= 'A' && tok[2] <= 'Z':
		emit(tok)
	case (strings.HasPrefix(tok, "CXC") || strings.HasPrefix(tok, "FAJ")) && len(tok) >= 10 && allDigits(tok[3:]):
		emit(tok)
	case strings.ContainsRune(tok, '_'):
		if tok[0] >= 'A' && tok[0] <= 'Z' && strings.ToUpper(tok) == tok && !strings.HasSuffix(tok, "_") && !strings.Contains(tok, "__") {
			emit(tok)
		}
	case (tok[0] == 'T' || tok[0] == 'N') && len(tok) >= 4 && len(tok) <= 5 && allDigits(tok[1:]):
		emit(tok)
	case isLetter(tok[0]) && camel(tok):
		emit(tok)
	}
}

// TestClassify_agreesWithSplitting draws identifier runs from the pieces
// classify reads and compares with the splitting version.
func TestClassify_agreesWithSplitting(t *testing.T) {
	pieces := []string{".", "-", "/", "_", "pm", "Rrc", "CXC", "FAJ", "4011378", "1213051", "T", "N", "300",
		"a", "B", "cell", "FDD", "EUtran", "INTERNAL", "PROC", "1", "x"}
	r := rand.New(rand.NewPCG(3, 4))
	emitted := 0
	for range 50000 {
		var b strings.Builder
		for range 1 + r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		tok := b.String()
		var got, want []string
		classify(tok, func(s string) { got = append(got, s) })
		splitClassify(tok, func(s string) { want = append(want, s) })
		emitted += len(want)
		if !slices.Equal(got, want) {
			t.Fatalf("classify(%q) = %q, splitting gives %q", tok, got, want)
		}
	}
	if emitted == 0 {
		t.Fatal("no drawn run held an identifier: the draw tests nothing")
	}
}
