package extraction

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestShapes_agreeWithTheirExpressions compares the hand-read name shapes
// with the expressions they replace on strings drawn from their pieces.
func TestShapes_agreeWithTheirExpressions(t *testing.T) {
	moClass := regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)
	attribute := regexp.MustCompile(`^[a-z][A-Za-z0-9]+$`)
	glued := regexp.MustCompile(`([a-z0-9])(?:attributes?|parameters?)$`)
	pieces := []string{"a", "Z", "9", "_", ".", "é", " ", "attribute", "attributes", "parameter", "parameters", "s", "X", "pm"}
	r := rand.New(rand.NewPCG(5, 6))
	var hits [3]int
	for range 50000 {
		var b strings.Builder
		for range r.IntN(5) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		for i, c := range []struct {
			got, want bool
			name      string
		}{
			{moClassShape.MatchString(s), moClass.MatchString(s), "moClassShape"},
			{attributeShape.MatchString(s), attribute.MatchString(s), "attributeShape"},
			{gluedWordAt(s) >= 0, glued.MatchString(s), "gluedWordAt"},
		} {
			if c.got != c.want {
				t.Fatalf("%s(%q) = %v, the expression says %v", c.name, s, c.got, c.want)
			}
			if c.want {
				hits[i]++
			}
		}
		if loc := glued.FindStringSubmatchIndex(s); loc != nil && gluedWordAt(s) != loc[3] {
			t.Fatalf("gluedWordAt(%q) = %d, the expression's word starts at %d", s, gluedWordAt(s), loc[3])
		}
	}
	for i, h := range hits {
		if h == 0 {
			t.Fatalf("shape %d matched no drawn string: the draw tests nothing", i)
		}
	}
}
