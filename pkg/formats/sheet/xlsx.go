package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/doc/cfb"
)

// Limits on a workbook, against zip bombs and the like.
const (
	// maxWorkbook is the largest .xlsx file read; excelize holds it in memory.
	maxWorkbook = 512 << 20
	// maxUnzipped bounds the unpacked size of all parts together, as declared
	// in the zip directory and enforced while inflating.
	maxUnzipped = 2 << 30
	// maxInMemoryXML is the largest worksheet or shared-string part kept in
	// memory; larger ones are unpacked to a temporary file and streamed.
	maxInMemoryXML = 16 << 20
	// A part over bombSize that packs more than bombRatio times smaller is a
	// zip bomb: real worksheets compress 5 to 30 times.
	bombSize  = 256 << 20
	bombRatio = 200
	// maxSheetMeta is how many sheets get their own keys in Info.Meta.
	maxSheetMeta = 50
)

// ConvertXLSX writes every sheet of the workbook in r (size bytes) to w: a `#`
// heading with the sheet name, then its rows as records, streamed with
// excelize's row iterator. Formula cells show the value Excel cached; a merged
// range repeats its value down its rows (and names every column it spans in a
// header). Info.Title is the workbook's title property; Info.Meta has
// "sheets", "records" (all sheets) and, for each of the first 50 sheets k
// (1-based), "sheetK.name", "sheetK.header_row" (0: none found),
// "sheetK.columns", "sheetK.title_rows" and "sheetK.records". Bad input gives
// a permanent error wrapping formats.ErrNotFormat (not a workbook, or a legacy
// .xls), ErrEncrypted, ErrCorrupt or ErrTooLarge; an error reading r, or the
// temporary directory, stays transient.
func ConvertXLSX(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error) {
	lim = lim.WithDefaults()
	info := formats.Info{Meta: map[string]string{}}
	src := &watchedReaderAt{r: r}
	r = src
	if size > maxWorkbook {
		return info, formats.Bad(formatXLSX, formats.ErrTooLarge, "%d-byte workbook is over the %d-byte limit", size, maxWorkbook)
	}
	zr, err := openWorkbookZip(r, size)
	var parts map[string]*zip.File
	if err == nil {
		parts = sheetParts(zr)
		err = verifyParts(zr, parts)
	}
	if err != nil {
		return info, src.blame(err)
	}

	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: maxInMemoryXML,
	})
	if err != nil {
		return info, src.blame(classifyXLSX(err))
	}
	defer f.Close()
	if props, err := f.GetDocProps(); err == nil && props != nil {
		info.Title = cleanCell(props.Title)
	}

	md := newMDWriter(w, formatXLSX, lim.MaxOutput)
	sheets := f.GetSheetList()
	info.Meta["sheets"] = strconv.Itoa(len(sheets))
	read := 0
	records := 0
	for k, name := range sheets {
		// Per-sheet facts for the first maxSheetMeta sheets only: a generated
		// workbook may have hundreds.
		key := "sheet" + strconv.Itoa(k+1) + "."
		if k < maxSheetMeta {
			info.Meta[key+"name"] = name
		}
		t, err := convertSheet(ctx, f, name, parts[name], md)
		var zerr zipError
		if errors.As(err, &zerr) {
			return info, src.blame(classifyXLSX(zerr.err))
		}
		if md.err != nil {
			return info, md.err
		}
		if ctx.Err() != nil {
			return info, ctx.Err()
		}
		if err != nil {
			info.Warnings = append(info.Warnings, fmt.Sprintf("sheet %q: %v", name, err))
			continue
		}
		read++
		records += t.records
		if k >= maxSheetMeta {
			continue
		}
		info.Meta[key+"header_row"] = strconv.Itoa(t.headerRow)
		info.Meta[key+"columns"] = strconv.Itoa(t.columns)
		info.Meta[key+"title_rows"] = strconv.Itoa(t.titleRows)
		info.Meta[key+"records"] = strconv.Itoa(t.records)
	}
	info.Meta["records"] = strconv.Itoa(records)
	if read == 0 && len(sheets) > 0 {
		return info, formats.Bad(formatXLSX, formats.ErrCorrupt, "no sheet could be read: %s", strings.Join(info.Warnings, "; "))
	}
	return info, md.flush()
}

