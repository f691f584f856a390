package pdf

import (
	"regexp"
	"testing"
)

// TestLeaders_matchesTheRegexp: leaders is the substring form of the
// regular expression it replaced.
func TestLeaders_matchesTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`\.{4,}|…{2,}|(?:\. ){4,}`)
	for _, s := range []string{
		"", "4.2.3", "Scope ...", "Scope ....", "Scope .... 12", "Scope ........ 12",
		"Scope … 12", "Scope …… 12", "Scope . . . 12", "Scope . . . . 12", "Scope . . . .",
		"Scope. . . . . 7", "a..b..c", ". . . . ", "…….", "....…",
	} {
		if got, want := leaders(s), re.MatchString(s); got != want {
			t.Errorf("leaders(%q) = %v, want %v", s, got, want)
		}
	}
}
