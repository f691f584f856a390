package pdf

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
)

// Fixtures in testdata/:
//   - sample.pdf: sampleDoc().build(), written by `go test -update`;
//   - sample.md: the golden output for sample.pdf, written by -update;
//   - encrypted.pdf: qpdf --encrypt user-pw owner-pw 256 -- sample.pdf encrypted.pdf
//     (opening needs the user password);
//   - owner-only.pdf: qpdf --encrypt "" owner-pw 256 -- sample.pdf owner-only.pdf
//     (AES-256 encrypted, but anyone may open it);
//   - image.jp2: a 32x32 grey JPEG 2000 image (opj_compress -n 2), for
//     pages that have an image and no text.
var update = flag.Bool("update", false, "rewrite testdata/sample.pdf and the golden output")

// sampleDoc is a four-page ETSI-like specification: a cover page, then
// pages with a running header and a page-number footer, clause headings set
// as number and title on one baseline, a hyphenated word, and a table whose
// rows look like headings.
func sampleDoc() pdfDoc {
	const header = "ETSI TS 138 999 V19.0.0 (2026-01)"
	return pdfDoc{title: "TS 138 999 - V19.0.0 - Sample", pages: []pdfPage{
		flowPage("", "",
			"ETSI TS 138 999 V19.0.0 (2026-01)", "",
			"5G;", "NR;", "Sample protocol specification",
			"(3GPP TS 38.999 version 19.0.0 Release 19)", "", "",
			"TECHNICAL SPECIFICATION"),
		flowPage(header, "1",
			"Foreword", "",
			"This Technical Specification has been produced by the alpha marker group.", "",
			"1\tScope", "",
			"The present document specifies the sample protocol between the UE and the gNB.", "",
			"2\tReferences", "",
			"The following documents contain provisions which are referenced in the present document."),
		flowPage(header, "2",
			"3\tProcedures", "",
			"3.1\tGeneral", "",
			"The UE shall apply the configured carrier fre-",
			"quency and the sub-",
			"layer configuration before it sends the bravo marker report.", "",
			"The carrier frequency is given by the network.", "",
			"Table 3.1-1: Actions", "",
			"0\tNo action",
			"1\tTo store the rule.", "",
			"3.1.1\tConfiguration of the charlie marker"),
		flowPage(header, "3",
			"3.2\tRelease", "",
			"The UE shall release the delta marker resources.", "",
			"Annex A (informative):", "Change history", "",
			"2026-01 first version"),
	}}
}

