// Package doc converts Word 97-2003 binary documents (.doc: 3GPP tdocs and
// older specifications) to normalized markdown-like text. It reads the OLE
// compound file (package cfb), the File Information Block, the piece table
// and the paragraph and character properties in pure Go: paragraphs become
// paragraphs, built-in heading styles become `#` headings, tables become pipe
// tables row by row, field codes are dropped in favour of their results, and
// text marked deleted by tracked changes or hidden is left out.
package doc

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/doc/cfb"
	"github.com/ranstream/ranstream/pkg/formats/markdown"
	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// format names this converter in errors.
const format = "doc"

// Convert writes the text of the Word 97-2003 document in r (size bytes) to w
// and returns what it learned about the document: for 3GPP documents, the
// cover-page facts in Info.Meta (spec, version, release, tdoc...) and a title.
// Bad input gives a permanent error wrapping formats.ErrNotFormat,
// ErrEncrypted, ErrCorrupt or ErrTooLarge.
func Convert(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error) {
	lim = lim.WithDefaults()
	var info formats.Info
	f, err := cfb.Open(r, size)
	if err != nil {
		return info, classify(err)
	}
	wd, ok := f.Lookup("WordDocument")
	if !ok {
		if _, enc := f.Lookup("EncryptedPackage"); enc {
			return info, formats.Bad(format, formats.ErrEncrypted, "encrypted OOXML package")
		}
		return info, formats.Bad(format, formats.ErrNotFormat, "compound file without a WordDocument stream")
	}
	doc, err := f.ReadStream(wd, 0)
	if err != nil {
		return info, classify(err)
	}
	fb, err := parseFIB(doc)
	if err != nil {
		return info, err
	}
	if fb.encrypted || fb.obfusc {
		return info, formats.Bad(format, formats.ErrEncrypted, "password-protected Word document")
	}
	tableName := "0Table"
	if fb.table1 {
		tableName = "1Table"
	}
	var table []byte
	if te, ok := f.Lookup(tableName); ok {
		if table, err = f.ReadStream(te, 0); err != nil {
			return info, classify(err)
		}
	}

	total := uint64(0)
	for _, n := range fb.ccp {
		total += uint64(n)
	}
	if total > uint64(len(doc)) {
		return info, formats.Bad(format, formats.ErrCorrupt, "FIB counts %d characters in a %d-byte stream", total, len(doc))
	}
	var pieces []piece
	if clx := fb.slice(fcClx, table); clx != nil {
		if pieces, err = parseClx(clx, len(doc)); err != nil {
			return info, err
		}
	} else if fb.complex {
		return info, formats.Bad(format, formats.ErrCorrupt, "complex document without a piece table")
	} else {
		pieces = nonComplexPieces(doc, uint32(total))
	}
	if len(pieces) == 0 {
		return info, formats.Bad(format, formats.ErrCorrupt, "no text pieces")
	}

	var data []byte
	if de, ok := f.Lookup("Data"); ok {
		if data, err = f.ReadStream(de, 0); err != nil {
			return info, classify(err)
		}
	}
	pr := newProps(doc, data, parseBte(fb.slice(fcPlcfBtePapx, table)), parseBte(fb.slice(fcPlcfBteChpx, table)))
	t := &textBuilder{
		ctx:    ctx,
		md:     markdown.NewWriter(w, lim.MaxOutput, format),
		styles: parseStyles(fb.slice(fcStshf, table)),
		props:  pr,
		limit:  lim.MaxOutput,
	}
	// Main text, then footnotes and endnotes as paragraphs after it.
	main := fb.ccp[ccpText]
	ftn := main + fb.ccp[ccpFtn]
	ednStart := ftn + fb.ccp[ccpHdd] + fb.ccp[ccpAtn]
	ranges := [][2]uint32{{0, main}, {main, ftn}, {ednStart, ednStart + fb.ccp[ccpEdn]}}
	for _, rg := range ranges {
		if rg[1] <= rg[0] {
			continue
		}
		if err := t.run(doc, pieces, rg[0], rg[1]); err != nil {
			return info, err
		}
		t.endStory()
	}
	if err := t.md.Flush(); err != nil {
		return info, err
	}
	if t.md.Blocks() == 0 {
		info.Warnings = append(info.Warnings, "no text found")
	}
	if c, ok := threegpp.ParseCover(t.cover); ok {
		info.Title = c.DisplayTitle()
		info.Meta = c.Meta()
	}
	return info, nil
}

