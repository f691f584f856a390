package output

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// placeholderRE is the expression hasPlaceholder reads by hand.
var placeholderRE = regexp.MustCompile(`(?i)<(value|mo|attribute|name|placeholder|todo|x+)>|\bTODO\b|\bTBD\b|\bPLACEHOLDER\b|\{\{|\}\}`)

func TestHasPlaceholder_cases(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"set <MO>.<attribute> to 3", true},
		{"<Value>", true},
		{"<xXx>", true},
		{"<>", false},
		{"<xy>", false},
		{"<mo >", false},
		{"<molecule>", false},
		{"TODO: fill", true},
		{"todos remain", false},
		{"is tbd.", true},
		{"éTBDé", true},
		{"_TBD", false},
		{"TBD1", false},
		{"PlaceHolder", true},
		{"{{name}}", true},
		{"{ {", false},
		{"plain text", false},
		{"", false},
	} {
		if got := hasPlaceholder(tc.in); got != tc.want {
			t.Errorf("hasPlaceholder(%q) = %v, want %v", tc.in, got, tc.want)
		}
		if re := placeholderRE.MatchString(tc.in); re != tc.want {
			t.Errorf("regexp on %q = %v, want %v (case wrong)", tc.in, re, tc.want)
		}
	}
}

// TestHasPlaceholder_agreesWithRegexp draws strings from the pieces the
// expression reads and compares.
func TestHasPlaceholder_agreesWithRegexp(t *testing.T) {
	pieces := []string{"<", ">", "{", "}", "x", "X", "mo", "MO", "value", "Name", "attribute", "placeholder",
		"todo", "ToDo", "tbd", "TBD", "a", "_", "1", " ", ".", "é", "\xff", "K", "s"}
	r := rand.New(rand.NewPCG(1, 2))
	matched := 0
	for range 50000 {
		var b []byte
		for range 1 + r.IntN(8) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		want := placeholderRE.MatchString(s)
		if want {
			matched++
		}
		if got := hasPlaceholder(s); got != want {
			t.Fatalf("hasPlaceholder(%q) = %v, regexp says %v", s, got, want)
		}
	}
	if matched == 0 {
		t.Fatal("no drawn string matched: the draw tests nothing")
	}
}
