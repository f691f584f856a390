package html

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir is the shared test corpus, outside the repository; tests that
// need it skip when it is absent.
var corpusDir = corpustest.Root()

func convertFile(t *testing.T, path string) (string, formats.Info) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	info, err := Convert(context.Background(), f, st.Size(), &out, formats.Limits{}, Options{})
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return out.String(), info
}

// TestHTML_corpus converts every HTML page of the corpus (the 3GPP pages and
// the pages of the encodings set) and expects text in the right charset.
func TestHTML_corpus(t *testing.T) {
	var pages []string
	for _, pattern := range []string{"html/*.htm*", "encodings/*.htm*"} {
		m, _ := filepath.Glob(filepath.Join(corpusDir, pattern))
		pages = append(pages, m...)
	}
	if len(pages) == 0 {
		t.Skip("corpus not available")
	}
	for _, path := range pages {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out, info := convertFile(t, path)
			if len(out) < 100 {
				t.Errorf("only %d bytes of text: %q", len(out), out)
			}
			if strings.ContainsRune(out, '\uFFFD') {
				t.Errorf("replacement characters: wrong charset %s", info.Meta["charset"])
			}
			if strings.Contains(out, "<") && strings.Contains(out, "</") {
				t.Errorf("markup left in the text")
			}
			if strings.Contains(path, "/html/") && info.Title == "" {
				t.Errorf("no title")
			}
		})
	}
}

// TestHTML_corpusPages checks what a reader needs from each 3GPP page.
func TestHTML_corpusPages(t *testing.T) {
	tests := []struct {
		file, charset, listing string
		want                   []string
		not                    []string
	}{
		{"3gpp_ftp_Specs_latest_Rel-13_36_series_listing.html", "UTF-8", "120",
			[]string{"| Name | Date | Size |", "| 36101-de0.zip | 2019-01-16 17:06 | 4606170 |"}, []string{"To Parent Directory"}},
		{"3gpp_ftp_Specs_latest_Rel-16_23_series_listing.htm", "UTF-8", "40",
			[]string{"| 23501-g02.zip |"}, []string{"https://"}},
		{"Tdocs_by_Agenda_ftp_2020-02-24.htm", "UTF-8", "",
			[]string{"# Directory Listing /ftp/tsg_sa/WG2_Arch/TSGS2_137e_Electronic/", "| Name | Date | Size |", "| TdocsByAgenda.htm | 2020/02/24 5:49 | 851,3 KB |"},
			[]string{"sort by", "expandDnD", "Drag and drop", "__VIEWSTATE"}},
		{"TDocsByAgenda_SA2_2019-07-02_wrong.html", "windows-1252", "",
			[]string{"Partner Organizations’ IPR policies", "| AI | TD# | Type | Doc For | Title | Source | Rel | Work Item | Comments | Result |"},
			[]string{"mso-", "Maurice Pope"}},
		{"TdocsByAgenda_SA2-137E_2020-02-29.htm", "windows-1252", "",
			[]string{"| 2 | S2-2001774 | AGENDA | Approval | SA WG2 #137 Meeting Agenda | SA WG2 Chairman |"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(corpusDir, "html", tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("corpus not available: %v", err)
			}
			out, info := convertFile(t, path)
			if info.Meta["charset"] != tt.charset || info.Meta["listing_entries"] != tt.listing {
				t.Errorf("meta %v", info.Meta)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in the text", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("%q in the text", n)
				}
			}
		})
	}
}
