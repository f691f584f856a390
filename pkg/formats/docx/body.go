package docx

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/markdown"
	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// Limits of the body walker against hostile nesting.
const (
	maxNesting    = 32   // tables and text boxes inside each other
	maxDepth      = 4096 // XML elements inside each other
	maxFieldDepth = 64
	maxFieldCode  = 1 << 16 // bytes of field code before the field is taken as broken
	maxGridSpan   = 64
	checkEvery    = 4096 // tokens between context checks
)

// para is one paragraph as read from document.xml.
type para struct {
	style  string
	numID  string
	ilvl   int
	hasNum bool // numPr on the paragraph (numID "0" switches numbering off)
	text   string
	label  string   // the list label Word shows, for numbered paragraphs
	boxes  []string // paragraphs of text boxes anchored in the paragraph
}

// sink receives the blocks of a container: the body, a table cell, a text box.
type sink interface {
	paragraph(p *para)
	table(rows [][]string)
}

// parser walks document.xml token by token (encoding/xml's RawToken, with
// elements matched by local name), so that a 40 MB body never sits in memory
// as a tree. Tables are the only structure held whole, because a pipe table
// cannot be written before its rows are known.
type parser struct {
	ctx        context.Context
	d          *xml.Decoder
	styles     *styleSheet
	num        *numbering
	md         *markdown.Writer
	limit      int64
	cover      []string
	fields     []bool // per open field: still in its code part
	codeBytes  int    // text dropped as field code since the last field mark
	tokens     int
	open       []xml.Name // the elements open at this point, to check nesting
	nesting    int
	tableBytes int64
}

// errEOF is the error for a document.xml that ends inside the body.
var errEOF = errors.New("document.xml ends inside an element")

func (p *parser) next() (xml.Token, error) {
	tok, err := p.d.RawToken()
	if err != nil {
		if err == io.EOF {
			return nil, errEOF
		}
		return nil, err
	}
	// RawToken leaves nesting unchecked (that is what makes it cheap).
	switch t := tok.(type) {
	case xml.StartElement:
		if len(p.open) >= maxDepth {
			return nil, &xml.SyntaxError{Msg: "elements nested deeper than " + strconv.Itoa(maxDepth)}
		}
		p.open = append(p.open, t.Name)
	case xml.EndElement:
		n := len(p.open)
		if n == 0 || p.open[n-1] != t.Name {
			return nil, &xml.SyntaxError{Msg: "element <" + t.Name.Local + "> closed but not open"}
		}
		p.open = p.open[:n-1]
	}
	if p.tokens++; p.tokens%checkEvery == 0 {
		if err := p.ctx.Err(); err != nil {
			return nil, err
		}
		if p.md.Err() != nil {
			return nil, p.md.Err()
		}
	}
	return tok, nil
}