// pageWords are words that appear only on the given page of sampleDoc.
var pageWords = map[int]string{1: "TECHNICAL", 2: "alpha", 3: "bravo", 4: "delta"}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func samplePDF(t testing.TB) []byte {
	t.Helper()
	b := sampleDoc().build()
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "sample.pdf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// convert runs Convert on b.
func convert(ctx context.Context, b []byte, lim formats.Limits) (string, formats.Info, error) {
	var out bytes.Buffer
	info, err := Convert(ctx, bytes.NewReader(b), int64(len(b)), &out, lim)
	return out.String(), info, err
}

// body is the text without page markers and running-header comments.
func body(text string) string {
	return regexp.MustCompile(`(?m)^<!-- .* -->\n`).ReplaceAllString(text, "")
}

func TestConvert_keepsPageNumbers(t *testing.T) {
	tests := []struct {
		name string
		pdf  func(t testing.TB) []byte
	}{
		{"built in the test", samplePDF},
		{"committed fixture", func(t testing.TB) []byte { return fixture(t, "sample.pdf") }},
		{"owner password only", func(t testing.TB) []byte { return fixture(t, "owner-only.pdf") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, info, err := convert(context.Background(), tt.pdf(t), formats.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Pages != 4 {
				t.Errorf("Pages = %d, want 4", info.Pages)
			}
			pages := regexp.MustCompile(`(?m)^<!-- page (\d+) -->$`).Split(text, -1)
			if len(pages) != 5 || pages[0] != "" {
				t.Fatalf("want 4 page markers at the start of the pages, got:\n%s", text)
			}
			for n, w := range pageWords {
				for i, p := range pages[1:] {
					if got, want := strings.Contains(p, w), i+1 == n; got != want {
						t.Errorf("page %d contains %q: %v, want %v", i+1, w, got, want)
					}
				}
			}
		})
	}
}

func TestConvert_golden(t *testing.T) {
	text, info, err := convert(context.Background(), samplePDF(t), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.md")
	if *update {
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := string(fixture(t, "sample.md")); text != want {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, text)
	}
	if want := "3GPP TS 38.999 V19.0.0: 5G; NR; Sample protocol specification"; info.Title != want {
		t.Errorf("Title = %q, want %q", info.Title, want)
	}
	for k, want := range map[string]string{"spec": "38.999", "version": "19.0.0", "release": "19", "text_quality": "1.0000"} {
		if info.Meta[k] != want {
			t.Errorf("Meta[%q] = %q, want %q", k, info.Meta[k], want)
		}
	}
}

func TestConvert_structure(t *testing.T) {
	text, _, err := convert(context.Background(), samplePDF(t), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	b := body(text)
	tests := []struct {
		name    string
		want    string
		present bool
	}{
		{"clause 1 is a level-1 heading", "\n# 1 Scope\n", true},
		{"clause 3.1 is a level-2 heading", "\n## 3.1 General\n", true},
		{"clause 3.1.1 is a level-3 heading", "\n### 3.1.1 Configuration of the charlie marker\n", true},
		{"a clause after a page break continues the numbering", "\n## 3.2 Release\n", true},
		{"front matter is a heading", "\n# Foreword\n", true},
		{"an annex is a level-1 heading", "\n# Annex A (informative): Change history\n", true},
		{"table rows numbered like clauses are not headings", "# 0 No action", false},
		{"table rows keep their text", "0 No action", true},
		{"a word hyphenated at a line end is joined when known", "configured carrier frequency and", true},
		{"a compound keeps its hyphen", "the sub-layer configuration", true},
		{"wrapped lines are one paragraph", "the sub-layer configuration before it sends the bravo marker report.\n", true},
		{"paragraphs are separated by a blank line", "network.\n\nTable 3.1-1: Actions\n", true},
		{"the running header leaves the text flow", "ETSI TS 138 999 V19.0.0 (2026-01)\n\n# Foreword", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Contains(b, tt.want); got != tt.present {
				t.Errorf("contains %q = %v, want %v; text:\n%s", tt.want, got, tt.present, b)
			}
		})
	}
}

func TestConvert_runningHeadersAndFooters(t *testing.T) {
	page := func(n int) pdfPage {
		return flowPage("Company confidential", fmt.Sprintf("Page %d of 5", n), fmt.Sprintf("Body text of page number %d.", n))
	}
	tests := []struct {
		name     string
		pages    []pdfPage
		inBody   bool
		comments int
	}{
		{"repeated on five pages: taken out of the text after the first page", []pdfPage{page(1), page(2), page(3), page(4), page(5)}, false, 4},
		{"two pages are too few to tell: kept", []pdfPage{page(1), page(2)}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, info, err := convert(context.Background(), pdfDoc{pages: tt.pages}.build(), formats.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			b := body(text[strings.Index(text, "<!-- page 2 -->"):])
			if got := strings.Contains(b, "Company confidential") || strings.Contains(b, "Page 2 of 5"); got != tt.inBody {
				t.Errorf("header/footer in the text = %v, want %v:\n%s", got, tt.inBody, text)
			}
			if got := strings.Count(text, "<!-- running: Company confidential | Page "); got != tt.comments {
				t.Errorf("%d running comments, want %d:\n%s", got, tt.comments, text)
			}
			if !strings.Contains(b, "Body text of page number 2.") {
				t.Errorf("body text lost:\n%s", text)
			}
			if info.Meta["running_blocks"] != fmt.Sprint(2*tt.comments) {
				t.Errorf("running_blocks = %s", info.Meta["running_blocks"])
			}
		})
	}
}

// TestConvert_keepsTextThatRecursAtPageEnds: a line of the text that
// happens to stand near the end of every page ("No impact." closing a
// section) stays in the text; only what reaches the page's edge through
// furniture (the page number) is taken out.
func TestConvert_keepsTextThatRecursAtPageEnds(t *testing.T) {
	var pages []pdfPage
	for n := 1; n <= 5; n++ {
		pages = append(pages, flowPage("Company confidential", fmt.Sprintf("Page %d of 5", n),
			fmt.Sprintf("Body text of page number %d.", n), "No impact.", fmt.Sprintf("Closing line %d.", n)))
	}
	text, _, err := convert(context.Background(), pdfDoc{pages: pages}.build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(body(text), "No impact."); got != 5 {
		t.Errorf("%d of 5 \"No impact.\" lines in the text:\n%s", got, text)
	}
	if got := strings.Count(text, "<!-- running: Company confidential | Page "); got != 4 {
		t.Errorf("%d running comments, want 4:\n%s", got, text)
	}
}

func TestConvert_encryptedIsDeadLettered(t *testing.T) {
	tests := []struct {
		name   string
		pdf    []byte
		reason string
	}{
		{"user password (qpdf AES-256)", fixture(t, "encrypted.pdf"), "needs a password to open (security handler Standard V5)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, _, err := convert(context.Background(), tt.pdf, formats.Limits{})
			if !errors.Is(err, formats.ErrEncrypted) || !fault.IsPermanent(err) {
				t.Fatalf("err = %v, want a permanent ErrEncrypted", err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err = %q, want the reason %q", err, tt.reason)
			}
			if text != "" {
				t.Errorf("wrote %q", text)
			}
		})
	}
}

func TestConvert_truncated(t *testing.T) {
	full := samplePDF(t)
	tests := []struct {
		name      string
		bytes     []byte
		truncated bool
	}{
		{"cut in half", full[:len(full)/2], true},
		{"cut before the cross-reference table", full[:bytes.Index(full, []byte("xref"))], true},
		{"only the header", full[:20], true},
		{"complete, padded with 20 KB of NULs", append(append([]byte{}, full...), make([]byte, 20<<10)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := convert(context.Background(), tt.bytes, formats.Limits{})
			if !tt.truncated {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, formats.ErrCorrupt) || !fault.IsPermanent(err) {
				t.Fatalf("err = %v, want a permanent ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), "truncated") && !strings.Contains(err.Error(), "no readable pages") {
				t.Errorf("err = %q, want it to say the file is truncated", err)
			}
			t.Log(err)
		})
	}
}

func TestConvert_repairsABrokenCrossReferenceTable(t *testing.T) {
	b := samplePDF(t)
	i := bytes.Index(b, []byte("xref\n"))
	broken := append(append([]byte{}, b[:i]...), bytes.ReplaceAll(b[i:], []byte(" 00000 n"), []byte(" 00000 x"))...)
	text, _, err := convert(context.Background(), broken, formats.Limits{})
	if err != nil {
		t.Fatalf("MuPDF repairs a broken xref table; err = %v", err)
	}
	if !strings.Contains(text, "bravo marker") {
		t.Errorf("text lost:\n%s", text)
	}
}

func TestConvert_notAPDF(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"text named .pdf", []byte("# Placeholder for PDF file\n"), `the file starts with "# Placeholder for PDF file"`},
		{"HTML error page", []byte("<!DOCTYPE html><html><body>404</body></html>"), "HTML page"},
		{"Git LFS pointer", []byte("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"), "Git LFS pointer"},
		{"Office document", []byte("PK\x03\x04\x14\x00\x06\x00rest of a zip"), "ZIP archive"},
		{"empty", nil, "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := convert(context.Background(), tt.data, formats.Limits{})
			if !errors.Is(err, formats.ErrNotFormat) || !fault.IsPermanent(err) {
				t.Fatalf("err = %v, want a permanent ErrNotFormat", err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err = %q, want the reason %q", err, tt.reason)
			}
		})
	}
}

func TestConvert_respectsMaxPages(t *testing.T) {
	b := samplePDF(t)
	tests := []struct {
		name    string
		lim     formats.Limits
		tooLong bool
	}{
		{"more pages than allowed", formats.Limits{MaxPages: 3}, true},
		{"exactly the allowed pages", formats.Limits{MaxPages: 4}, false},
		{"more text than allowed", formats.Limits{MaxOutput: 100}, true},
		{"defaults", formats.Limits{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := convert(context.Background(), b, tt.lim)
			if tt.tooLong != (err != nil) {
				t.Fatalf("err = %v, want an error: %v", err, tt.tooLong)
			}
			if tt.tooLong && (!errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err)) {
				t.Errorf("err = %v, want a permanent ErrTooLarge", err)
			}
		})
	}
}

func TestConvert_stopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := convert(ctx, samplePDF(t), formats.Limits{})
	if !errors.Is(err, context.Canceled) || fault.IsPermanent(err) {
		t.Errorf("err = %v, want a transient context.Canceled", err)
	}
}

func TestConvert_concurrentDocuments(t *testing.T) {
	// Different documents, including ones that take the exclusive lock
	// (encryption, JPEG 2000), converted at once must give what they give
	// one at a time.
	docs := map[string][]byte{
		"sample":     samplePDF(t),
		"owner-only": fixture(t, "owner-only.pdf"),
		"with image": pdfDoc{jpx: fixture(t, "image.jp2"), jpxW: 32, jpxH: 32, pages: []pdfPage{
			flowPage("", "", "A page with a JPEG 2000 image and text."),
			flowPage("", "", "Another page with the image."),
		}}.build(),
	}
	for i := range 5 {
		var p []pdfPage
		for n := range 3 + i {
			p = append(p, flowPage("Header", fmt.Sprint(n+1), fmt.Sprintf("Document %d, page %d: the UE shall report.", i, n+1)))
		}
		docs[fmt.Sprintf("generated %d", i)] = pdfDoc{pages: p}.build()
	}
	want := map[string]string{}
	for name, b := range docs {
		text, _, err := convert(context.Background(), b, formats.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want[name] = text
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for round := range 10 {
				for name, b := range docs {
					if (len(name)+g+round)%2 == 0 {
						continue // vary the mix per goroutine
					}
					text, _, err := convert(context.Background(), b, formats.Limits{})
					if err != nil {
						t.Errorf("%s: %v", name, err)
						return
					}
					if text != want[name] {
						t.Errorf("%s: concurrent output differs", name)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestConvert_textQualityFlagsGarbage(t *testing.T) {
	english := strings.Repeat("The UE shall send the measurement report to the network when the timer expires. ", 40)
	tests := []struct {
		name     string
		pages    []string
		maxScore float64
		minScore float64
		warning  string
	}{
		{"clean English", []string{english, english}, 1, 0.95, ""},
		{"replacement characters", []string{strings.Repeat("The UE \uFFFD\uFFFD\uFFFD\uFFFD shall \uFFFD\uFFFD\uFFFD send. ", 50)}, 0.2, 0, "U+FFFD"},
		{"private-use glyphs", []string{english + strings.Repeat("\uF0B7\uF0A7\uF020 ", 300)}, 0.7, 0, "private-use"},
		{"letters spaced out", []string{strings.Repeat("T h e U E s h a l l s e n d t h e r e p o r t . ", 50)}, 0.1, 0, "fragmented words"},
		{"words split apart", []string{strings.Repeat("Th e UE sh all se nd th e me as ur em ent re po rt. ", 50)}, 0.6, 0, "fragmented words"},
		{"wrong font encoding", []string{strings.Repeat("7KH 8( VKDOO VHQG WKH PHDVXUHPHQW UHSRUW WR WKH QHWZRUN. ", 50)}, 0.2, 0, "garbled text"},
		{"half the pages without text", []string{english, "", english, " 3 "}, 0.8, 0.7, "no text layer on 2 of 4 pages"},
		{"Japanese slides with English data", []string{strings.Repeat("IPR宣言の番号（IPRD_REFERENCE）、特許文献の番号も確認可能。", 30)}, 1, 0.95, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q qualityCounter
			for _, p := range tt.pages {
				q.addPage(p)
			}
			r := q.result()
			if r.Score > tt.maxScore || r.Score < tt.minScore {
				t.Errorf("score %.3f, want %.2f..%.2f (%+v)", r.Score, tt.minScore, tt.maxScore, r)
			}
			w := strings.Join(r.warnings(), "; ")
			if tt.warning == "" && w != "" {
				t.Errorf("warnings %q, want none", w)
			}
			if !strings.Contains(w, tt.warning) {
				t.Errorf("warnings %q, want %q", w, tt.warning)
			}
			m := map[string]string{}
			r.putMeta(m)
			for _, k := range []string{"text_quality", "replacement_char_ratio", "private_use_ratio", "fragmented_word_ratio", "empty_page_ratio"} {
				if m[k] == "" {
					t.Errorf("Meta[%q] missing", k)
				}
			}
		})
	}

	t.Run("a font without a Unicode mapping, end to end", func(t *testing.T) {
		d := sampleDoc()
		d.garbled = true
		_, info, err := convert(context.Background(), d.build(), formats.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if info.Meta["text_quality"] != "0.0000" || !strings.Contains(strings.Join(info.Warnings, "; "), "no Unicode mapping") {
			t.Errorf("quality %s, warnings %q: want 0 and a warning", info.Meta["text_quality"], info.Warnings)
		}
	})
}

func TestConvert_scannedPages(t *testing.T) {
	img := fixture(t, "image.jp2")
	scanned := pdfPage{}
	tests := []struct {
		name    string
		pages   []pdfPage
		wantErr bool
		warning string
	}{
		{"no page has text", []pdfPage{scanned, scanned, scanned}, true, ""},
		{"some pages have no text", []pdfPage{flowPage("", "", "A typed page with enough text."), scanned}, false, "no text layer on 1 of 2 pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := pdfDoc{jpx: img, jpxW: 32, jpxH: 32, pages: tt.pages}
			text, info, err := convert(context.Background(), d.build(), formats.Limits{})
			if tt.wantErr {
				if !errors.Is(err, formats.ErrNotFormat) || !fault.IsPermanent(err) || !strings.Contains(err.Error(), "install tesseract-ocr") {
					t.Fatalf("err = %v, want a permanent ErrNotFormat about OCR", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(info.Warnings, "; "), tt.warning) || info.Meta["no_text_layer_pages"] != "1" {
				t.Errorf("warnings %q, meta %v: want %q", info.Warnings, info.Meta, tt.warning)
			}
			if !strings.Contains(text, "<!-- page 2 -->") {
				t.Errorf("the empty page lost its marker:\n%s", text)
			}
		})
	}
}

func TestConvert_hostileInputNeverPanics(t *testing.T) {
	b := samplePDF(t)
	for i := range 300 {
		m := append([]byte{}, b...)
		// Overwrite a run of bytes past the header with a pattern of its own.
		at := 16 + (i*7919)%(len(m)-16)
		for j := at; j < min(len(m), at+1+i%40); j++ {
			m[j] = byte(i*31 + j)
		}
		if i%3 == 0 {
			m = m[:at]
		}
		text, _, err := convert(context.Background(), m, formats.Limits{})
		if err != nil && !fault.IsPermanent(err) {
			t.Errorf("mutation %d: transient error %v", i, err)
		}
		if err == nil && !strings.HasPrefix(text, "<!-- page 1 -->") {
			t.Errorf("mutation %d: no error and text %q", i, text)
		}
	}
}

func TestConvert_unreadablePages(t *testing.T) {
	var pages []pdfPage
	for n := range 4 {
		pages = append(pages, flowPage("", "", fmt.Sprintf("Readable page %d of the document.", n+1)))
	}
	tests := []struct {
		name     string
		declared int
		corrupt  bool
		warning  string
	}{
		{"one page of five missing: converted with a warning", 5, false, "MuPDF could not read 1 of 5 pages (pages 5)"},
		{"most pages missing: corrupt", 10, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, info, err := convert(context.Background(), pdfDoc{pages: pages, declaredPages: tt.declared}.build(), formats.Limits{})
			if tt.corrupt {
				if !errors.Is(err, formats.ErrCorrupt) || !fault.IsPermanent(err) || !strings.Contains(err.Error(), "cannot read") {
					t.Fatalf("err = %v, want a permanent ErrCorrupt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(info.Warnings, "; "), tt.warning) || info.Meta["failed_pages"] != "1" {
				t.Errorf("warnings %q, meta %v: want %q", info.Warnings, info.Meta, tt.warning)
			}
			if !strings.Contains(text, "<!-- page 5 -->") || !strings.Contains(text, "Readable page 4") {
				t.Errorf("text:\n%s", text)
			}
		})
	}
}

// FuzzConvert checks that no input makes Convert panic, hang or fail with a
// transient error: `go test -fuzz FuzzConvert ./pkg/formats/pdf/`. A crash
// inside MuPDF itself kills the fuzzing process, which reports it as well.
func FuzzConvert(f *testing.F) {
	b := sampleDoc().build()
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, _, err := convert(context.Background(), data, formats.Limits{MaxOutput: 1 << 20, MaxPages: 50})
		if err != nil && !fault.IsPermanent(err) {
			t.Errorf("transient error %v", err)
		}
		if err == nil && !strings.HasPrefix(text, "<!-- page 1 -->") {
			t.Errorf("no error and text %q", text)
		}
	})
}

// failingReader fails every read after the first n bytes.
type failingReader struct {
	data []byte
	n    int64
}

func (f failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.n {
		return copy(p, f.data[off:max(off, min(f.n, int64(len(f.data))))]), errors.New("blob store: connection reset")
	}
	return copy(p, f.data[off:]), nil
}

func TestConvert_sourceErrorsAreTransient(t *testing.T) {
	b := samplePDF(t)
	for _, n := range []int64{0, 100, int64(len(b)) - 1} {
		var out bytes.Buffer
		_, err := Convert(context.Background(), failingReader{data: b, n: n}, int64(len(b)), &out, formats.Limits{})
		if err == nil || fault.IsPermanent(err) || !strings.Contains(err.Error(), "connection reset") {
			t.Errorf("read failing after %d bytes: err = %v, want a transient read error", n, err)
		}
	}
}
