package pdf

import (
	"strings"
	"testing"
)

// TestSignature_pageNumbers: page numbers become "#" wherever the
// expressions find them, and lines without them stay as they are.
func TestSignature_pageNumbers(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"ETSI TS 138 201 V19.0.0 (2026-01) 6", "3GPP TS 38.201 version 19.0.0 Release 19"}, "ETSI TS 138 201 V19.0.0 (2026-01) # \n3GPP TS 38.201 version 19.0.0 Release # "},
		{[]string{"- 6 -"}, "#"},
		{[]string{"Page 6 of 42"}, "#"},
		{[]string{"12 Introduction"}, " # Introduction"},
		{[]string{"ETSI"}, "ETSI"},
		{[]string{"Company confidential", ""}, "Company confidential\n"},
		{[]string{"Release 19)"}, "Release 19)"},
	}
	for _, tt := range tests {
		if got := signature(tt.lines); got != tt.want {
			t.Errorf("signature(%q) = %q, want %q", strings.Join(tt.lines, "|"), got, tt.want)
		}
	}
}
