package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// scanDPI is the resolution the test pages are "scanned" at.
const scanDPI = 200

// scan renders page of a text PDF at scanDPI into a grey image, as a
// scanner would see the printed page.
func scan(t testing.TB, p pdfPage) *image.Gray {
	t.Helper()
	doc, err := mupdf.Open(pdfDoc{pages: []pdfPage{p}}.build())
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	b, err := doc.RenderPNG(0, scanDPI)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("RenderPNG gave a %T, want a grey image", img)
	}
	return g
}

// scannedPDF writes a PDF whose pages are either text (a pdfPage) or a
// full-page grey image with no text layer, as a scanner makes them.
func scannedPDF(t testing.TB, pages ...any) []byte {
	t.Helper()
	var objs []string
	add := func(s string) int {
		objs = append(objs, s)
		return len(objs)
	}
	catalog, pagesObj := add(""), add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids []string
	for _, pg := range pages {
		var cs bytes.Buffer
		res := fmt.Sprintf("/Font << /F1 %d 0 R >>", font)
		switch p := pg.(type) {
		case pdfPage:
			for _, tx := range p.texts {
				fmt.Fprintf(&cs, "BT /F1 %g Tf %g %g Td (%s) Tj ET\n", tx.size, tx.x, tx.y, escapePDFString(tx.s))
			}
		case *image.Gray:
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			if _, err := zw.Write(p.Pix); err != nil {
				t.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			img := add(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
				p.Rect.Dx(), p.Rect.Dy(), z.Len(), z.Bytes()))
			fmt.Fprintf(&cs, "q %g 0 0 %g 0 0 cm /Im1 Do Q\n", pageW, pageH)
			res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", img)
		default:
			t.Fatalf("page of type %T", pg)
		}
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cs.Len(), cs.Bytes()))
		kids = append(kids, fmt.Sprintf("%d 0 R", add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources << %s >> /Contents %d 0 R >>",
			pagesObj, pageW, pageH, res, content))))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	return b.Bytes()
}

// tesseract returns the OCR options for the installed tesseract, or skips.
func tesseract(t testing.TB) OCR {
	t.Helper()
	path, err := exec.LookPath("tesseract")
	if err != nil {
		t.Skip("tesseract not installed (apt-get install tesseract-ocr): OCR not tested")
	}
	return OCR{Tesseract: path, Workers: 2}
}

func convertWith(ctx context.Context, b []byte, opts Options) (string, formats.Info, error) {
	var out bytes.Buffer
	info, err := ConvertWith(ctx, bytes.NewReader(b), int64(len(b)), &out, formats.Limits{}, opts)
	return out.String(), info, err
}

// scannedText is the text printed on the scanned test pages.
var scannedText = []string{
	"4\tRadio link monitoring",
	"The UE shall monitor the downlink radio link quality of the",
	"primary cell for the purpose of indicating out-of-sync and",
	"in-sync status to higher layers.",
	"",
	"When the downlink radio link quality is worse than the threshold",
	"the physical layer indicates out-of-sync to higher layers.",
}

func TestConvertWith_ocrReadsScannedPages(t *testing.T) {
	ocr := tesseract(t)
	printed := flowPage("", "", scannedText...)
	typed := flowPage("", "", "This page has a text layer and is not scanned.", "It stays as MuPDF reads it.")
	tests := []struct {
		name     string
		pages    []any
		ocrPages string
		scanned  int // page number of the scanned page
	}{
		{"every page scanned", []any{scan(t, printed)}, "1", 1},
		{"one scanned page among typed ones", []any{typed, scan(t, printed), typed}, "1", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, info, err := convertWith(context.Background(), scannedPDF(t, tt.pages...), Options{OCR: ocr})
			if err != nil {
				t.Fatal(err)
			}
			if info.Meta["ocr_pages"] != tt.ocrPages || !strings.HasPrefix(info.Meta["ocr_engine"], "tesseract ") || info.Meta["ocr_confidence"] == "" {
				t.Errorf("meta %v: want ocr_pages %s, the engine and a confidence", info.Meta, tt.ocrPages)
			}
			page, _ := pageText(text, tt.scanned)
			for _, want := range []string{
				"# 4 Radio link monitoring",
				"The UE shall monitor the downlink radio link quality of the primary cell for the purpose of indicating out-of-sync and in-sync status to higher layers.",
				"When the downlink radio link quality is worse than the threshold the physical layer indicates out-of-sync to higher layers.",
			} {
				if !strings.Contains(page, want) {
					t.Errorf("page %d lacks %q:\n%s", tt.scanned, want, page)
				}
			}
			if typed, _ := pageText(text, 1); len(tt.pages) > 1 && !strings.Contains(typed, "This page has a text layer and is not scanned. It stays as MuPDF reads it.") {
				t.Errorf("typed page 1 changed:\n%s", text)
			}
		})
	}
}

