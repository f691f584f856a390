package pdf

import (
	"regexp"
	"testing"
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
