package detect

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir is the shared test corpus, outside the repository; tests that need it
// skip when it is absent.
var corpusDir = corpustest.Root()

func corpusFS(t *testing.T) fs.FS {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return os.DirFS(corpusDir)
}

func readHead(t *testing.T, fsys fs.FS, name string) []byte {
	t.Helper()
	f, err := fsys.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return head[:n]
}

// corpusExpectation is what a corpus file is, from its place and name.
func corpusExpectation(name string) (format, encoding string) {
	base := path.Base(name)
	ext := strings.ToLower(path.Ext(base))
	switch {
	case strings.HasPrefix(name, "bad/lfs_pointer"):
		return FormatLFSPointer, ""
	case strings.HasPrefix(name, "bad/lockfile"):
		return FormatUnknown, ""
	case strings.HasPrefix(name, "bad/placeholder"):
		return FormatText, "UTF-8"
	case strings.HasPrefix(name, "html/TDocsByAgenda"), strings.HasPrefix(name, "html/TdocsByAgenda"):
		// Declared windows-1252, cp1252 bytes only beyond the head.
		return FormatHTML, "windows-1252"
	case strings.HasPrefix(name, "encodings/"):
		if ext == ".html" || ext == ".xml" {
			return FormatHTML, "" // encodings are checked by textnorm's corpus test
		}
		return FormatText, ""
	case strings.HasPrefix(name, "3gpp/text/"):
		return FormatText, "UTF-8" // with BOM
	case strings.HasPrefix(name, "3gpp/asn1/"):
		return FormatASN1, "UTF-8"
	case strings.HasPrefix(name, "3gpp/pm_xml/"), strings.HasPrefix(name, "ericsson/cm_xml/"):
		return FormatXML, "UTF-8"
	}
	switch ext {
	case ".pdf":
		return FormatPDF, ""
	case ".docx":
		return FormatDOCX, ""
	case ".doc":
		return FormatDOC, ""
	case ".xlsx":
		return FormatXLSX, ""
	case ".zip":
		return FormatZIP, ""
	case ".md":
		return FormatMarkdown, "UTF-8"
	case ".csv":
		return FormatCSV, "UTF-8"
	case ".htm", ".html":
		return FormatHTML, "UTF-8"
	case ".json", ".jsonl":
		return FormatJSON, "UTF-8"
	case ".txt", ".sh", ".log":
		return FormatText, "UTF-8"
	}
	return "", ""
}

func TestDetect_corpus(t *testing.T) {
	fsys := corpusFS(t)
	checked := map[string]int{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		wantFormat, wantEnc := corpusExpectation(name)
		if wantFormat == "" {
			t.Logf("no expectation for %s", name)
			return nil
		}
		got := Detect(filepath.Base(name), readHead(t, fsys, name))
		if got.Format != wantFormat || wantEnc != "" && got.Encoding != wantEnc {
			t.Errorf("%s: got %+v, want %s %s", name, got, wantFormat, wantEnc)
		}
		if isTextFormat(got.Format) && got.Encoding == "" {
			t.Errorf("%s: text format %s without encoding", name, got.Format)
		}
		checked[got.Format]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("files checked by format: %v", checked)
}