// skip consumes the rest of the element whose start tag was just read.
func (p *parser) skip() error {
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// on reports whether an on/off property (w:vanish, w:del...) is on: present
// without a value, or with a true value.
func on(t xml.StartElement) bool {
	v, ok := attr(t, "val")
	if !ok {
		return true
	}
	switch v {
	case "0", "false", "off":
		return false
	}
	return true
}

// document reads document.xml up to the end of its body.
func (p *parser) document() error {
	for {
		tok, err := p.next()
		if err != nil {
			if errors.Is(err, errEOF) {
				return formats.Bad(format, formats.ErrNotFormat, "document.xml has no body")
			}
			return err
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "body" {
			if err := p.container(&bodySink{p: p}, nil); err != nil {
				return err
			}
			return p.rest()
		}
	}
}

// rest reads what follows the body, to the end of the document element.
func (p *parser) rest() error {
	for len(p.open) > 0 {
		if _, err := p.next(); err != nil {
			return err
		}
	}
	return nil
}

// skipped are the elements whose content is never text of the document:
// tracked deletions and moves away, properties, alternate content that
// repeats a choice already read.
var skipped = map[string]bool{
	"del": true, "moveFrom": true, "sectPr": true, "sdtPr": true, "sdtEndPr": true,
	"customXmlPr": true, "smartTagPr": true, "Fallback": true, "tblPr": true,
	"tblGrid": true, "tblPrEx": true, "rPr": true, "pPr": true, "fldData": true,
	"delText": true, "delInstrText": true, "instrText": true, "commentReference": true,
}

// container reads block content (paragraphs and tables) until the end of the
// element whose start tag was just read; hook sees other elements first.
func (p *parser) container(s sink, hook func(xml.StartElement) (bool, error)) error {
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if hook != nil {
				done, err := hook(t)
				if err != nil {
					return err
				}
				if done {
					continue
				}
			}
			switch {
			case t.Name.Local == "p":
				pa, err := p.paragraph()
				if err != nil {
					return err
				}
				s.paragraph(pa)
			case t.Name.Local == "tbl":
				rows, err := p.table()
				if err != nil {
					return err
				}
				s.table(rows)
			case skipped[t.Name.Local]:
				if err := p.skip(); err != nil {
					return err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// paragraph reads a w:p.
func (p *parser) paragraph() (*para, error) {
	pa := &para{}
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch l := t.Name.Local; {
			case l == "pPr":
				err = p.paragraphProps(pa)
			case l == "r":
				err = p.run(&b, pa)
			case l == "txbxContent":
				var lines []string
				lines, err = p.textBox()
				pa.boxes = append(pa.boxes, lines...)
			case l == "tbl":
				// Not valid inside a paragraph; read it as text boxes are.
				var rows [][]string
				if rows, err = p.table(); err == nil {
					pa.boxes = append(pa.boxes, flatten(rows)...)
				}
			case l == "p":
				// A paragraph inside a paragraph (invalid): its text joins.
				var inner *para
				if inner, err = p.paragraph(); err == nil && inner.text != "" {
					b.WriteByte(' ')
					b.WriteString(inner.text)
				}
			case skipped[l]:
				err = p.skip()
			default:
				depth++
			}
			if err != nil {
				return nil, err
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
				continue
			}
			pa.text = b.String()
			p.finishParagraph(pa)
			return pa, nil
		}
	}
}

// finishParagraph resolves the paragraph's numbering and notes its text for
// the cover page.
func (p *parser) finishParagraph(pa *para) {
	if !pa.hasNum {
		pa.numID, pa.ilvl, pa.hasNum = p.styles.numbering(pa.style)
	}
	if pa.hasNum && (pa.numID == "0" || pa.numID == "") {
		pa.hasNum = false
	}
	if pa.hasNum {
		pa.label = p.num.next(pa.numID, pa.ilvl)
	}
	if len(p.cover) < threegpp.MaxCoverLines {
		if s := strings.TrimSpace(pa.text); s != "" {
			p.cover = append(p.cover, s)
		}
	}
}

// paragraphProps reads w:pPr: style and list numbering. Old properties of a
// tracked formatting change (w:pPrChange) are skipped.
func (p *parser) paragraphProps(pa *para) error {
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "pStyle":
				pa.style, _ = attr(t, "val")
				depth++
			case "numId":
				pa.numID, _ = attr(t, "val")
				pa.hasNum = true
				depth++
			case "ilvl":
				v, _ := attr(t, "val")
				pa.ilvl, _ = strconv.Atoi(v)
				depth++
			case "pPrChange", "rPr", "sectPr":
				if err := p.skip(); err != nil {
					return err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

func (p *parser) inFieldCode() bool {
	for _, c := range p.fields {
		if c {
			return true
		}
	}
	return false
}

// run reads a w:r (or m:r of an equation) into b.
func (p *parser) run(b *strings.Builder, pa *para) error {
	hidden := false
	write := func(s string) {
		switch {
		case hidden:
		case p.inFieldCode():
			// A field code is short; one that runs on is a field whose end
			// was lost, and the text after it is kept.
			if p.codeBytes += len(s); p.codeBytes > maxFieldCode {
				p.fields, p.codeBytes = p.fields[:0], 0
			}
		default:
			b.WriteString(s)
		}
	}
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		t, isStart := tok.(xml.StartElement)
		if !isStart {
			if _, isEnd := tok.(xml.EndElement); isEnd {
				if depth == 0 {
					return nil
				}
				depth--
			}
			continue
		}
		switch l := t.Name.Local; l {
		case "rPr":
			hidden, err = p.runProps()
		case "t":
			var s string
			if s, err = p.text(); err == nil {
				write(s)
			}
		case "tab", "ptab":
			write("\t")
			err = p.skip()
		case "br", "cr":
			write("\n")
			err = p.skip()
		case "noBreakHyphen":
			write("-")
			err = p.skip()
		case "sym":
			if c, ok := attr(t, "char"); ok {
				if r, perr := strconv.ParseUint(c, 16, 32); perr == nil && (r < 0xF000 || r > 0xF0FF) && r >= 0x20 && r <= 0x10FFFF {
					write(string(rune(r)))
				}
			}
			err = p.skip()
		case "fldChar":
			typ, _ := attr(t, "fldCharType")
			p.fieldChar(typ)
			err = p.skip()
		case "drawing", "pict", "object":
			var lines []string
			lines, err = p.drawing()
			pa.boxes = append(pa.boxes, lines...)
		case "txbxContent":
			var lines []string
			lines, err = p.textBox()
			pa.boxes = append(pa.boxes, lines...)
		case "softHyphen", "footnoteReference", "endnoteReference", "annotationRef",
			"separator", "continuationSeparator", "lastRenderedPageBreak":
			err = p.skip()
		default:
			if skipped[l] {
				err = p.skip()
			} else {
				depth++
			}
		}
		if err != nil {
			return err
		}
	}
}

// fieldChar follows a complex field: its code (begin..separate) is dropped,
// its result (separate..end) kept.
func (p *parser) fieldChar(typ string) {
	switch typ {
	case "begin":
		if len(p.fields) < maxFieldDepth {
			p.fields = append(p.fields, true)
		}
		p.codeBytes = 0
	case "separate":
		if n := len(p.fields); n > 0 {
			p.fields[n-1] = false
		}
	case "end":
		if n := len(p.fields); n > 0 {
			p.fields = p.fields[:n-1]
		}
	}
}

// runProps reads w:rPr and reports hidden text (w:vanish), which Word does
// not show and which is left out.
func (p *parser) runProps() (bool, error) {
	hidden := false
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "vanish":
				hidden = on(t)
				depth++
			case "rPrChange":
				if err := p.skip(); err != nil {
					return false, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return hidden, nil
			}
			depth--
		}
	}
}

// text reads the character data of a w:t.
func (p *parser) text() (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

// drawing reads a drawing, picture or embedded object for the text boxes it
// holds; the image itself is skipped.
func (p *parser) drawing() ([]string, error) {
	var lines []string
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "txbxContent":
				l, err := p.textBox()
				if err != nil {
					return nil, err
				}
				lines = append(lines, l...)
			case "Fallback":
				if err := p.skip(); err != nil {
					return nil, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return lines, nil
			}
			depth--
		}
	}
}

// textBox reads the paragraphs of a text box as lines.
func (p *parser) textBox() ([]string, error) {
	if p.nesting >= maxNesting {
		return nil, p.skip()
	}
	p.nesting++
	defer func() { p.nesting-- }()
	s := &lineSink{}
	err := p.container(s, nil)
	return s.lines, err
}

// table reads a w:tbl into rows of cell texts; cells spanning several grid
// columns are followed by empty cells, so that columns stay aligned, and
// rows deleted by tracked changes are left out.
func (p *parser) table() ([][]string, error) {
	if p.nesting >= maxNesting {
		return nil, p.skip()
	}
	p.nesting++
	defer func() { p.nesting-- }()
	var rows [][]string
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch l := t.Name.Local; {
			case l == "tr":
				row, deleted, err := p.row()
				if err != nil {
					return nil, err
				}
				if !deleted {
					rows = append(rows, row)
				}
			case skipped[l]:
				if err := p.skip(); err != nil {
					return nil, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return rows, nil
			}
			depth--
		}
	}
}

