package doc

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir holds the shared evaluation corpus, when the machine has it.
var corpusDir = corpustest.Path("3gpp")

// TestDoc_corpus converts every .doc of the 3GPP corpus, loose or inside a
// zip, and expects text without an error.
func TestDoc_corpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("corpus not available")
	}
	n := 0
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".doc":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			checkCorpusDoc(t, path, b)
		case ".zip":
			zr, err := zip.OpenReader(path)
			if err != nil {
				return err
			}
			defer zr.Close()
			for _, f := range zr.File {
				if strings.ToLower(filepath.Ext(f.Name)) != ".doc" {
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
				checkCorpusDoc(t, path+"/"+f.Name, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("no .doc files in the corpus")
	}
}

func checkCorpusDoc(t *testing.T, name string, b []byte) {
	t.Run(filepath.Base(name), func(t *testing.T) {
		out, info, err := convert(t, b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(strings.Fields(out)) < 100 {
			t.Fatalf("%s: only %d words", name, len(strings.Fields(out)))
		}
		if info.Meta["tdoc"] == "" && info.Meta["spec"] == "" {
			t.Errorf("%s: no 3GPP cover facts: %+v", name, info)
		}
	})
}
