// Package pdf converts PDF documents (ETSI/3GPP specifications, slides) to
// normalized markdown-like text with MuPDF, through go-fitz, one page at a
// time.
//
// Output: every page starts with a marker line `<!-- page N -->`, where N is
// the physical page number (1-based, as a viewer counts pages, not the label
// printed on the page); empty pages keep their marker, so page numbers survive
// chunking and can be cited. The text is rebuilt from MuPDF's structured
// text (go-fitz's HTML rendering of it: every line with its position, font
// size and weight; see layout.go):
//   - lines are grouped into rows by baseline; wrapped lines of the same font,
//     close below and aligned (or under an indented first line, or under a
//     list item's text), are joined into one paragraph;
//   - rows of two cells or more, with the lines that continue their cells,
//     become markdown pipe tables (blocks.go): columns from left edges shared
//     by several lines (a centred header cell does not make one), cells that
//     wrap or sit in the middle of a tall row joined into their row (padded
//     rows tell row from wrap), cells MuPDF read as one line cut at the
//     column start; the first row is the header; a table that goes on at the
//     top of the next page with the same columns is continued, its repeated
//     header dropped (so its rows come before that page's marker);
//   - running headers and footers (rows at the top or bottom of most nearby
//     pages, such as "ETSI TS 138 201 V19.0.0 (2026-01)" and page numbers)
//     leave the text flow: they go to one `<!-- running: ... -->` line after
//     the page marker, so they no longer cut paragraphs at page breaks, a
//     chunker can drop them with the markers, and no word of the page is
//     lost;
//   - a word hyphenated at a line end is joined; the hyphen is dropped only when
//     the joined word occurs elsewhere in the document, or the hyphen is a soft
//     hyphen; a paragraph cut by a page break is joined when the next page
//     goes on in lower case;
//   - 3GPP/ETSI clause headings (number and title apart on one baseline)
//     become `#` headings whose level is the number of dot-separated parts,
//     when the clause number follows the previous heading's in document
//     order; "Annex B (informative): ..." and the unnumbered ETSI
//     front-matter headings become level-1 headings; other short paragraphs
//     set larger or bolder than the body text become headings whose level
//     comes from the size ratio;
//   - list items (bullet or number) start their own paragraph, bullets
//     written as "-";
//   - a page set in columns is read column by column (columns.go): a gutter
//     that only full-width rows (titles, wide figures and tables) cross cuts
//     the page into bands, and a band whose sides are both flowing prose is
//     read left column, then right; tables (short cells, or padded rows) and
//     centred figures keep their rows;
//   - footnotes (footnotes.go): small rows at the bottom of a page, set off
//     from the body and starting with a marker ("1 ...", "(2) ...", "* ...")
//     are written after the page's body under a `<!-- footnotes -->` line,
//     one paragraph each, as printed;
//   - pages without a text layer (or with almost no text and an image) are
//     OCRed with tesseract when ConvertWith's Options name it (ocr.go): the
//     page is rendered at 300 dpi, tesseract's word boxes become lines with
//     positions and font sizes, and the page goes through the same layout.
//     Meta records ocr_pages, ocr_engine and ocr_confidence. Without
//     tesseract a document with no text layer is refused, saying to install
//     tesseract-ocr, and the scanned pages of a mixed document stay empty
//     with a warning (ocr_needed_pages).
//
// Not done: ruled lines are not read (only alignment); a paragraph that
// goes on from the bottom of one column to the top of the next is not
// joined; footnote markers in the body stay as MuPDF reads them (a
// superscript 1 after a word reads "word1"); OCRed pages get no bold, so
// their headings come only from clause numbers and size; and tables in
// scanned pages are rebuilt from word positions only.
//
// Every document gets a text-quality check (replacement characters,
// private-use and control glyphs, fragmented words, text-less pages) recorded
// in Info.Meta, with a warning when it is poor. Encrypted, truncated, corrupt
// and fake PDFs fail with a permanent error (formats.Bad) that says why.
//
// Concurrency: Convert may run in many goroutines at once. Each call opens its
// own MuPDF context; documents whose decoding touches MuPDF's few process-wide
// variables (JPEG 2000 images, encryption) are converted one at a time (see
// lock.go).
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	fitz "github.com/gen2brain/go-fitz"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// format names this converter in errors.
const format = "pdf"

// Convert writes the text of the PDF in r (size bytes) to w as markdown-like
// text, page by page, each page after a `<!-- page N -->` line, and returns
// the page count, the title (3GPP cover or PDF metadata), the text-quality
// measures in Info.Meta and warnings. Bad input gives a permanent error
// wrapping formats.ErrNotFormat (not a PDF, or no text on any page),
// ErrEncrypted (a password is needed), ErrCorrupt (truncated or unreadable;
// the reason names what is broken) or ErrTooLarge (over lim.MaxPages or
// lim.MaxOutput). A cancelled ctx stops it between pages with ctx.Err().
// Convert does no OCR: it is ConvertWith with zero Options.
func Convert(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error) {
	return ConvertWith(ctx, r, size, w, lim, Options{})
}

// Options are the PDF converter's settings beyond formats.Limits.
type Options struct {
	// OCR reads the pages that have no text layer (scanned images); its
	// zero value does no OCR.
	OCR OCR
}