func (p *parser) row() ([]string, bool, error) {
	var cells []string
	deleted := false
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return nil, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch l := t.Name.Local; {
			case l == "tc":
				text, span, err := p.cell()
				if err != nil {
					return nil, false, err
				}
				cells = append(cells, text)
				for i := 1; i < span; i++ {
					cells = append(cells, "")
				}
			case l == "trPr":
				if deleted, err = p.rowProps(); err != nil {
					return nil, false, err
				}
			case skipped[l]:
				if err := p.skip(); err != nil {
					return nil, false, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return cells, deleted, nil
			}
			depth--
		}
	}
}

// rowProps reads w:trPr and reports a row deleted by tracked changes.
func (p *parser) rowProps() (bool, error) {
	deleted := false
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "del":
				deleted = true
				depth++
			case "trPrChange":
				if err := p.skip(); err != nil {
					return false, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return deleted, nil
			}
			depth--
		}
	}
}

// cell reads a w:tc: its text (paragraphs as lines), and how many grid
// columns it spans. The continuation of a vertically merged cell is blank.
func (p *parser) cell() (string, int, error) {
	span, cont := 1, false
	s := &lineSink{}
	hook := func(t xml.StartElement) (bool, error) {
		if t.Name.Local != "tcPr" {
			return false, nil
		}
		var err error
		span, cont, err = p.cellProps()
		return true, err
	}
	if err := p.container(s, hook); err != nil {
		return "", 0, err
	}
	if cont {
		return "", span, nil
	}
	text := strings.Join(s.lines, "\n")
	p.tableBytes += int64(len(text)) + int64(span)*4
	if p.tableBytes > p.limit {
		return "", 0, formats.Bad(format, formats.ErrTooLarge, "table passes the %d-byte output limit", p.limit)
	}
	return text, span, nil
}

