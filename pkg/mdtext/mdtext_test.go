package mdtext_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

func TestHeading(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		level      int
		title      string
		ok         bool
	}{
		{"plain", "# Title", 1, "Title", true},
		{"closing hashes", "## 7 Activate X ##", 2, "7 Activate X", true},
		{"three spaces of indent", "   ### A", 3, "A", true},
		{"four spaces is code", "    # A", 0, "", false},
		{"seven hashes", "####### A", 0, "", false},
		{"no space after hashes", "#A", 0, "", false},
		{"empty title", "#   ", 1, "", true},
		{"a hash inside stays", "# C# language", 1, "C# language", true},
		{"a hash at the end goes", "# Use C#", 1, "Use C", true},
		{"tab after hashes", "#\tTabbed  \t", 1, "Tabbed", true},
		{"not a heading", "text # x", 0, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			level, title, ok := mdtext.Heading(tc.line)
			if level != tc.level || title != tc.title || ok != tc.ok {
				t.Errorf("Heading(%q) = %d, %q, %v; want %d, %q, %v", tc.line, level, title, ok, tc.level, tc.title, tc.ok)
			}
		})
	}
}

func TestCollapse(t *testing.T) {
	for _, in := range []string{"", " ", "  ", "a", "a ", " a", "a b", "a b ", "a b  ", " a  b ", "a\tb\n", "a \tb", "a\t b",
		"FAJ 121      3051", "a\u00a0b", "a \u00a0b", "x\u3000 y", "ünï  cødé", "\va", "a b c d", "a  b c", "a b  c"} {
		if got, want := mdtext.Collapse(in), strings.Join(strings.Fields(in), " "); got != want {
			t.Errorf("Collapse(%q) = %q, want %q", in, got, want)
		}
		if got, want := mdtext.Squeeze(in), strings.Join(strings.Fields(in), ""); got != want {
			t.Errorf("Squeeze(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`INTERNAL\_PROC\_X`: "INTERNAL_PROC_X",
		`a \| b`:            `a \| b`,
		`\\_`:               `\_`,
		`end\`:              `end\`,
		`&lt;x&gt; &amp; y`: "<x> & y",
		`\#1 \(a\)`:         "#1 (a)",
		`\"Stage 2\" \$x`:   `"Stage 2" $x`,
	} {
		if got := mdtext.Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProcedureKind(t *testing.T) {
	for title, want := range map[string]string{
		"7 Activate TTI Bundling FDD":    "activate",
		"Deactivate Uplink Boost":        "deactivate",
		"Activating the Feature":         "activate",
		"4.2.1. Deactivating X":          "deactivate",
		"Appendix B Activate the Option": "activate",
		"Activated Features":             "",
		"Activates":                      "",
		"Reactivate":                     "",
		"1.2.Activate":                   "",
		"Overview":                       "",
	} {
		if got := mdtext.ProcedureKind(title); got != want {
			t.Errorf("ProcedureKind(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestIsAppendix(t *testing.T) {
	for title, want := range map[string]bool{
		"Appendix A": true, "APPENDIX": true, "Feature Change History": true,
		"Appendixes": false, "Overview": false, "8 Change history of X": true,
	} {
		if got := mdtext.IsAppendix(title); got != want {
			t.Errorf("IsAppendix(%q) = %v, want %v", title, got, want)
		}
	}
}

func TestRoleAndRelation(t *testing.T) {
	for cell, want := range map[string]string{"Introduced": "introduced", "Affected.": "affected",
		"DEPRECATED": "deprecated", "Introduced in L17": "", "Newer": ""} {
		if got := mdtext.Role(cell); got != want {
			t.Errorf("Role(%q) = %q, want %q", cell, got, want)
		}
	}
	for _, tc := range []struct {
		cell, rel string
		whole     bool
	}{
		{"Prerequisite", "prerequisite", true},
		{"Prerequisites", "prerequisite", true},
		{"Related (Part of LTE Basic)", "related", false},
		{"Relatedness", "", false},
		{"Conflicts", "", false},
	} {
		if rel, whole := mdtext.Relation(tc.cell); rel != tc.rel || whole != tc.whole {
			t.Errorf("Relation(%q) = %q, %v; want %q, %v", tc.cell, rel, whole, tc.rel, tc.whole)
		}
	}
}

// The scanners find what the regexps they replace found: checked on
// written cases and, where the corpus is present, on every line of
// corpus/elex.
var (
	headingRE = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	fajRE     = regexp.MustCompile(`\bFAJ\s*\d{3}\s*\d{3,4}\b`)
	cxcRE     = regexp.MustCompile(`\bCXC\s*\d{3}\s*\d{3,4}\b`)
	dottedRE  = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]+\.[a-z][A-Za-z0-9]+`)
	counterRE = regexp.MustCompile(`\bpm[A-Z][A-Za-z0-9]*`)
	escapeRE  = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!<>~=])")
	eventRE   = regexp.MustCompile(`\b(?:(?:INTERNAL|LOCAL)(?:_[A-Z0-9]+){2,}|(?:CuCp|CuUp|Du)[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)\b`)
	looseRE   = regexp.MustCompile(`\b(?:(?:INTERNAL|LOCAL)_[A-Z0-9_]*[A-Z0-9]|(?:CuCp|CuUp|Du)[A-Z][A-Za-z0-9]+)\b`)
	proseRE   = regexp.MustCompile(`\bFAJ\s*(\d{3})\s*(\d{3,4})\s*\)?(?:[\s|,;:]+(?:LTE|NR|WCDMA|GSM|and)\b)*[\s|,;:]+(Prerequisite|Related|Conflicting)\b`)
	identRE   = regexp.MustCompile(`(?i)\bfeature identity\b`)
	stepRE    = regexp.MustCompile(`^\s*\d{1,2}[.)]\s+(\S.*)$`)
	activeRE  = regexp.MustCompile(`(?i)^(?:appendix\s+\S+\s+)?(?:\d+(?:\.\d+)*\.?\s+)?(de)?activat(?:e|ing)\b`)
)

var scannerCases = []string{
	"FAJ 121 3051, FAJ1213051 and FAJ 121      3051", "xFAJ 121 3051", "FAJ 121 30512", "FAJ 121 305x", "FAJ 121 305_",
	"FAJ 1213 051", "FAJ FAJ 121 305", "(FAJ 801 0400)", "CXC 401 1253 CXC4011253", "CXCX 401 125",
	"EUtranCellFDD.pdcchTargetBler and NRCellDU.ssbFrequency.", "A.bc X.Y.z Abc.Def.ghi _Ab.cd 1Ab.cd Ab.c ab.cd é Ab.cd",
	"config.xml ericsson.com Feature.name", "pmDlAssigsTrans, xpmFoo, pmX, pm, pmcounter EUtranCellFDD.pmUlGrants",
	`INTERNAL\_PROC \\_x \| y \`,
	"INTERNAL_PROC_UE_CTXT_RELEASE, LOCAL_X, INTERNAL_A_B_, INTERNAL_A_Bc, INTERNAL__A_B INTERNAL_A__B xINTERNAL_A_B",
	"INTERNAL_A_B_C_D. INTERNAL_ INTERNAL LOCAL_A_ LOCAL_1_2 INTERNAL_A_b_C",
	"CuCpUeContextRelease CuUpX CuCpA1B DuFoo DuFooBar DuFoo_Bar CuCpX1y DuAbCd_ DuaBc Du CuCp",
	"INTERNALX_A_B LOCAL_A_B_C_ INTERNAL_PROC_X_y",
	"Zeta (FAJ 121 9902) Prerequisite; Omega (FAJ 121 9903 ) | LTE | NR | Conflicting. FAJ 121 9904 Related",
	"FAJ 121 9905) Relatedness FAJ 121 9906)Related FAJ 121 9907 LTEX Related FAJ 121 9908,, and ,Prerequisites",
	"FAJ 121 9909 ) ) Related FAJ 121 9910 NR and LTE Conflicting FAJ 121 9911",
	"Feature Identity: x", "xfeature identity", "FEATURE IDENTITYs", "the feature identity_", "feature identity", "feature  identity",
	"1. Set the attribute.", "  12) Lock it", "123. no", "1.x", "1. ", "1.  \t", " 3.\tTabbed step ", "a. no", "1.\u00a0nbsp", "# Title #", "  ## Title ##  ", "####### x", "#\t", "",
}

func spans(s string, ss []mdtext.Span) []string {
	var out []string
	for _, x := range ss {
		out = append(out, s[x.Start:x.End])
	}
	return out
}

func check(t *testing.T, line string) {
	t.Helper()
	if m := headingRE.FindStringSubmatch(line); m != nil {
		if level, title, ok := mdtext.Heading(line); !ok || level != len(m[1]) || title != m[2] {
			t.Errorf("Heading(%q) = %d %q %v, regexp %d %q", line, level, title, ok, len(m[1]), m[2])
		}
	} else if _, _, ok := mdtext.Heading(line); ok {
		t.Errorf("Heading(%q) ok, regexp no match", line)
	}
	codes := func(prefix string) []string {
		var out []string
		for _, c := range mdtext.Codes(line, prefix) {
			out = append(out, line[c.Start:c.End])
		}
		return out
	}
	for _, x := range []struct {
		name      string
		got, want []string
	}{
		{"FAJ", codes("FAJ"), fajRE.FindAllString(line, -1)},
		{"CXC", codes("CXC"), cxcRE.FindAllString(line, -1)},
		{"dotted", mdtext.DottedNames(line), dottedRE.FindAllString(line, -1)},
		{"counters", mdtext.Counters(line), counterRE.FindAllString(line, -1)},
		{"events", spans(line, mdtext.EventNames(line)), eventRE.FindAllString(line, -1)},
		{"loose events", mdtext.EventLike(line), looseRE.FindAllString(line, -1)},
	} {
		if !slices.Equal(x.got, x.want) {
			t.Errorf("%s of %q: %q, regexp %q", x.name, line, x.got, x.want)
		}
	}
	if got, want := mdtext.HasCode(line, "FAJ"), fajRE.MatchString(line); got != want {
		t.Errorf("HasCode(%q) = %v, regexp %v", line, got, want)
	}
	var prose, proseWant []string
	for _, p := range mdtext.ProseRelations(line) {
		prose = append(prose, p.A+" "+p.B+" "+p.Word)
	}
	for _, m := range proseRE.FindAllStringSubmatch(line, -1) {
		proseWant = append(proseWant, m[1]+" "+m[2]+" "+m[3])
	}
	if !slices.Equal(prose, proseWant) {
		t.Errorf("ProseRelations(%q) = %q, regexp %q", line, prose, proseWant)
	}
	if got, want := mdtext.ContainsWordFold(line, "feature identity"), identRE.MatchString(line); got != want {
		t.Errorf("ContainsWordFold(%q) = %v, regexp %v", line, got, want)
	}
	if m := stepRE.FindStringSubmatch(line); m != nil {
		if got, ok := mdtext.NumberedStep(line); !ok || got != m[1] {
			t.Errorf("NumberedStep(%q) = %q %v, regexp %q", line, got, ok, m[1])
		}
	} else if got, ok := mdtext.NumberedStep(line); ok {
		t.Errorf("NumberedStep(%q) = %q, regexp no match", line, got)
	}
	if got, want := mdtext.HasDottedName(line), dottedRE.MatchString(line); got != want {
		t.Errorf("HasDottedName(%q) = %v, regexp %v", line, got, want)
	}
	if got, want := mdtext.Unescape(line), escapeRE.ReplaceAllString(line, "$1"); !strings.Contains(line, "&") && got != want {
		t.Errorf("Unescape(%q) = %q, regexp %q", line, got, want)
	}
	if got, want := mdtext.Collapse(line), strings.Join(strings.Fields(line), " "); got != want {
		t.Errorf("Collapse(%q) = %q, want %q", line, got, want)
	}
	if got, want := mdtext.Squeeze(line), strings.Join(strings.Fields(line), ""); got != want {
		t.Errorf("Squeeze(%q) = %q, want %q", line, got, want)
	}
	if _, title, ok := mdtext.Heading(line); ok {
		want := ""
		if m := activeRE.FindStringSubmatch(title); m != nil {
			want = map[bool]string{true: "deactivate", false: "activate"}[m[1] != ""]
		}
		if got := mdtext.ProcedureKind(title); got != want {
			t.Errorf("ProcedureKind(%q) = %q, regexp %q", title, got, want)
		}
	}
}

func TestScanners_matchTheRegexps(t *testing.T) {
	for _, line := range scannerCases {
		check(t, line)
	}
}

func TestScanners_matchTheRegexpsOnTheCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "elex")
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Skipf("no documents in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			check(t, line)
		}
		if t.Failed() {
			t.Fatalf("in %s", f)
		}
	}
}

// BenchmarkScan compares each scanner with the regexp it replaces over the
// lines of corpus/elex (skipped without the corpus).
func BenchmarkScan(b *testing.B) {
	dir := corpustest.Path("elex")
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if dir == "" || len(files) == 0 {
		b.Skip("no corpus/elex")
	}
	var text strings.Builder
	for _, f := range files[:min(len(files), 60)] {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text.Write(data)
	}
	s := text.String()
	lines := strings.Split(s, "\n")
	for _, x := range []struct {
		name string
		fn   func()
	}{
		{"heading/scanner", func() {
			for _, l := range lines {
				mdtext.Heading(l)
			}
		}},
		{"heading/regexp", func() {
			for _, l := range lines {
				headingRE.FindStringSubmatch(l)
			}
		}},
		{"faj/scanner", func() { mdtext.Codes(s, "FAJ") }},
		{"faj/regexp", func() { fajRE.FindAllString(s, -1) }},
		{"dotted/scanner", func() { mdtext.DottedNames(s) }},
		{"dotted/regexp", func() { dottedRE.FindAllString(s, -1) }},
		{"unescape/scanner", func() { mdtext.Unescape(s) }},
		{"unescape/regexp", func() { escapeRE.ReplaceAllString(s, "$1") }},
		{"collapse/scanner", func() { mdtext.Collapse(s) }},
		{"collapse/fields", func() { _ = strings.Join(strings.Fields(s), " ") }},
	} {
		b.Run(x.name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				x.fn()
			}
		})
	}
}

func TestTableCells(t *testing.T) {
	for _, tc := range []struct {
		line  string
		cells []string
		ok    bool
	}{
		{"| Feature Name | FAJ 121 4368 |", []string{"Feature Name", "FAJ 121 4368"}, true},
		{"  |a|  b  c |", []string{"a", "b c"}, true},
		{"| a | b", []string{"a", "b"}, true},
		{"|---|:--:|", nil, true},
		{"|", nil, true},
		{"| x | |", []string{"x", ""}, true},
		{"text | not a row |", nil, false},
		{"", nil, false},
	} {
		cells, ok := mdtext.TableCells(tc.line)
		if ok != tc.ok || !slices.Equal(cells, tc.cells) {
			t.Errorf("TableCells(%q) = %q, %v; want %q, %v", tc.line, cells, ok, tc.cells, tc.ok)
		}
	}
}

func TestIsFileExtension(t *testing.T) {
	for seg, want := range map[string]bool{"xml": true, "XSL": true, "xslt": true, "com": true, "qRxLevMin": false, "featureState": false, "": false} {
		if got := mdtext.IsFileExtension(seg); got != want {
			t.Errorf("IsFileExtension(%q) = %v, want %v", seg, got, want)
		}
	}
}

func TestIsSentenceWord(t *testing.T) {
	for w, want := range map[string]bool{"and": true, "the": true, "this": true, "qRxLevMin": false, "eCALL": false, "": false} {
		if got := mdtext.IsSentenceWord(w); got != want {
			t.Errorf("IsSentenceWord(%q) = %v, want %v", w, got, want)
		}
	}
}
