package sheet

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir is the shared test corpus, outside the repository; tests that
// need it skip when it is absent.
var corpusDir = corpustest.Root()

func corpusFiles(t *testing.T, exts ...string) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "bad" {
			return filepath.SkipDir
		}
		for _, ext := range exts {
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ext) {
				files = append(files, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no such files in the corpus")
	}
	return files
}

// TestCSV_corpus converts every CSV of the corpus: each has a header on its
// first row, and its records keep the column names.
func TestCSV_corpus(t *testing.T) {
	for _, path := range corpusFiles(t, ".csv") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			info, err := ConvertCSV(context.Background(), bytes.NewReader(b), &out, formats.Limits{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Meta["header_row"] != "1" {
				t.Errorf("header_row %s, want 1", info.Meta["header_row"])
			}
			if n, _ := strconv.Atoi(info.Meta["records"]); n < 10 {
				t.Errorf("%d records", n)
			}
			if out.Len() < len(b)/2 {
				t.Errorf("%d bytes of text from %d", out.Len(), len(b))
			}
			if strings.ContainsRune(out.String(), '\uFFFD') {
				t.Errorf("replacement characters in the text")
			}
		})
	}
}

// TestCSV_parameterSheet checks the 4 MB Ericsson parameter sheet: records
// keep their column names and multi-line descriptions stay in their record.
func TestCSV_parameterSheet(t *testing.T) {
	path := filepath.Join(corpusDir, "ericsson/reference/Spreadsheets_Parameters.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	info, err := ConvertCSV(context.Background(), f, &out, formats.Limits{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Meta["columns"] != "26" || info.Meta["delimiter"] != "," {
		t.Errorf("meta %v", info.Meta)
	}
	found := false
	for _, rec := range strings.Split(out.String(), "\n\n") {
		if strings.Contains(rec, "\n") {
			t.Fatalf("record on several lines: %q", rec)
		}
		if strings.Contains(rec, "MO Class Name: EUtranCellFDD | Parameter Name: qRxLevMin |") {
			found = true
		}
	}
	if !found {
		t.Error("no record for EUtranCellFDD.qRxLevMin")
	}
}

// TestXLSX_corpus converts every workbook of the corpus: every sheet is
// headed, and there is text.
func TestXLSX_corpus(t *testing.T) {
	for _, path := range corpusFiles(t, ".xlsx") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out, info, err := convertXLSX(t, b)
			if err != nil {
				t.Fatal(err)
			}
			sheets, _ := strconv.Atoi(info.Meta["sheets"])
			if got := strings.Count("\n\n"+out, "\n\n# "); sheets == 0 || got != sheets {
				t.Errorf("%d sheet headings for %d sheets", got, sheets)
			}
			if len(out) < 100 { // one workbook holds a title and a header only
				t.Errorf("only %d bytes of text", len(out))
			}
			if len(info.Warnings) > 0 {
				t.Errorf("warnings: %v", info.Warnings)
			}
		})
	}
}

// TestXLSX_corpusBad: none of the broken files of the corpus is taken for a
// workbook; each gets a permanent error.
func TestXLSX_corpusBad(t *testing.T) {
	dir := filepath.Join(corpusDir, "bad")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = convertXLSX(t, b)
			if !fault.IsPermanent(err) || !(errors.Is(err, formats.ErrNotFormat) || errors.Is(err, formats.ErrCorrupt)) {
				t.Errorf("err %v, want a permanent ErrNotFormat or ErrCorrupt", err)
			}
		})
	}
}
