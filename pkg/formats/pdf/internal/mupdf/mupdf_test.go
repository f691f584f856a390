package mupdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
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

// twoPages is a PDF of two 200x100-point pages: the first draws a 2x2 grey
// image (an XObject) and a black inline image mask; the second draws text
// only.
func twoPages(t *testing.T) []byte {
	t.Helper()
	img := "\x00\xff\xff\x00"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /Font << /F1 7 0 R >> >> /Contents 8 0 R >>",
		stream("q 100 0 0 50 0 0 cm /Im1 Do Q\nq 20 0 0 20 150 60 cm BI /W 8 /H 1 /IM true ID \x55 EI Q"),
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n" + img + "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		stream("BT /F1 12 Tf 10 50 Td (Text only) Tj ET"),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

func TestPage_countsImages(t *testing.T) {
	doc, err := Open(twoPages(t))
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	for n, want := range []int{2, 0} {
		if _, err := doc.Page(n); err != nil {
			t.Fatal(err)
		}
		got, err := doc.Images(n)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("page %d: Images = %d, want %d", n+1, got, want)
		}
	}
	if m := doc.Messages(); m.Warnings+m.Errors > 0 {
		t.Errorf("MuPDF complained about the fixture: %+v", m)
	}
	if _, err := doc.Images(2); err == nil {
		t.Error("Images(2) of a two-page document: no error")
	}
}

func TestDocument_rendersPNG(t *testing.T) {
	doc, err := Open(twoPages(t))
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	b, err := doc.RenderPNG(0, 144)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	// 200x100 points at 144 dpi (2 pixels a point).
	if got := img.Bounds().Size(); got != image.Pt(400, 200) {
		t.Errorf("size %v, want 400x200", got)
	}
	// The 2x2 image (two black samples) spans the left half of the page's
	// lower half.
	dark := 0
	for y := 100; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if g, _, _, _ := img.At(x, y).RGBA(); g < 0x4000 {
				dark++
			}
		}
	}
	if dark == 0 {
		t.Error("the image drawn on the page's lower half is not in the rendering")
	}
	if _, err := doc.RenderPNG(5, 144); err == nil {
		t.Error("RenderPNG of page 6 of 2: no error")
	}
	if _, err := doc.RenderPNG(0, 0); err == nil {
		t.Error("RenderPNG at 0 dpi: no error")
	}
}

// TestBuffer_holdsADocument: a document opens from a Buffer's bytes and
// reads the same text as from Go memory; Free may be called twice.
func TestBuffer_holdsADocument(t *testing.T) {
	if _, err := NewBuffer(0); err == nil {
		t.Error("NewBuffer(0): no error")
	}
	data := fixture(t, "sample.pdf")
	buf, err := NewBuffer(len(data))
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	if n := copy(buf.Bytes(), data); n != len(data) {
		t.Fatalf("copied %d of %d bytes", n, len(data))
	}
	text := func(data []byte) string {
		doc, err := Open(data)
		if err != nil {
			t.Fatal(err)
		}
		defer doc.Close()
		p, err := doc.Page(0)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for _, l := range p.Lines {
			for _, c := range l.Chars {
				sb.WriteRune(c.R)
			}
		}
		return sb.String()
	}
	got, want := text(buf.Bytes()), text(data)
	if got != want || want == "" {
		t.Errorf("text from a Buffer %q, from Go memory %q", got, want)
	}
	buf.Free()
	if buf.Bytes() != nil {
		t.Error("Bytes after Free is not nil")
	}
	buf.Free()
}