// pageText is the text after the marker of page num, up to the next marker.
func TestConvertWith_withoutTesseractRefusesScans(t *testing.T) {
	page := scan(t, flowPage("", "", scannedText...))
	missing := filepath.Join(t.TempDir(), "no-tesseract")
	for _, opts := range []Options{{}, {OCR: OCR{Tesseract: missing}}} {
		_, _, err := convertWith(context.Background(), scannedPDF(t, page, page), opts)
		if !errors.Is(err, formats.ErrNotFormat) || !fault.IsPermanent(err) || !strings.Contains(err.Error(), "no text layer on any of the 2 pages") || !strings.Contains(err.Error(), "install tesseract-ocr") {
			t.Errorf("tesseract %q: err = %v, want a permanent refusal that says to install tesseract-ocr", opts.OCR.Tesseract, err)
		}
	}
	// A mixed document converts, and says which pages are missing.
	text, info, err := convertWith(context.Background(), scannedPDF(t, flowPage("", "", "A typed page with enough text to count."), page), Options{OCR: OCR{Tesseract: missing}})
	if err != nil {
		t.Fatal(err)
	}
	if info.Meta["ocr_needed_pages"] != "1" || !strings.Contains(strings.Join(info.Warnings, "; "), "(page 2), not OCRed") || !strings.Contains(text, "A typed page") {
		t.Errorf("meta %v, warnings %q: want page 2 named as not OCRed", info.Meta, info.Warnings)
	}
}

func TestConvertWith_ocrFailureIsPermanent(t *testing.T) {
	// A "tesseract" that answers --version but fails on every page.
	dir := t.TempDir()
	bin := filepath.Join(dir, "tesseract")
	writeScript(t, bin, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'tesseract 0.0-broken'; exit 0; fi\necho 'Error opening data file eng.traineddata' >&2\nexit 1\n")
	page := scan(t, flowPage("", "", scannedText...))
	_, _, err := convertWith(context.Background(), scannedPDF(t, page, page), Options{OCR: OCR{Tesseract: bin}})
	if !fault.IsPermanent(err) || !strings.Contains(err.Error(), "tesseract") || !strings.Contains(err.Error(), "eng.traineddata") {
		t.Fatalf("err = %v, want a permanent error with tesseract's reason", err)
	}
	// A page that tesseract cannot read among many typed pages leaves the
	// page empty and says so.
	typed := flowPage("", "", "A typed page with enough text to count.")
	text, info, err := convertWith(context.Background(), scannedPDF(t, typed, page, typed), Options{OCR: OCR{Tesseract: bin}})
	if err != nil {
		t.Fatal(err)
	}
	if info.Meta["ocr_failed_pages"] != "1" || !strings.Contains(strings.Join(info.Warnings, "; "), "eng.traineddata") || !strings.Contains(text, "<!-- page 2 -->") {
		t.Errorf("meta %v, warnings %q: want page 2 failed with the reason", info.Meta, info.Warnings)
	}
}

func TestConvertWith_ocrTimeout(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "tesseract")
	writeScript(t, bin, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'tesseract 0.0-slow'; exit 0; fi\nexec sleep 60\n")
	page := scan(t, flowPage("", "", scannedText...))
	_, _, err := convertWith(context.Background(), scannedPDF(t, page), Options{OCR: OCR{Tesseract: bin, PageTimeout: 200 * time.Millisecond}})
	if !fault.IsPermanent(err) || !strings.Contains(err.Error(), "tesseract took over 200ms") {
		t.Fatalf("err = %v, want the page timeout named", err)
	}
}

func writeScript(t testing.TB, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}