// classify turns a cfb error into the converter's permanent error.
func classify(err error) error {
	switch {
	case errors.Is(err, cfb.ErrNotCFB):
		return formats.Bad(format, formats.ErrNotFormat, "not an OLE compound file")
	case errors.Is(err, formats.ErrCorrupt):
		return formats.Bad(format, formats.ErrCorrupt, "%v", err)
	case errors.Is(err, formats.ErrTooLarge):
		return formats.Bad(format, formats.ErrTooLarge, "%v", err)
	}
	return err
}

// Control characters of the Word text stream.
const (
	chCellMark    = 0x07
	chTab         = 0x09
	chLineBreak   = 0x0B
	chPageBreak   = 0x0C
	chParaEnd     = 0x0D
	chColumnBreak = 0x0E
	chFieldBegin  = 0x13
	chFieldSep    = 0x14
	chFieldEnd    = 0x15
	chNBHyphen    = 0x1E
	chSoftHyphen  = 0x1F
	maxFieldDepth = 64
	maxFieldCode  = 1 << 16
	checkEvery    = 1 << 16
)

// textBuilder turns the character stream into blocks: paragraphs, headings,
// list items, code lines and tables.
type textBuilder struct {
	ctx    context.Context
	md     *markdown.Writer
	styles []style
	props  *props
	limit  int64

	para      strings.Builder
	fields    []bool // per open field: still in its code part
	codeChars int    // characters dropped as field code since the last field mark
	cover     []string

	// The table being read: finished rows, the row's finished cells, and the
	// text of the cell being read.
	rows       [][]string
	row        []string
	cell       strings.Builder
	tableBytes int64
	lastCell   bool // the previous mark was a cell mark (fallback without PAPX)
	surrogate  rune
}

// run feeds the characters [from, to) of the CP space to the builder.
func (t *textBuilder) run(doc []byte, pieces []piece, from, to uint32) error {
	n := 0
	for i := range pieces {
		p := &pieces[i]
		if p.cpEnd <= from || p.cp >= to {
			continue
		}
		for cp := max(p.cp, from); cp < min(p.cpEnd, to); cp++ {
			if n++; n%checkEvery == 0 {
				if err := t.ctx.Err(); err != nil {
					return err
				}
				if t.md.Err() != nil {
					return t.md.Err()
				}
			}
			r, fc := p.charAt(doc, cp)
			if p.deleted {
				continue
			}
			cprops := t.props.character(fc)
			if cprops.deleted {
				continue
			}
			if cprops.hidden || p.hidden {
				if r != chParaEnd && r != chCellMark {
					continue
				}
			}
			t.char(r, fc)
		}
	}
	if t.tableBytes > t.limit {
		return formats.Bad(format, formats.ErrTooLarge, "table passes the %d-byte output limit", t.limit)
	}
	return t.md.Err()
}

func (t *textBuilder) inCode() bool {
	for _, c := range t.fields {
		if c {
			return true
		}
	}
	return false
}

// char handles one character at file offset fc.
func (t *textBuilder) char(r rune, fc uint32) {
	switch r {
	case chFieldBegin:
		if len(t.fields) < maxFieldDepth {
			t.fields = append(t.fields, true)
		}
		t.codeChars = 0
		return
	case chFieldSep:
		if n := len(t.fields); n > 0 {
			t.fields[n-1] = false
		}
		return
	case chFieldEnd:
		if n := len(t.fields); n > 0 {
			t.fields = t.fields[:n-1]
		}
		return
	}
	if r != chParaEnd && r != chCellMark && r != chPageBreak && t.inCode() {
		// A field code is a few dozen characters; one that runs on is a
		// field whose end was lost, and the text after it is kept.
		if t.codeChars++; t.codeChars > maxFieldCode {
			t.fields, t.codeChars = t.fields[:0], 0
		}
		return
	}
	switch {
	case r == chParaEnd || r == chPageBreak:
		t.endParagraph(t.props.paragraph(fc))
	case r == chCellMark:
		t.endCell(t.props.paragraph(fc))
	case r == chTab:
		t.para.WriteByte('\t')
	case r == chLineBreak || r == chColumnBreak:
		t.para.WriteByte('\n')
	case r == chNBHyphen:
		t.para.WriteByte('-')
	case r == chSoftHyphen:
	case r == 0xA0:
		t.para.WriteByte(' ')
	case r < 0x20:
		// Other marks: pictures, footnote references, drawn objects.
	case r >= 0xD800 && r < 0xDC00:
		t.surrogate = r
		return
	case r >= 0xDC00 && r < 0xE000:
		if t.surrogate != 0 {
			t.para.WriteRune(0x10000 + (t.surrogate-0xD800)<<10 + (r - 0xDC00))
		}
	case r >= 0xF000 && r <= 0xF0FF:
		// Symbol-font glyphs with no Unicode meaning.
	default:
		t.para.WriteRune(r)
	}
	t.surrogate = 0
}

