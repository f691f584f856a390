package mupdf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContext_opens fails when include/ does not match the MuPDF that
// go-fitz links (fz_new_context refuses a version mismatch).
func TestContext_opens(t *testing.T) {
	if !checkContext() {
		t.Fatal("no MuPDF context: include/ does not match go-fitz's MuPDF (see README.md)")
	}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocument_readsPages(t *testing.T) {
	doc, err := Open(fixture(t, "sample.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	n, err := doc.Pages()
	if err != nil || n == 0 {
		t.Fatalf("Pages() = %d, %v", n, err)
	}
	p, err := doc.Page(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) == 0 {
		t.Fatal("no lines on page 1")
	}
	for _, l := range p.Lines {
		if l.X1 <= l.X0 || l.Size <= 0 || len(l.Chars) == 0 {
			t.Errorf("line %+v: empty box, size or characters", l)
		}
		for _, c := range l.Chars {
			if float64(c.X0) < l.X0-1 || float64(c.X1) > l.X1+1 {
				t.Errorf("char %q at %v-%v outside its line %v-%v", c.R, c.X0, c.X1, l.X0, l.X1)
			}
		}
	}
	if _, err := doc.Page(n); err == nil {
		t.Errorf("Page(%d) of %d pages: no error", n, n)
	}
	if m := doc.Messages(); m.Errors == 0 || !strings.Contains(m.Distinct[len(m.Distinct)-1].Text, "page") {
		t.Errorf("the failed page is not among the messages: %+v", m)
	}
}

func TestOpen_needsPassword(t *testing.T) {
	doc, err := Open(fixture(t, "encrypted.pdf"))
	if !errors.Is(err, ErrNeedsPassword) {
		t.Fatalf("err = %v, want ErrNeedsPassword", err)
	}
	doc.Close()
	doc.Close() // twice is fine
}

func TestOpen_notAPDF(t *testing.T) {
	doc, err := Open([]byte("%PDF-1.7\nnothing else here"))
	if err == nil {
		doc.Close()
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), "mupdf: open") {
		t.Errorf("err = %v", err)
	}
}
