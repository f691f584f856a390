package quality

import (
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
