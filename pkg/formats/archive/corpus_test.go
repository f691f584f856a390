package archive

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir is the shared test corpus, outside the repository; tests that need it
// skip when it is absent.
var corpusDir = corpustest.Root()

func corpusFiles(t *testing.T, pattern string) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(corpusDir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no corpus files match %s", pattern)
	}
	return files
}

func walkFile(t *testing.T, name string, fn func(Member, io.Reader) error) (Report, error) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Walk(context.Background(), f, st.Size(), 0, Config{}, fn)
}

// TestWalk_corpus3GPP walks the official 3GPP distribution zips: each holds the
// specification as a .docx (or, for old releases, a .doc), which must come out
// whole.
func TestWalk_corpus3GPP(t *testing.T) {
	for _, name := range corpusFiles(t, "3gpp/*.zip") {
		t.Run(filepath.Base(name), func(t *testing.T) {
			var docs []string
			rep, err := walkFile(t, name, func(m Member, rd io.Reader) error {
				var head bytes.Buffer
				n, err := io.Copy(&head, rd)
				if err != nil {
					return err
				}
				if n != m.Size {
					t.Errorf("%s: read %d bytes, declared %d", m.Name, n, m.Size)
				}
				ext := strings.ToLower(filepath.Ext(m.Name))
				if ext == ".docx" || ext == ".doc" {
					docs = append(docs, m.Name)
					magic := map[string]string{".docx": "PK\x03\x04", ".doc": "\xd0\xcf\x11\xe0"}[ext]
					if !bytes.HasPrefix(head.Bytes(), []byte(magic)) {
						t.Errorf("%s does not start like a %s", m.Name, ext)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) == 0 {
				t.Errorf("no .docx or .doc member; report %+v", rep)
			}
			if len(rep.Skipped) != 0 {
				t.Errorf("skipped %+v", rep.Skipped)
			}
			t.Logf("members %v, junk %d", docs, rep.Junk)
		})
	}
}

// TestWalk_corpusBad feeds the broken files of the corpus (an Office lock file
// named .docx, fake and truncated PDFs, an LFS pointer), a real .docx, and the
// 3GPP zips cut short: each is refused for good, with a reason a user can act on.
func TestWalk_corpusBad(t *testing.T) {
	fail := func(Member, io.Reader) error {
		t.Error("fn called on a refused archive")
		return nil
	}
	for _, name := range corpusFiles(t, "bad/*") {
		t.Run(filepath.Base(name), func(t *testing.T) {
			_, err := walkFile(t, name, fail)
			wantBad(t, err, formats.ErrNotFormat, "no zip signature")
			t.Logf("%v", err)
		})
	}
	for _, name := range corpusFiles(t, "3gpp/*.docx") {
		t.Run(filepath.Base(name), func(t *testing.T) {
			_, err := walkFile(t, name, fail)
			wantBad(t, err, formats.ErrNotFormat, "Office document (Word, .docx)")
			t.Logf("%v", err)
		})
	}
	for _, name := range corpusFiles(t, "3gpp/*.zip") {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, keep := range []int{len(b) / 2, len(b) - 1} {
			t.Run(filepath.Base(name)+"/truncated", func(t *testing.T) {
				_, err := Walk(context.Background(), bytes.NewReader(b[:keep]), int64(keep), 0, Config{}, fail)
				wantBad(t, err, formats.ErrCorrupt, "cut short")
				if !fault.IsPermanent(err) {
					t.Error("not permanent")
				}
				t.Logf("%v", err)
			})
		}
	}
}
