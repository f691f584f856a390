package pdf

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// goldenPages are corpus pages (ETSI specifications) with ruled tables,
// whose expected text is kept under testdata/golden/; go test -update
// rewrites it.
var goldenPages = []struct {
	file string
	page int
}{
	{"ETSI_TS_138215_v19.02.00.pdf", 16}, // measurement definitions: two-column ruled tables
	{"ETSI_TS_137324_v19.00.00.pdf", 17}, // change history: title row, rows of stacked entries
	{"ETSI_TS_138201_v19.00.00.pdf", 10}, // notation table with formulas
	{"ETSI_TS_138323_v19.01.00.pdf", 14}, // PDU format figures drawn as ruled grids
}

// pageText returns the text of page n in Convert's output: from its marker
// to the next one.
func pageText(text string, n int) (string, bool) {
	marker := regexp.MustCompile(fmt.Sprintf(`(?m)^<!-- page %d -->$`, n))
	loc := marker.FindStringIndex(text)
	if loc == nil {
		return "", false
	}
	rest := text[loc[0]:]
	if next := pageMarker.FindAllStringIndex(rest, 2); len(next) == 2 {
		rest = rest[:next[1][0]]
	}
	return rest, true
}

func TestConvert_corpusGoldenPages(t *testing.T) {
	corpusPDFs(t)
	for _, g := range goldenPages {
		t.Run(fmt.Sprintf("%s/p%d", g.file, g.page), func(t *testing.T) {
			path := filepath.Join(*corpusDir, "pdf", g.file)
			if _, err := os.Stat(path); err != nil {
				t.Skip("not in the corpus")
			}
			text, _, err := convertFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := pageText(text, g.page)
			if !ok {
				t.Fatalf("no page %d in the output", g.page)
			}
			golden := filepath.Join("testdata", "golden", fmt.Sprintf("%s-p%d.md", g.file[:len(g.file)-len(".pdf")], g.page))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("page %d differs from %s (go test -update rewrites it):\n%s", g.page, golden, got)
			}
		})
	}
}
