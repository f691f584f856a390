package threegpp

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

func TestParseFileName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Spec
		ok   bool
	}{
		{"spec zip", "38331-i40.zip", Spec{"38.331", "18.4.0", "i40", 18}, true},
		{"docx in zip", "24301-j10.docx", Spec{"24.301", "19.1.0", "j10", 19}, true},
		{"legacy doc", "38331-i40.doc", Spec{"38.331", "18.4.0", "i40", 18}, true},
		{"upper case", "24301-I90.DOCX", Spec{"24.301", "18.9.0", "i90", 18}, true},
		{"with directory", "/ftp/Specs/latest/Rel-16/23_series/23501-g02.zip", Spec{"23.501", "16.0.2", "g02", 16}, true},
		{"windows path", `C:\specs\36331-dc0.zip`, Spec{"36.331", "13.12.0", "dc0", 13}, true},
		{"technical field above 9", "38133-fu0_cover.md", Spec{"38.133", "15.30.0", "fu0", 15}, true},
		{"multi-part", "36523-1-d50.zip", Spec{"36.523-1", "13.5.0", "d50", 13}, true},
		{"two-digit part", "29198-08-700.zip", Spec{"29.198-08", "7.0.0", "700", 7}, true},
		{"sub-part", "36833-5-42-d00.zip", Spec{"36.833-5-42", "13.0.0", "d00", 13}, true},
		{"six-digit version", "24229-083700.zip", Spec{"24.229", "8.37.0", "083700", 8}, true},
		{"release 1999", "25331-3a0.zip", Spec{"25.331", "3.10.0", "3a0", 99}, true},
		{"GSM four digits", "0408-5c0.zip", Spec{"04.08", "5.12.0", "5c0", 96}, true},
		{"section suffix", "38508-1-ha0_s05-s07.md", Spec{"38.508-1", "17.10.0", "ha0", 17}, true},
		{"dotted number", "38.331", Spec{Number: "38.331"}, true},
		{"dotted with part", "36.523-1", Spec{Number: "36.523-1"}, true},
		{"dotted with version", "TS 38.331 V18.4.0", Spec{"38.331", "18.4.0", "i40", 18}, true},
		{"dotted wide version", "24.229 v8.37.0", Spec{"24.229", "8.37.0", "083700", 8}, true},
		{"tdoc is not a spec", "S2-1812368.doc", Spec{}, false},
		{"lock file", "~$501-j11.docx", Spec{}, false},
		{"bad version char", "38331-i4!.zip", Spec{}, false},
		{"short code", "38331-i4.zip", Spec{}, false},
		{"date", "2018-11-01.txt", Spec{}, false},
		{"empty", "", Spec{}, false},
		{"too many dots", "38.331.1", Spec{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseFileName(tt.in)
			if ok != tt.ok || got != tt.want {
				t.Fatalf("ParseFileName(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestVersionCode_roundTrips(t *testing.T) {
	for _, v := range []string{"18.4.0", "15.30.0", "8.37.0", "3.10.0", "19.1.0"} {
		code, ok := VersionCode(v)
		if !ok {
			t.Fatalf("VersionCode(%q) failed", v)
		}
		s, ok := ParseFileName("38331-" + code + ".zip")
		if !ok || s.Version != v {
			t.Fatalf("%q -> %q -> %+v", v, code, s)
		}
	}
	if _, ok := VersionCode("100.1.0"); ok {
		t.Fatal("a field above 99 has no code")
	}
}

// TestParseFileName_corpusListings checks every spec archive name that the
// 3GPP FTP listings in the corpus show.
func TestParseFileName_corpusListings(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpustest.Root(), "html", "3gpp_ftp_*"))
	if len(files) == 0 {
		t.Skip("corpus listings not available")
	}
	names := regexp.MustCompile(`>([0-9][0-9-]+-[0-9a-z]{3}\.zip)<`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range names.FindAllSubmatch(b, -1) {
			n++
			s, ok := ParseFileName(string(m[1]))
			if !ok || s.Version == "" || s.Release == 0 {
				t.Errorf("%s: %+v %v", m[1], s, ok)
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d names found in the listings", n)
	}
}

func TestParseCover(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  Cover
		title string
	}{
		{
			name: "specification",
			lines: []string{"3GPP TS 38.331 V18.4.0 (2024-12)", "Technical Specification",
				"3rd Generation Partnership Project;", "Technical Specification Group Radio Access Network;",
				"NR;", "Radio Resource Control (RRC) protocol specification", "(Release 18)", "", "The present document..."},
			want: Cover{Kind: "TS", Spec: Spec{"38.331", "18.4.0", "i40", 18}, Date: "2024-12",
				Title: "NR; Radio Resource Control (RRC) protocol specification"},
			title: "3GPP TS 38.331 V18.4.0: NR; Radio Resource Control (RRC) protocol specification",
		},
		{
			name:  "report of release 1999",
			lines: []string{"3G TR 25.990  V3.0.0  (1999-10)", "Technical Report", "Vocabulary;", "(Release 1999)"},
			want:  Cover{Kind: "TR", Spec: Spec{"25.990", "3.0.0", "300", 99}, Date: "1999-10", Title: "Vocabulary"},
			title: "3GPP TR 25.990 V3.0.0: Vocabulary",
		},
		{
			name:  "ETSI numbering",
			lines: []string{"ETSI TS 138 331 V18.4.0 (2025-01)", "5G;", "NR;", "Radio Resource Control (RRC); Protocol specification", "(3GPP TS 38.331 version 18.4.0 Release 18)"},
			want:  Cover{Kind: "TS", Spec: Spec{"38.331", "18.4.0", "i40", 18}, Date: "2025-01", Title: "5G; NR; Radio Resource Control (RRC); Protocol specification"},
			title: "3GPP TS 38.331 V18.4.0: 5G; NR; Radio Resource Control (RRC); Protocol specification",
		},
		{
			name: "change request form",
			lines: []string{"3GPP TSG-SA WG2 Meeting #129bis   S2-1812368", "West Palm Beach", "CR-Form-v11.2.1",
				"CHANGE REQUEST", "23.401", "CR", "3456", "rev", "-", "Current version:", "15.5.0",
				"Title:", "Correction of Serving PLMN Rate Control", "Category:", "F", "Release:", "Rel-15"},
			want: Cover{Kind: "CR", Spec: Spec{"23.401", "15.5.0", "f50", 15}, TDoc: "S2-1812368",
				Title: "Correction of Serving PLMN Rate Control"},
			title: "S2-1812368: Correction of Serving PLMN Rate Control",
		},
		{
			name:  "liaison statement",
			lines: []string{"3GPP TSG-RAN WG2 Meeting #103bis  R2-1816041", "Title:      Reply LS on Dynamic PLR Allocation in eVoLP", "Release:    Release 15"},
			want:  Cover{Kind: "tdoc", TDoc: "R2-1816041", Title: "Reply LS on Dynamic PLR Allocation in eVoLP"},
			title: "R2-1816041: Reply LS on Dynamic PLR Allocation in eVoLP",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseCover(tt.lines)
			if !ok || got != tt.want {
				t.Fatalf("ParseCover = %+v, %v; want %+v", got, ok, tt.want)
			}
			if d := got.DisplayTitle(); d != tt.title {
				t.Fatalf("DisplayTitle = %q, want %q", d, tt.title)
			}
		})
	}
	if c, ok := ParseCover([]string{"Introduction", "This document describes a feature."}); ok {
		t.Fatalf("plain text has no cover: %+v", c)
	}
}

func TestCover_meta(t *testing.T) {
	c := Cover{Kind: "TS", Spec: Spec{"38.331", "18.4.0", "i40", 18}, Date: "2024-12", Title: "NR"}
	m := c.Meta()
	want := map[string]string{"doc_type": "TS", "spec": "38.331", "version": "18.4.0", "version_code": "i40", "release": "18", "date": "2024-12", "title": "NR"}
	if len(m) != len(want) {
		t.Fatalf("Meta = %v", m)
	}
	for k, v := range want {
		if m[k] != v {
			t.Fatalf("Meta[%q] = %q, want %q", k, m[k], v)
		}
	}
}