// ConvertWith is Convert with opts: pages without a text layer are OCRed
// when opts.OCR names tesseract (see ocr.go). A document with no text on
// any page is refused, saying whether OCR was missing or failed.
func ConvertWith(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits, opts Options) (info formats.Info, err error) {
	lim = lim.WithDefaults()
	defer func() {
		// go-fitz is Go code over C; a panic in it is a bug triggered by this
		// input, and converting the same input again would panic again.
		if p := recover(); p != nil {
			info = formats.Info{}
			err = formats.Bad(format, formats.ErrCorrupt, "converter panicked: %v", p)
		}
	}()
	if size <= 0 {
		return info, formats.Bad(format, formats.ErrNotFormat, "empty file")
	}
	head := make([]byte, min(size, headWindow))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return info, fmt.Errorf("%s: read: %w", format, err)
	}
	if headerOffset(head) < 0 {
		return info, formats.Bad(format, formats.ErrNotFormat, "no %%PDF- header: %s", describe(head))
	}
	// MuPDF reads from memory (go-fitz has no ReaderAt source), so the whole
	// file is held for the conversion.
	data := make([]byte, size)
	if n, err := r.ReadAt(data, 0); n < len(data) {
		return info, fmt.Errorf("%s: read %d of %d bytes: %w", format, n, size, err)
	}
	f := inspect(data)

	unlock := lockFor(f)
	defer unlock()
	doc, err := open(data[f.start:], f)
	if err != nil {
		return info, err
	}
	defer doc.Close()

	n := doc.NumPage()
	info.Pages = n
	if n <= 0 {
		return info, formats.Bad(format, formats.ErrCorrupt, "no readable pages%s", f.truncationDetail(", "))
	}
	if f.truncated() {
		return info, formats.Bad(format, formats.ErrCorrupt, "truncated: %s; MuPDF finds %d pages in what is left, but their text cannot be trusted to be complete", f.truncationDetail(""), n)
	}
	if n > lim.MaxPages {
		return info, formats.Bad(format, formats.ErrTooLarge, "%d pages is over the %d-page limit", n, lim.MaxPages)
	}

	c := newConverter(w, lim.MaxOutput, n)
	ocr := newOCRRunner(ctx, opts.OCR, doc.ImagePNG)
	defer ocr.close()
	for i := range n {
		if err := ctx.Err(); err != nil {
			return info, fmt.Errorf("%s: %w", format, err)
		}
		text, err := doc.HTML(i, false)
		if err := ocr.add(ctx, c, i+1, text, err); err != nil {
			return info, err
		}
	}
	if err := ocr.finish(ctx, c); err != nil {
		return info, err
	}
	if err := c.finish(); err != nil {
		return info, err
	}

	q := c.quality.result()
	if q.TextPages == 0 {
		return info, ocr.refusal(n)
	}
	info.Meta = map[string]string{}
	if cov, ok := threegpp.ParseCover(c.cover); ok {
		info.Title = cov.DisplayTitle()
		for k, v := range cov.Meta() {
			info.Meta[k] = v
		}
	}
	meta := doc.Metadata()
	if info.Title == "" {
		info.Title = cleanMeta(meta["title"])
	}
	putMeta(info.Meta, "pdf_producer", cleanMeta(meta["producer"]))
	putMeta(info.Meta, "pdf_creator", cleanMeta(meta["creator"]))
	putMeta(info.Meta, "pdf_version", cleanMeta(meta["format"]))
	if enc := cleanMeta(meta["encryption"]); enc != "" && enc != "None" {
		info.Meta["pdf_encryption"] = enc
	}
	q.putMeta(info.Meta)
	info.Meta["running_blocks"] = strconv.Itoa(c.running)
	info.Meta["headings"] = strconv.Itoa(c.headings.count)
	info.Meta["tables"] = strconv.Itoa(c.tables)
	if c.footnotes > 0 {
		info.Meta["footnotes"] = strconv.Itoa(c.footnotes)
	}
	if c.failed > 0 {
		info.Meta["failed_pages"] = strconv.Itoa(c.failed)
		info.Warnings = append(info.Warnings, fmt.Sprintf("MuPDF could not read %d of %d pages (%s); their text is missing", c.failed, n, c.failedList()))
	}
	info.Warnings = append(info.Warnings, ocr.putMeta(info.Meta, n)...)
	info.Warnings = append(info.Warnings, q.warnings()...)
	return info, nil
}

// open opens the PDF bytes with MuPDF and classifies a failure.
func open(b []byte, f facts) (*fitz.Document, error) {
	doc, err := fitz.NewFromMemory(b)
	if err == nil {
		return doc, nil
	}
	if doc != nil {
		// go-fitz returns the half-built document with its MuPDF context;
		// closing it frees the context (NULL documents are fine).
		doc.Close()
	}
	switch {
	case errors.Is(err, fitz.ErrNeedsPassword):
		return nil, formats.Bad(format, formats.ErrEncrypted, "the document needs a password to open (%s)", f.encryptionDetail())
	case f.encrypted:
		return nil, formats.Bad(format, formats.ErrEncrypted, "encrypted, and MuPDF cannot open it: %v", err)
	case f.truncated():
		return nil, formats.Bad(format, formats.ErrCorrupt, "truncated: %s; MuPDF cannot open it: %v", f.truncationDetail(""), err)
	}
	return nil, formats.Bad(format, formats.ErrCorrupt, "MuPDF cannot open it (broken cross-reference table or objects): %v", err)
}

// cleanMeta trims a go-fitz metadata value: go-fitz returns the whole
// NUL-padded lookup buffer.
func cleanMeta(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}

func putMeta(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}
