package pdf

import (
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestVocabulary_dehyphenate(t *testing.T) {
	v := vocabulary{}
	v.add(&page{rows: []row{{frags: []frag{{text: "The frequency of the configuration."}, {text: "A Re-establishment follows the reestablishment."}, {text: "EUtranCellTDD.dlMaxRetx"}}}}})
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"known word: hyphen goes", []string{"the carrier fre-", "quency, and more"}, []string{"the carrier frequency,", "and more"}},
		{"unknown word: hyphen stays", []string{"the sub-", "layer is ready"}, []string{"the sub-layer", "is ready"}},
		{"known word that the document also writes with the hyphen: hyphen stays", []string{"the re-", "establishment starts"}, []string{"the re-establishment", "starts"}},
		{"soft hyphen always goes", []string{"the re\u00AD", "sources are"}, []string{"the resources", "are"}},
		{"a one-word line joins and the next line is tried", []string{"the sub-", "layer", "is ready"}, []string{"the sub-layer", "is ready"}},
		{"upper case after the hyphen: a compound broken at its hyphen, kept", []string{"the UE-", "NR link"}, []string{"the UE-NR", "link"}},
		{"upper case after the hyphen in a name the document uses whole: hyphen goes", []string{"set EUtran-", "CellTDD.dlMaxRetx to"}, []string{"set EUtranCellTDD.dlMaxRetx", "to"}},
		{"a one-word compound tail", []string{"Vehicle-to-", "Everything"}, []string{"Vehicle-to-Everything"}},
		{"a dash after a space: not a broken word", []string{"values 1 -", "five"}, []string{"values 1 -", "five"}},
		{"a number after the hyphen: kept", []string{"non-", "3GPP access"}, []string{"non-3GPP", "access"}},
		{"no hyphen", []string{"plain", "lines"}, []string{"plain", "lines"}},
		{"an identifier wrapped before an underscore", []string{"the INTERNAL_PER_UE", "_TRAFFIC_REP event"}, []string{"the INTERNAL_PER_UE_TRAFFIC_REP", "event"}},
		{"an identifier wrapped after an underscore", []string{"the INTERNAL_PER_", "UE_TRAFFIC_REP event"}, []string{"the INTERNAL_PER_UE_TRAFFIC_REP", "event"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := v.dehyphenate(slices.Clone(tt.lines)); !slices.Equal(got, tt.want) {
				t.Errorf("dehyphenate(%q) = %q, want %q", tt.lines, got, tt.want)
			}
		})
	}
}

// TestVocabulary_add keeps the words of four letters or more, lower-cased,
// split at every character that is not a letter, whatever their script,
// and two words with one hyphen between them as a compound.
func TestVocabulary_add(t *testing.T) {
	v := vocabulary{}
	v.add(&page{rows: []row{{frags: []frag{
		{text: "The UE-Specific CONFIGURATION of pmRrcConnEstabSucc, 5GS and ÜBERTRAGUNG."},
		{text: "two+four=six_eight naïve " + strings.Repeat("x", 70)},
	}}}})
	var got []string
	for w := range v {
		got = append(got, w)
	}
	slices.Sort(got)
	want := []string{"configuration", "eight", "four", "naïve", "pmrrcconnestabsucc", "specific", "ue-specific", strings.Repeat("x", 70), "übertragung"}
	if !slices.Equal(got, want) {
		t.Errorf("vocabulary = %q, want %q", got, want)
	}
}

// TestVocabulary_places: a word knows whether it has followed another word
// in its frag; runs of any length count, so "value" follows "The".
func TestVocabulary_places(t *testing.T) {
	v := vocabulary{}
	v.add(&page{rows: []row{{frags: []frag{
		{text: "The value must hold."},
		{text: "eout"},
		{text: "InterfaceIPv6.neighborDiscoveryTim"},
		{text: "Configuration: on"},
	}}}})
	tests := []struct {
		word string
		want wordPlaces
	}{
		{"value", wordNotFirst},
		{"hold", wordNotFirst},
		{"eout", 0},
		{"interfaceipv", 0},
		{"neighbordiscoverytim", wordNotFirst},
		{"configuration", 0},
	}
	for _, tt := range tests {
		if got, ok := v[tt.word]; !ok || got != tt.want {
			t.Errorf("v[%q] = %b (%v), want %b", tt.word, got, ok, tt.want)
		}
	}
}