func (p *parser) cellProps() (span int, cont bool, err error) {
	span = 1
	depth := 0
	for {
		tok, err := p.next()
		if err != nil {
			return 0, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "gridSpan":
				v, _ := attr(t, "val")
				if n, err := strconv.Atoi(v); err == nil && n > 1 {
					span = min(n, maxGridSpan)
				}
				depth++
			case "vMerge":
				v, _ := attr(t, "val")
				cont = v != "restart"
				depth++
			case "tcPrChange":
				if err := p.skip(); err != nil {
					return 0, false, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				return span, cont, nil
			}
			depth--
		}
	}
}

// flatten turns a nested table into lines, one per row, cells joined by "; ".
func flatten(rows [][]string) []string {
	var lines []string
	for _, r := range rows {
		var cells []string
		for _, c := range r {
			if c = strings.TrimSpace(strings.ReplaceAll(c, "\n", " ")); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			lines = append(lines, strings.Join(cells, "; "))
		}
	}
	return lines
}

// lineSink collects a cell's or a text box's content as lines: list items
// keep a "- " marker, nested tables are flattened.
type lineSink struct {
	lines []string
}

func (s *lineSink) paragraph(pa *para) {
	if t := strings.TrimSpace(pa.text); t != "" {
		if pa.hasNum {
			t = "- " + t
		}
		s.lines = append(s.lines, t)
	}
	s.lines = append(s.lines, pa.boxes...)
}

func (s *lineSink) table(rows [][]string) { s.lines = append(s.lines, flatten(rows)...) }

// bodySink writes the body's blocks.
type bodySink struct {
	p *parser
}

func (s *bodySink) paragraph(pa *para) {
	p := s.p
	st := p.styles
	switch level := st.heading(pa.style); {
	case st.code(pa.style):
		p.md.CodeLine(pa.text)
	case level > 0:
		text := pa.text
		if pa.label != "" && !strings.HasPrefix(strings.TrimSpace(text), pa.label) {
			text = pa.label + " " + text
		}
		p.md.Heading(markdown.AnnexLevel(level, text), text)
	case pa.hasNum:
		p.md.ListItem(pa.ilvl, p.num.ordered(pa.numID, pa.ilvl), pa.text)
	default:
		p.md.Para(pa.text)
	}
	for _, b := range pa.boxes {
		p.md.Para(b)
	}
}

func (s *bodySink) table(rows [][]string) {
	s.p.md.Table(rows)
	s.p.tableBytes = 0
}
