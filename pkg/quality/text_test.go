package quality

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

func TestParseText_squeezesAsMdtext(t *testing.T) {
	for _, s := range []string{
		"CXC 401 1253\tand FAJ\u00a0121\u20033051\n| a | b |\n",
		"  leading and trailing \r\n",
		"ümlaut\u2028line\u3000ideographic  space",
		"",
	} {
		got := parseText(extraction.Input{Text: s}).squeezed
		if want := mdtext.Squeeze(extraction.Unescape(s)); got != want {
			t.Errorf("squeezed %q = %q, want %q", s, got, want)
		}
	}
}

func TestIsTableLabel_agreesWithItsExpression(t *testing.T) {
	re := regexp.MustCompile(`(?i)^(?:feature name|feature identity|value package name|value package identity|node type|access type|licensing|relationship|description)$`)
	pieces := []string{"feature", " ", "name", "identity", "value", "pac", "kage", "pacKage", "node", "type", "access", "acceſs",
		"licensing", "LICENSING", "relation", "ship", "description", "Description", "x", "é"}
	r := rand.New(rand.NewPCG(7, 8))
	hits := 0
	for range 50000 {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		want := re.MatchString(s)
		if want {
			hits++
		}
		if got := isTableLabel(s); got != want {
			t.Fatalf("isTableLabel(%q) = %v, the expression says %v", s, got, want)
		}
	}
	if hits == 0 {
		t.Fatal("no drawn line is a label: the draw tests nothing")
	}
}