// endParagraph ends the paragraph whose mark has properties p.
func (t *textBuilder) endParagraph(p pap) {
	text := t.para.String()
	t.para.Reset()
	t.noteCover(text)
	if p.inTable || p.itap >= 1 || p.innerCell || p.innerTtp {
		// A paragraph inside a cell, or a nested table's cell or row:
		// flattened into the outer cell.
		if s := strings.TrimSpace(text); s != "" {
			if t.cell.Len() > 0 {
				t.cell.WriteByte('\n')
			}
			t.cell.WriteString(s)
			t.tableBytes += int64(len(s))
		}
		t.lastCell = false
		return
	}
	t.flushTable()
	t.emit(p, text)
}

// endCell ends a table cell, or the row when the mark is the row's end.
func (t *textBuilder) endCell(p pap) {
	text := strings.TrimSpace(t.para.String())
	t.para.Reset()
	t.noteCover(text)
	rowEnd := p.ttp
	if !p.found {
		// Without paragraph properties, a mark right after a cell mark with
		// no text in between ends the row.
		rowEnd = t.lastCell && text == "" && t.cell.Len() == 0 && len(t.row) > 0
	}
	if rowEnd {
		if len(t.row) > 0 {
			t.rows = append(t.rows, t.row)
		}
		t.row = nil
		t.cell.Reset()
		t.lastCell = false
		return
	}
	if text != "" {
		if t.cell.Len() > 0 {
			t.cell.WriteByte('\n')
		}
		t.cell.WriteString(text)
		t.tableBytes += int64(len(text))
	}
	t.row = append(t.row, t.cell.String())
	t.cell.Reset()
	t.tableBytes += 4 // what an empty cell costs in a pipe table
	t.lastCell = true
}

// flushTable writes the table read so far, if any.
func (t *textBuilder) flushTable() {
	if len(t.row) > 0 || t.cell.Len() > 0 {
		if t.cell.Len() > 0 {
			t.row = append(t.row, t.cell.String())
			t.cell.Reset()
		}
		t.rows = append(t.rows, t.row)
		t.row = nil
	}
	if len(t.rows) > 0 {
		t.md.Table(t.rows)
		t.rows = nil
	}
	t.tableBytes = 0
	t.lastCell = false
}

// endStory ends a text story (main text, footnotes, endnotes).
func (t *textBuilder) endStory() {
	if t.para.Len() > 0 {
		t.endParagraph(pap{})
	}
	t.flushTable()
	t.fields = t.fields[:0]
}

// emit writes a paragraph outside tables according to its style.
func (t *textBuilder) emit(p pap, text string) {
	var st style
	if int(p.istd) < len(t.styles) {
		st = t.styles[p.istd]
	}
	// Headings come from styles only: a direct outline level on a Normal
	// paragraph (tdoc cover lines such as "Source:") is not a heading.
	level := st.heading
	switch {
	case st.code:
		t.md.CodeLine(text)
	case level > 0:
		t.md.Heading(markdown.AnnexLevel(level, text), text)
	case p.ilfo > 0:
		t.md.ListItem(p.ilvl, false, text)
	default:
		t.md.Para(text)
	}
}

// noteCover keeps the first lines of the document for the cover page.
func (t *textBuilder) noteCover(text string) {
	if len(t.cover) >= threegpp.MaxCoverLines {
		return
	}
	if s := strings.TrimSpace(text); s != "" {
		t.cover = append(t.cover, s)
	}
}
