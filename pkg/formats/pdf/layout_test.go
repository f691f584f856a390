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

// TestFragsOf_splitsOverprintedText: a line whose second text starts back
// over the end of the first (a name wider than its table column, set over
// the next column's text) is two frags, the second where it starts; text
// set character by character out of order, and a combining mark over its
// letter, are not.
func TestFragsOf_splitsOverprintedText(t *testing.T) {
	// line sets the runs of text, each from its x, glyphs 6 points wide.
	line := func(runs ...struct {
		x float32
		s string
	}) mupdf.Line {
		l := mupdf.Line{Size: 10, X0: float64(runs[0].x)}
		for _, run := range runs {
			x := run.x
			for _, r := range run.s {
				l.Chars = append(l.Chars, mupdf.Char{R: r, X0: x, X1: x + 6})
				x += 6
			}
			l.X1 = max(l.X1, float64(x))
		}
		return l
	}
	type run = struct {
		x float32
		s string
	}
	tests := []struct {
		name string
		line mupdf.Line
		want []string
		xs   []float64
	}{
		{"overprinted", line(run{100, "EVENT_UE_MEAS"}, run{160, "EVENT_PARAM_FREQ"}), []string{"EVENT_UE_MEAS", "EVENT_PARAM_FREQ"}, []float64{100, 160}},
		{"one text", line(run{100, "EVENT_UE_MEAS EVENT_PARAM"}), []string{"EVENT_UE_MEAS EVENT_PARAM"}, []float64{100}},
		{"out of order, one by one", line(run{130, "a"}, run{124, "b"}, run{118, "c"}, run{112, "d"}), []string{"abcd"}, []float64{130}},
		{"a combining mark", line(run{100, "cafe"}, run{119, "\u0301"}, run{125, "s and more"}), []string{"cafe\u0301s and more"}, []float64{100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := fragsOf([]mupdf.Line{tt.line})
			var got []string
			var xs []float64
			for _, f := range fs {
				got = append(got, f.text)
				xs = append(xs, f.x)
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(xs, tt.xs) {
				t.Errorf("frags %q at %v, want %q at %v", got, xs, tt.want, tt.xs)
			}
		})
	}
}
