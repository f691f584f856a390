package pdf

import (
	"slices"
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

// TestEdgeBlocks: furniture is what reaches an edge of the page through
// furniture; a page number near an edge is furniture wherever it stands.
func TestEdgeBlocks(t *testing.T) {
	tests := []struct {
		name    string
		running []bool
		sig     []string
		want    []bool
	}{
		{"header and footer blocks", []bool{true, true, false, false, true}, []string{"ETSI", "3GPP TS", "", "", pageNumberSig}, []bool{true, true, false, false, true}},
		{"a table header below a heading", []bool{true, false, true, false, false}, []string{"Company confidential", "Events", "Event Event Parameter", "", ""}, []bool{true, false, false, false, false}},
		{"a recurring line above the page's last line", []bool{false, false, true, false, true}, []string{"", "", "No impact.", "Closing line 3.", pageNumberSig}, []bool{false, false, false, false, true}},
		{"a page number beside a slide's title", []bool{false, true, false}, []string{"Slide title", pageNumberSig, ""}, []bool{false, true, false}},
		{"a page of furniture only", []bool{true, true}, []string{"ETSI", pageNumberSig}, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := append([]bool(nil), tt.running...)
			edgeBlocks(got, tt.sig)
			if !slices.Equal(got, tt.want) {
				t.Errorf("edgeBlocks = %v, want %v", got, tt.want)
			}
		})
	}
}