// openWorkbookZip tells what the bytes are before excelize sees them: an
// encrypted workbook (an OLE file holding an EncryptedPackage), a legacy .xls,
// something else, or a zip that holds a workbook and does not unpack beyond
// maxUnzipped.
func openWorkbookZip(r io.ReaderAt, size int64) (*zip.Reader, error) {
	head := make([]byte, 8)
	if n, _ := r.ReadAt(head, 0); n < len(head) {
		return nil, formats.Bad(formatXLSX, formats.ErrNotFormat, "%d bytes is too short for a workbook", size)
	}
	if cfb.IsCFB(head) {
		if cf, err := cfb.Open(r, size); err == nil {
			if _, ok := cf.Lookup("EncryptedPackage"); ok {
				return nil, formats.Bad(formatXLSX, formats.ErrEncrypted, "password-protected workbook")
			}
		}
		return nil, formats.Bad(formatXLSX, formats.ErrNotFormat, "OLE compound file (a legacy .xls?), not an .xlsx workbook")
	}
	if !bytes.HasPrefix(head, []byte("PK")) {
		return nil, formats.Bad(formatXLSX, formats.ErrNotFormat, "not a zip package")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, formats.Bad(formatXLSX, formats.ErrCorrupt, "zip: %v", err)
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > bombSize && f.UncompressedSize64/max(f.CompressedSize64, 1) > bombRatio {
			return nil, formats.Bad(formatXLSX, formats.ErrTooLarge, "part %s packs %d bytes into %d, a zip bomb's ratio", f.Name, f.UncompressedSize64, f.CompressedSize64)
		}
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), "xl/workbook.xml") {
			workbook = true
		}
	}
	if total > maxUnzipped {
		return nil, formats.Bad(formatXLSX, formats.ErrTooLarge, "%d-byte workbook unpacks to %d bytes, over the %d-byte limit", size, total, uint64(maxUnzipped))
	}
	if !workbook {
		return nil, formats.Bad(formatXLSX, formats.ErrNotFormat, "zip package without xl/workbook.xml")
	}
	return zr, nil
}

// watchedReaderAt remembers the first error of the reader it wraps, other
// than io.EOF, so that a failure to read the document (a blob store going
// away) is not taken for a corrupt workbook.
type watchedReaderAt struct {
	r   io.ReaderAt
	err error
}

func (w *watchedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := w.r.ReadAt(p, off)
	if err != nil && err != io.EOF && w.err == nil {
		w.err = err
	}
	return n, err
}

// blame returns the read error in place of err when there was one.
func (w *watchedReaderAt) blame(err error) error {
	if w.err != nil {
		return fmt.Errorf("%s: read: %w", formatXLSX, w.err)
	}
	return err
}

// zipError is a failure to unpack a part: the package is corrupt, and so is
// whatever excelize read from it (it keeps a part cut short without a word).
type zipError struct{ err error }

func (e zipError) Error() string { return e.err.Error() }

// verifyParts unpacks every part except the worksheets in sheets (their
// merged-cell scan unpacks them) and checks its size and checksum: excelize
// ignores a part that inflates to more than it declares, or fails its CRC.
func verifyParts(zr *zip.Reader, sheets map[string]*zip.File) error {
	scanned := make(map[*zip.File]bool, len(sheets))
	for _, f := range sheets {
		scanned[f] = true
	}
	for _, f := range zr.File {
		if scanned[f] || f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			return formats.Bad(formatXLSX, formats.ErrCorrupt, "part %s: %v", f.Name, err)
		}
	}
	return nil
}

// convertSheet writes one sheet and returns its table for the counts.
func convertSheet(ctx context.Context, f *excelize.File, name string, part *zip.File, md *mdWriter) (*table, error) {
	var m merger
	if part != nil {
		merges, err := scanMerges(part)
		if err != nil {
			return nil, zipError{err}
		}
		m.all = merges
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := newTable(md, name, func(i int) string {
		col, _ := excelize.ColumnNumberToName(i + 1)
		return "Column " + col
	})
	num := 0
	for rows.Next() {
		num++
		if num%1024 == 0 && ctx.Err() != nil {
			return t, ctx.Err()
		}
		cells, err := rows.Columns()
		if err != nil {
			return t, err
		}
		cells, cont := m.apply(num, cells)
		t.add(num, cells, cont)
		if md.err != nil {
			return t, md.err
		}
	}
	if err := rows.Error(); err != nil {
		return t, err
	}
	t.close()
	return t, nil
}

// classifyXLSX turns an error from excelize or the zip reader into a permanent
// one for bad input; failures of the temporary directory stay transient.
func classifyXLSX(err error) error {
	var syntax *xml.SyntaxError
	var flateErr flate.CorruptInputError
	var pathErr *fs.PathError
	switch {
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return formats.Bad(formatXLSX, formats.ErrTooLarge, "%v", err)
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		return formats.Bad(formatXLSX, formats.ErrEncrypted, "%v", err)
	case errors.As(err, &pathErr):
		return fmt.Errorf("%s: %w", formatXLSX, err)
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &syntax), errors.As(err, &flateErr):
		return formats.Bad(formatXLSX, formats.ErrCorrupt, "%v", err)
	}
	return formats.Bad(formatXLSX, formats.ErrCorrupt, "%v", err)
}