func TestClauseTracker_followsTheNumbering(t *testing.T) {
	var tr clauseTracker
	blocks := []struct {
		lines []string
		want  string // "" when not a heading
	}{
		{[]string{"0", "No action"}, ""}, // a table row before clause 1
		{[]string{"Foreword"}, "# Foreword"},
		{[]string{"1", "Scope"}, "# 1 Scope"},
		{[]string{"1", "Scope ........ 5"}, ""}, // table of contents
		{[]string{"2", "References"}, "# 2 References"},
		{[]string{"3.1", "General"}, "## 3.1 General"}, // clause 3 missed: still follows
		{[]string{"3.1.1A", "Inserted clause"}, ""},    // an inserted clause does not open a level
		{[]string{"3.1.1", "Details"}, "### 3.1.1 Details"},
		{[]string{"3.1.1A", "Inserted clause"}, "### 3.1.1A Inserted clause"},
		{[]string{"1.5.0", "1.6.0"}, ""},                        // change-history row
		{[]string{"7", "Too far ahead"}, ""},                    // more than maxClauseGap on
		{[]string{"0", "Compression buffer is not reset."}, ""}, // table row
		{[]string{"3.2 Single line heading"}, "## 3.2 Single line heading"},
		{[]string{"4", "Table row read as a clause"}, "# 4 Table row read as a clause"},
		{[]string{"3.3", "Next real clause"}, "## 3.3 Next real clause"}, // one wrong heading does not derail
		{[]string{"3.4", "A", "title", "over three lines"}, "## 3.4 A title over three lines"},
		{[]string{"A", "Cell"}, ""},
		{[]string{"Annex A (informative):", "Change history"}, "# Annex A (informative): Change history"},
		{[]string{"A.1", "General"}, "## A.1 General"},
		{[]string{"B.1", "Skipped annex heading"}, "## B.1 Skipped annex heading"},
		{[]string{"B.1", "Same number again"}, ""},
	}
	for _, b := range blocks {
		level, text, ok := tr.heading(b.lines)
		got := ""
		if ok {
			got = "######"[:level] + " " + text
		}
		if got != b.want {
			t.Errorf("heading(%q) = %q, want %q", b.lines, got, b.want)
		}
	}
}

func TestSignature_ignoresPageNumbers(t *testing.T) {
	tests := []struct {
		a, b []string
		same bool
	}{
		{[]string{"ETSI TS 138 201 V19.0.0 (2026-01)", "6", "3GPP TS 38.201 version 19.0.0 Release 19"},
			[]string{"ETSI TS 138 201 V19.0.0 (2026-01)", "7", "3GPP TS 38.201 version 19.0.0 Release 19"}, true},
		{[]string{"Page 3 of 40"}, []string{"Page 4 of 40"}, true},
		{[]string{"- 3 -"}, []string{"- 12 -"}, true},
		{[]string{"Company confidential 3"}, []string{"Company confidential 4"}, true},
		{[]string{"2025/09 RP-109"}, []string{"2025/12 RP-110"}, false},
		{[]string{"ETSI TS 138 201 V19.0.0 (2026-01)"}, []string{"ETSI TS 138 215 V19.2.0 (2026-02)"}, false},
	}
	for _, tt := range tests {
		if got := signature(tt.a) == signature(tt.b); got != tt.same {
			t.Errorf("signature(%q) == signature(%q): %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

// TestVocabulary_addAsFieldsAndToLower: add keeps exactly the words that
// strings.FieldsFunc(text, notLetter) cuts, and the pairs of them with one
// hyphen between, lower-cased with strings.ToLower, that have four runes or
// more.
func TestVocabulary_addAsFieldsAndToLower(t *testing.T) {
	alphabet := []rune("abzAMZéÉüÜßλΛжЖ日0 9_.-+,(\u00ad")
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		text := b.String()
		want := map[string]struct{}{}
		keep := func(w string) {
			if utf8.RuneCountInString(w) >= 4 {
				want[strings.ToLower(w)] = struct{}{}
			}
		}
		for _, w := range strings.FieldsFunc(text, notLetter) {
			keep(w)
		}
		runs := letterRuns.FindAllStringIndex(text, -1)
		for k := 1; k < len(runs); k++ {
			if text[runs[k-1][1]:runs[k][0]] == "-" {
				keep(text[runs[k-1][0]:runs[k][1]])
			}
		}
		got := vocabulary{}
		got.add(&page{rows: []row{{frags: []frag{{text: text}}}}})
		if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
			t.Fatalf("add(%q) = %v, want %v", text, got, want)
		}
	}
}

// letterRuns matches the runs of letters (unicode.IsLetter) of a text.
var letterRuns = regexp.MustCompile(`\pL+`)

// TestVocabulary_hyphens: a soft hyphen that joined a cell's lines goes
// where the document uses the word whole and never as a compound with the
// hyphen, and is a hyphen otherwise.
func TestVocabulary_hyphens(t *testing.T) {
	v := vocabulary{"aggregation": 0, "handover": wordNotFirst, "reestablishment": 0, "re-establishment": 0}
	tests := []struct{ in, want string }{
		{"Carrier Aggrega\u00ADtion (FAJ 121 3046)", "Carrier Aggregation (FAJ 121 3046)"},
		{"Re\u00ADestablishment Timer", "Re-establishment Timer"}, // the document writes both
		{"Pre\u00ADemption", "Pre-emption"},                       // the document never writes it whole
		{"Hand\u00ADover and Aggre\u00ADgation", "Handover and Aggregation"},
		{"no soft hyphen", "no soft hyphen"},
		{"\u00ADalone", "-alone"},
	}
	for _, tt := range tests {
		if got := v.hyphens(tt.in, true); got != tt.want {
			t.Errorf("hyphens(%q, typeset) = %q, want %q", tt.in, got, tt.want)
		}
		// A producer that does not hyphenate breaks lines at compounds'
		// hyphens only.
		if got, want := v.hyphens(tt.in, false), strings.ReplaceAll(tt.in, "\u00AD", "-"); got != want {
			t.Errorf("hyphens(%q, not typeset) = %q, want %q", tt.in, got, want)
		}
	}
}
