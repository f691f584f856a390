package pdf

import (
	"regexp"
	"slices"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// TestIsBullet_matchesTheRegexp: isBullet is the regular expression it
// replaced, `^[•·▪◦‣●○■□–—*-]$`.
func TestIsBullet_matchesTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`^[•·▪◦‣●○■□–—*-]$`)
	for _, s := range []string{"", "•", "-", "*", "–", "—", "■", "□", "••", "- ", "a", "1.", "\xe2\x80", "\xff", "−"} {
		if got, want := isBullet(s), re.MatchString(s); got != want {
			t.Errorf("isBullet(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestFragsOf_cleansAndPlacesEachByte: texts are cleaned (spaces collapsed,
// control characters dropped, ends trimmed, a trailing space noted), every
// byte has the left edge of its character, lines without text are
// dropped, and the frags' shared arrays do not leak into one another.
func TestFragsOf_cleansAndPlacesEachByte(t *testing.T) {
	line := func(s string) mupdf.Line {
		l := mupdf.Line{X0: 10, X1: 100, Y0: 5, Y1: 15, Top: 6, Size: 10}
		for i, r := range []rune(s) {
			l.Chars = append(l.Chars, mupdf.Char{R: r, X0: float32(10 + i), X1: float32(11 + i)})
		}
		return l
	}
	fs := fragsOf([]mupdf.Line{line("  UE  é\x01x "), line(" \t "), line("a\u00a0b"), line("\U0010FFFF\xff")})
	want := []struct {
		text  string
		xs    []float32
		trail bool
	}{
		{"UE éx", []float32{12, 13, 14, 16, 16, 18}, true},
		{"a b", []float32{10, 11, 12}, false},
		{"\U0010FFFF\uFFFD", []float32{10, 10, 10, 10, 11, 11, 11}, false},
	}
	if len(fs) != len(want) {
		t.Fatalf("%d frags, want %d: %+v", len(fs), len(want), fs)
	}
	for i, w := range want {
		if fs[i].text != w.text || !slices.Equal(fs[i].xs, w.xs) || fs[i].trail != w.trail {
			t.Errorf("frag %d: %q %v trail %v, want %q %v trail %v", i, fs[i].text, fs[i].xs, fs[i].trail, w.text, w.xs, w.trail)
		}
	}
	_ = append(fs[0].xs, 99)
	if fs[1].xs[0] != 10 {
		t.Errorf("appending to frag 0's xs changed frag 1's: %v", fs[1].xs)
	}
}
