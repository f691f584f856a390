// Package pdf converts PDF documents (ETSI/3GPP specifications, slides) to
// normalized markdown-like text with MuPDF, one page at a time, through a
// small cgo shim (internal/mupdf) over the MuPDF library go-fitz links.
//
// Output: every page starts with a marker line `<!-- page N -->`, where N is
// the physical page number (1-based, as a viewer counts pages, not the label
// printed on the page); empty pages keep their marker, so page numbers survive
// chunking and can be cited. The text is rebuilt from MuPDF's structured
// text (every line with its box, font size, weight and the position of each
// character; see layout.go) and the straight rules drawn on the page:
//   - lines are grouped into rows by baseline; wrapped lines of the same font,
//     close below and aligned (or under an indented first line, or under a
//     list item's text), are joined into one paragraph;
//   - ruled tables (rules that close a grid) become markdown pipe tables
//     whose cells come from the grid (rules.go): spanning cells (row spans
//     repeat their text down, column spans repeat it in header rows and
//     leave data rows blank), lines cut at the column rules they cross, a
//     title row written before the table, two-level headers joined into
//     one header row; a row the page break cuts (drawn open at the foot of
//     the page, or drawn whole on both pages and clipped, as wkhtmltopdf
//     does; a line less than half on a page is the other page's) goes on
//     with its rest on the next page, whatever its text;
//   - other rows of two cells or more, with the lines that continue their
//     cells, become markdown pipe tables (blocks.go): columns from left edges shared
//     by several lines (a centred header cell does not make one), cells that
//     wrap or sit in the middle of a tall row joined into their row (padded
//     rows tell row from wrap), cells MuPDF read as one line cut at the
//     word that starts nearest the column start; the first row is the
//     header; in a three-rule table (a rule and a gap under the header
//     only, as LaTeX's booktabs and Word's simple styles set them) rows
//     start where cells start together and a cell does not wrap on; a
//     table (ruled or not) that goes on at the top of the next page with
//     the same columns is continued, its repeated header dropped (so its
//     rows come before that page's marker, and the markers of pages it
//     fills after it);
//   - running headers and footers (rows at the top or bottom of most nearby
//     pages, such as "ETSI TS 138 201 V19.0.0 (2026-01)" and page numbers)
//     leave the text flow: they go to one `<!-- running: ... -->` line after
//     the page marker, so they no longer cut paragraphs at page breaks, a
//     chunker can drop them with the markers, and no word of the page is
//     lost;
//   - a word broken without a hyphen because it is wider than its table
//     cell or than the text ("INTERNAL_EVENT_UE" / "TR_RRC_SCELL_DECO"),
//     as LibreOffice and Word print it, is joined when the line is that one
//     word, ends at the cell or text edge within the padding and a glyph,
//     and the producer, which keeps a space where it wraps between words,
//     kept none there (cellwrap.go); cells centred vertically, half a line
//     apart, still make table rows;
//   - a word hyphenated at a line end is joined; the hyphen is dropped only when
//     the joined word occurs elsewhere in the document and the compound with
//     the hyphen does not (also before a capital: "EUtran-" / "CellTDD"), or
//     the hyphen is a soft hyphen; in table cells only where the document's
//     paragraphs show that the producer hyphenates (a typesetter), or its
//     Producer or Creator names a TeX engine, as a browser or a word
//     processor breaks a cell's line at a compound's own hyphen only; a
//     paragraph cut by a page break is joined when the next page goes on in
//     lower case;
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
// Not done: ruled tables need their top and bottom rules across the whole
// width (or a side left open by a page break); tables drawn with
// horizontal rules only, or with cell shading only, are read from
// alignment. Labels set beside a ruled grid (the "Oct
// 1" of PDU format figures) stay paragraphs; diagrams drawn as closed grids
// of boxes read as tables. A paragraph that goes on from the bottom of one
// column to the top of the next is not joined; footnote markers in the
// body stay as MuPDF reads them (a superscript 1 after a word reads
// "word1"); OCRed pages get no bold, so their headings come only from
// clause numbers and size; and tables in scanned pages are rebuilt from
// word positions only.
//
// MuPDF's warnings and errors (a repaired cross-reference table, a font
// without a character map) never reach stderr: they are counted in
// Info.Meta (mupdf_warnings, mupdf_errors) with the first distinct messages
// (mupdf_messages), for the stage to log; so are those of rendering a page
// for OCR, which runs in the document's own MuPDF context.
//
// Every document gets a text-quality check (replacement characters,
// private-use and control glyphs, fragmented words, text-less pages) recorded
// in Info.Meta, with a warning when it is poor. Encrypted, truncated, corrupt
// and fake PDFs fail with a permanent error (formats.Bad) that says why.
//
// Concurrency: Convert may run in many goroutines at once. Each call opens its
// own MuPDF context (no lock callbacks); documents whose decoding touches MuPDF's few process-wide
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

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
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
		// A panic here is a bug triggered by this input, and converting
		// the same input again would panic again.
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
	// MuPDF reads from memory, so the whole file is held for the
	// conversion, outside the Go heap (see mupdf.Buffer).
	buf, err := mupdf.NewBuffer(int(size))
	if err != nil {
		return info, fmt.Errorf("%s: %w", format, err)
	}
	defer buf.Free()
	data := buf.Bytes()
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

	n, err := doc.Pages()
	if err != nil {
		return info, formats.Bad(format, formats.ErrCorrupt, "MuPDF cannot count the pages%s: %v", f.truncationDetail(", "), err)
	}
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

	producer, creator := cleanMeta(doc.Metadata("info:Producer")), cleanMeta(doc.Metadata("info:Creator"))
	c := newConverter(w, lim.MaxOutput, n)
	c.typesetter = hyphenatingProducer(producer, creator)
	ocr := newOCRRunner(ctx, opts.OCR, doc)
	defer ocr.close()
	for i := range n {
		if err := ctx.Err(); err != nil {
			return info, fmt.Errorf("%s: %w", format, err)
		}
		pg, err := doc.Page(i)
		if err := ocr.add(ctx, c, i+1, pg, err); err != nil {
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
	if info.Title == "" {
		info.Title = cleanMeta(doc.Metadata("info:Title"))
	}
	putMeta(info.Meta, "pdf_producer", producer)
	putMeta(info.Meta, "pdf_creator", creator)
	putMeta(info.Meta, "pdf_version", cleanMeta(doc.Metadata("format")))
	if enc := cleanMeta(doc.Metadata("encryption")); enc != "" && enc != "None" {
		info.Meta["pdf_encryption"] = enc
	}
	putMessages(info.Meta, doc.Messages())
	q.putMeta(info.Meta)
	info.Meta["running_blocks"] = strconv.Itoa(c.running)
	info.Meta["headings"] = strconv.Itoa(c.headings.count)
	info.Meta["tables"] = strconv.Itoa(c.tables)
	info.Meta["ruled_tables"] = strconv.Itoa(c.ruled)
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
func open(b []byte, f facts) (*mupdf.Document, error) {
	doc, err := mupdf.Open(b)
	if err == nil {
		return doc, nil
	}
	if doc != nil {
		doc.Close()
	}
	switch {
	case errors.Is(err, mupdf.ErrContext):
		return nil, fmt.Errorf("%s: %w", format, err)
	case errors.Is(err, mupdf.ErrNeedsPassword):
		return nil, formats.Bad(format, formats.ErrEncrypted, "the document needs a password to open (%s)", f.encryptionDetail())
	case f.encrypted:
		return nil, formats.Bad(format, formats.ErrEncrypted, "encrypted, and MuPDF cannot open it: %v", err)
	case f.truncated():
		return nil, formats.Bad(format, formats.ErrCorrupt, "truncated: %s; MuPDF cannot open it: %v", f.truncationDetail(""), err)
	}
	return nil, formats.Bad(format, formats.ErrCorrupt, "MuPDF cannot open it (broken cross-reference table or objects): %v", err)
}

// cleanMeta collapses the white space of a metadata value.
func cleanMeta(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Bounds on the MuPDF messages kept in Info.Meta.
const (
	metaMessages   = 5
	metaMessageLen = 120
)

// putMessages records what MuPDF warned about while reading the document
// (a repaired cross-reference table, a font without a character map): the
// counts, and the first distinct messages with their counts, so that the
// stage can log them. MuPDF itself prints nothing.
func putMessages(m map[string]string, msgs mupdf.Messages) {
	m["mupdf_warnings"] = strconv.Itoa(msgs.Warnings)
	if msgs.Errors > 0 {
		m["mupdf_errors"] = strconv.Itoa(msgs.Errors)
	}
	var parts []string
	for i, d := range msgs.Distinct {
		if i == metaMessages {
			parts = append(parts, "...")
			break
		}
		t := d.Text
		if len(t) > metaMessageLen {
			t = strings.ToValidUTF8(t[:metaMessageLen], "") + "..."
		}
		if d.Error {
			t = "error: " + t
		}
		if d.Count > 1 {
			t += " (x" + strconv.Itoa(d.Count) + ")"
		}
		parts = append(parts, t)
	}
	putMeta(m, "mupdf_messages", strings.Join(parts, " | "))
}

func putMeta(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}
