package sheet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

const (
	// headSize is how much of the file is looked at to choose the encoding and
	// the delimiter.
	headSize = 64 << 10
	// maxRecord bounds one CSV record. Only an unbalanced quote makes one this
	// large, and it would otherwise swallow the rest of the file into memory.
	maxRecord = 16 << 20
	// maxParseErrors is how many malformed records are skipped before the
	// file is refused.
	maxParseErrors = 100
)

var errRecordTooLarge = errors.New("record too large")

// delimiters are the candidates of sniffDelimiter, in order of preference.
var delimiters = []rune{',', ';', '\t'}

// ConvertCSV writes the records of the CSV file read from r to w, one
// paragraph per row, as they are read: memory does not grow with the file.
// The encoding is the byte order mark's, else opt.Encoding, else detected; the
// delimiter (comma, semicolon or tab) is sniffed from the first 64 KiB; the
// header row is found below any title rows (see findHeader). Info.Meta tells
// what was chosen: encoding, delimiter, header_row (the record number, 0 when
// there is none), columns, title_rows and records. Quoted fields may span
// lines. Errors for bad input are permanent (formats.Bad); a read error from r
// is returned as is.
func ConvertCSV(ctx context.Context, r io.Reader, w io.Writer, lim formats.Limits, opt Options) (formats.Info, error) {
	lim = lim.WithDefaults()
	info := formats.Info{Meta: map[string]string{}}

	raw := bufio.NewReaderSize(r, headSize)
	head, err := raw.Peek(headSize)
	if err != nil && err != io.EOF {
		return info, fmt.Errorf("csv: read: %w", err)
	}
	enc, name, bom, err := csvEncoding(head, opt.Encoding)
	if err != nil {
		return info, err
	}
	info.Meta["encoding"] = name
	_, _ = raw.Discard(bom)
	var src io.Reader = raw
	if enc != nil {
		src = transform.NewReader(raw, enc.NewDecoder())
	}
	guard := &guardReader{r: src, max: maxRecord}
	text := bufio.NewReaderSize(guard, headSize)
	thead, err := text.Peek(headSize)
	if err != nil && err != io.EOF {
		return info, readError(err)
	}
	delim, hint := sniffDelimiter(thead)
	_, _ = text.Discard(hint)
	info.Meta["delimiter"] = string(delim)

	cr := csv.NewReader(text)
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	md := newMDWriter(w, formatCSV, lim.MaxStreamedOutput)
	t := newTable(md, opt.Name, func(i int) string { return "Column " + strconv.Itoa(i+1) })
	n, bad := 0, 0
	for md.err == nil {
		guard.n = 0
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var perr *csv.ParseError
		switch {
		case errors.As(err, &perr) && !errors.Is(err, errRecordTooLarge):
			if bad++; bad > maxParseErrors {
				return info, formats.Bad(formatCSV, formats.ErrCorrupt, "more than %d malformed records, the last: %v", maxParseErrors, err)
			}
			info.Warnings = append(info.Warnings, err.Error())
			continue
		case err != nil:
			return info, readError(err)
		}
		n++
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return info, err
			}
		}
		t.add(n, rec, nil)
	}
	t.close()
	if err := md.flush(); err != nil {
		return info, err
	}
	info.Meta["header_row"] = strconv.Itoa(t.headerRow)
	info.Meta["columns"] = strconv.Itoa(t.columns)
	info.Meta["title_rows"] = strconv.Itoa(t.titleRows)
	info.Meta["records"] = strconv.Itoa(t.records)
	return info, nil
}

// readError classifies an error met while reading: a record over maxRecord
// is bad input, a decoding error too; anything else comes from the reader.
func readError(err error) error {
	switch {
	case errors.Is(err, errRecordTooLarge):
		return formats.Bad(formatCSV, formats.ErrTooLarge, "a record passes %d bytes (an unbalanced quote?)", maxRecord)
	case errors.Is(err, transform.ErrShortSrc), errors.Is(err, transform.ErrShortDst):
		return formats.Bad(formatCSV, formats.ErrCorrupt, "%v", err)
	}
	return fmt.Errorf("csv: read: %w", err)
}

// csvEncoding chooses the decoder for a file that starts with head: its byte
// order mark's (bom is the mark's length, to skip), else given, else the one
// detect names. A nil decoder means UTF-8, read as is: cleanCell mends stray
// bytes.
func csvEncoding(head []byte, given string) (enc encoding.Encoding, name string, bom int, err error) {
	name, bom = textnorm.BOM(head)
	if name == "" {
		name = given
	}
	if name == "" {
		name = detect.Charset(head, detect.FormatCSV)
	}
	enc, canon, err := textnorm.Lookup(name)
	if err != nil && given != "" && bom == 0 {
		// A name detect gave that nothing decodes: guess from the bytes.
		enc, canon, err = textnorm.Lookup(detect.Charset(head, detect.FormatCSV))
	}
	if err != nil {
		return nil, "", 0, fault.Permanent(fmt.Errorf("csv: %w", err))
	}
	if canon == "UTF-8" {
		return nil, canon, bom, nil
	}
	return enc, canon, bom, nil
}

// sniffDelimiter chooses the delimiter that splits the records of head into
// the most consistent number of fields (quotes respected, so a comma inside a
// quoted field does not count); a near tie goes to the one giving more
// fields. A first line "sep=;" (Excel's hint) decides instead and skip is its
// length.
func sniffDelimiter(head []byte) (delim rune, skip int) {
	if bytes.HasPrefix(head, []byte("sep=")) && len(head) >= 5 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line = head[:i+1]
		}
		if d := bytes.TrimRight(line[4:], "\r\n"); len(d) == 1 && d[0] != '"' {
			return rune(d[0]), len(line)
		}
	}
	if len(head) == headSize {
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i+1]
		}
	}
	best, bestCons, bestWidth := ',', -1.0, 0
	for _, d := range delimiters {
		cons, width := consistency(head, d)
		if width < 2 {
			continue
		}
		if cons > bestCons+0.05 || cons >= bestCons-0.05 && width > bestWidth {
			best, bestCons, bestWidth = d, cons, width
		}
	}
	return best, 0
}

// consistency parses up to 200 records of head split by d and returns the
// share of them that have the most common field count, and that count.
func consistency(head []byte, d rune) (float64, int) {
	cr := csv.NewReader(bytes.NewReader(head))
	cr.Comma = d
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	count := map[int]int{}
	n := 0
	for n < 200 {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		count[len(rec)]++
		n++
	}
	mode, modeN := 0, 0
	for width, c := range count {
		if c > modeN || c == modeN && width > mode {
			mode, modeN = width, c
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(modeN) / float64(n), mode
}

// guardReader fails once more than max bytes have been read since n was last
// reset, which ConvertCSV does at every record.
type guardReader struct {
	r      io.Reader
	n, max int64
}

func (g *guardReader) Read(p []byte) (int, error) {
	if g.n > g.max {
		return 0, errRecordTooLarge
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}
