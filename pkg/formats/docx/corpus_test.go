package docx

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir holds the shared evaluation corpus, when the machine has it.
var corpusDir = corpustest.Path("3gpp")

// TestDocx_corpus converts every .docx of the 3GPP corpus, loose or inside a
// zip (as the 3GPP archive ships them), and expects text, headings and the
// cover facts.
func TestDocx_corpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("corpus not available")
	}
	if testing.Short() {
		t.Skip("the corpus takes a few seconds")
	}
	n := 0
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".docx":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			checkCorpusDocx(t, path, b)
		case ".zip":
			zr, err := zip.OpenReader(path)
			if err != nil {
				return err
			}
			defer zr.Close()
			for _, f := range zr.File {
				if strings.ToLower(filepath.Ext(f.Name)) != ".docx" {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					return err
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					return err
				}
				n++
				checkCorpusDocx(t, path+"/"+f.Name, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("no .docx files in the corpus")
	}
}

var heading = regexp.MustCompile(`(?m)^#{1,9} [0-9A-Z]`)

func checkCorpusDocx(t *testing.T, name string, b []byte) {
	t.Run(filepath.Base(name), func(t *testing.T) {
		out, info, err := convert(t, b, formats.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(strings.Fields(out)) < 300 {
			t.Fatalf("%s: only %d words", name, len(strings.Fields(out)))
		}
		if !heading.MatchString(out) {
			t.Errorf("%s: no headings", name)
		}
		if info.Meta["tdoc"] == "" && info.Meta["spec"] == "" {
			t.Errorf("%s: no 3GPP cover facts: %+v", name, info)
		}
	})
}
