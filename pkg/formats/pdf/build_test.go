package pdf

import (
	"bytes"
	"fmt"
	"strings"
)

// pdfDoc describes a small PDF to build for tests: pages of positioned text
// in Helvetica, optionally a JPEG 2000 image on every page.
type pdfDoc struct {
	pages []pdfPage
	title string
	// jpx is a JPEG 2000 codestream or JP2 file, jpxW x jpxH pixels, grey.
	jpx        []byte
	jpxW, jpxH int
	// declaredPages, when set, is the page count the page tree claims; pages
	// past len(pages) cannot be loaded.
	declaredPages int
	// garbled draws the text with a font whose encoding names glyphs that
	// have no Unicode meaning, as subset fonts without a ToUnicode map do.
	garbled bool
	// producer is the Info dictionary's Producer ("ranstream pdf test"
	// when empty); the dictionary is written when title or producer is set.
	producer string
}

// pdfPage is one A4 page.
type pdfPage struct {
	texts []pdfText
	// draw holds content-stream operators drawn before the text (rules).
	draw string
}

// pdfText is one string drawn at x, y (points from the bottom left), in
// Helvetica-Bold when bold is set.
type pdfText struct {
	x, y, size float64
	s          string
	bold       bool
}

const (
	pageW, pageH = 595.0, 842.0
	leftMargin   = 56.0
	topLine      = 780.0
)

// flowPage lays out lines top-down, 14 points apart; an empty line leaves a
// paragraph gap. A line "N\tTitle" puts the clause number and the title on
// one baseline, apart, as ETSI headings are set. header and footer, when not
// empty, go to the top and bottom margins.
func flowPage(header, footer string, lines ...string) pdfPage {
	var p pdfPage
	if header != "" {
		p.texts = append(p.texts, pdfText{x: leftMargin, y: 810, size: 9, s: header})
	}
	y := topLine
	for _, l := range lines {
		if l == "" {
			y -= 14
			continue
		}
		if num, title, ok := strings.Cut(l, "\t"); ok {
			p.texts = append(p.texts,
				pdfText{x: leftMargin, y: y, size: 12, s: num},
				pdfText{x: leftMargin + 85, y: y, size: 12, s: title})
		} else {
			p.texts = append(p.texts, pdfText{x: leftMargin, y: y, size: 10, s: l})
		}
		y -= 14
	}
	if footer != "" {
		p.texts = append(p.texts, pdfText{x: pageW / 2, y: 30, size: 9, s: footer})
	}
	return p
}

// build writes the PDF: a classic cross-reference table, one content stream
// per page.
func (d pdfDoc) build() []byte {
	var objs []string // objs[i] is object i+1
	add := func(s string) int {
		objs = append(objs, s)
		return len(objs)
	}
	catalog := add("") // filled in below
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	if d.garbled {
		var diff strings.Builder
		diff.WriteString("32 /space")
		for c := 33; c < 127; c++ {
			fmt.Fprintf(&diff, " /g%d", c)
		}
		objs[font-1] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [" + diff.String() + "] >> >>"
	}
	boldFont := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	image := 0
	if d.jpx != nil {
		image = add(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode /Length %d >>\nstream\n%s\nendstream",
			d.jpxW, d.jpxH, len(d.jpx), d.jpx))
	}
	var kids []string
	for _, p := range d.pages {
		var cs bytes.Buffer
		if image != 0 {
			fmt.Fprintf(&cs, "q 100 0 0 100 400 600 cm /Im1 Do Q\n")
		}
		cs.WriteString(p.draw)
		for _, t := range p.texts {
			f := "F1"
			if t.bold {
				f = "F2"
			}
			fmt.Fprintf(&cs, "BT /%s %g Tf %g %g Td (%s) Tj ET\n", f, t.size, t.x, t.y, escapePDFString(t.s))
		}
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cs.Len(), cs.Bytes()))
		res := fmt.Sprintf("/Font << /F1 %d 0 R /F2 %d 0 R >>", font, boldFont)
		if image != 0 {
			res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", image)
		}
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources << %s >> /Contents %d 0 R >>",
			pagesObj, pageW, pageH, res, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	count := len(kids)
	if d.declaredPages > 0 {
		count = d.declaredPages
	}
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), count)
	info := 0
	if d.title != "" || d.producer != "" {
		producer := d.producer
		if producer == "" {
			producer = "ranstream pdf test"
		}
		info = add(fmt.Sprintf("<< /Title (%s) /Producer (%s) >>", escapePDFString(d.title), escapePDFString(producer)))
	}

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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R", len(objs)+1, catalog)
	if info != 0 {
		fmt.Fprintf(&b, " /Info %d 0 R", info)
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// escapePDFString escapes a literal string and encodes it in WinAnsi (the
// few non-ASCII characters the tests use).
func escapePDFString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\u00AD':
			b.WriteString(`\255`)
		case r < 0x80:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
