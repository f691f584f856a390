package doc

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/ranstream/ranstream/pkg/formats/doc/cfb/cfbtest"
)

// seg is a run of text stored as one piece: compressed (cp1252, one byte a
// character) unless utf16, and marked deleted by tracked changes if deleted.
type seg struct {
	text    string
	utf16   bool
	deleted bool
}

// mark gives the paragraph properties of one paragraph or cell mark.
type mark struct {
	istd    uint16
	inTable bool
	ttp     bool
	ilfo    int
}

// wordDoc describes a Word 97 document to build.
type wordDoc struct {
	segs []seg
	// marks apply to the \r and \x07 marks of the text, in order.
	marks []mark
	// styles names the styles by istd; "heading N" gets sti N.
	styles    []string
	encrypted bool
	// noProps leaves out the paragraph and character bin tables.
	noProps bool
}

// cp1252Encode maps the runes of s to cp1252 bytes (those this test uses).
func cp1252Encode(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			out = append(out, byte(r))
		default:
			b := byte('?')
			for i, c := range cp1252 {
				if c == r {
					b = byte(0x80 + i)
				}
			}
			out = append(out, b)
		}
	}
	return out
}

const fibSize = 1024

// build returns the document as a compound file.
func (d wordDoc) build() []byte {
	doc, table := d.streams()
	file, _ := cfbtest.Build(cfbtest.Stream{Name: "WordDocument", Data: doc}, cfbtest.Stream{Name: "1Table", Data: table})
	return file
}

// streams lays out a Word 97 document: the FIB, the text, the FKP pages in
// the WordDocument stream; the piece table, bin tables and style sheet in
// the table stream.
func (d wordDoc) streams() (doc, table []byte) {
	le := binary.LittleEndian
	doc = make([]byte, fibSize)
	type run struct {
		fcStart, fcEnd uint32
		deleted        bool
	}
	var clxPieces []struct {
		cp, fc     uint32
		compressed bool
	}
	var chpRuns []run
	type markAt struct {
		fc uint32 // offset just after the mark
	}
	var marks []markAt
	cp := uint32(0)
	for _, s := range d.segs {
		fc := uint32(len(doc))
		var data []byte
		n := 0
		if s.utf16 {
			for _, u := range utf16.Encode([]rune(s.text)) {
				data = le.AppendUint16(data, u)
				n++
			}
		} else {
			data = cp1252Encode(s.text)
			n = len(data)
		}
		clxPieces = append(clxPieces, struct {
			cp, fc     uint32
			compressed bool
		}{cp, fc, !s.utf16})
		width := uint32(1)
		if s.utf16 {
			width = 2
		}
		for i, u := 0, utf16.Encode([]rune(s.text)); i < len(u); i++ {
			if u[i] == '\r' || u[i] == 0x07 {
				marks = append(marks, markAt{fc: fc + uint32(i+1)*width})
			}
		}
		doc = append(doc, data...)
		chpRuns = append(chpRuns, run{fc, uint32(len(doc)), s.deleted})
		cp += uint32(n)
	}
	ccpText := cp
	for len(doc)%512 != 0 {
		doc = append(doc, 0)
	}

	// Paragraph FKPs: one run per mark, ten runs a page.
	var papFCs []uint32
	var papPNs []uint32
	start := uint32(fibSize)
	for i := 0; i < len(marks); i += 10 {
		page := make([]byte, 512)
		end := min(i+10, len(marks))
		crun := end - i
		page[511] = byte(crun)
		le.PutUint32(page[0:], start)
		papFCs = append(papFCs, start)
		free := 510
		for k := i; k < end; k++ {
			le.PutUint32(page[4*(k-i+1):], marks[k].fc)
			var m mark
			if k < len(d.marks) {
				m = d.marks[k]
			}
			g := le.AppendUint16(nil, m.istd)
			if m.inTable {
				g = append(g, 0x16, 0x24, 1)
			}
			if m.ttp {
				g = append(g, 0x17, 0x24, 1)
			}
			if m.ilfo != 0 {
				g = append(g, 0x0B, 0x46)
				g = le.AppendUint16(g, uint16(m.ilfo))
			}
			if len(g)%2 != 0 {
				g = append(g, 0)
			}
			papx := append([]byte{0, byte(len(g) / 2)}, g...)
			free -= len(papx)
			free &^= 1
			copy(page[free:], papx)
			page[4*(crun+1)+13*(k-i)] = byte(free / 2)
			start = marks[k].fc
		}
		papPNs = append(papPNs, uint32(len(doc)/512))
		doc = append(doc, page...)
	}
	papFCs = append(papFCs, start)

	// Character FKP: one run per segment.
	page := make([]byte, 512)
	page[511] = byte(len(chpRuns))
	free := 510
	for i, r := range chpRuns {
		le.PutUint32(page[4*i:], r.fcStart)
		le.PutUint32(page[4*(i+1):], r.fcEnd)
		if r.deleted {
			free -= 4
			copy(page[free:], []byte{3, 0x00, 0x08, 1})
			page[4*(len(chpRuns)+1)+i] = byte(free / 2)
		}
	}
	chpPN := uint32(len(doc) / 512)
	doc = append(doc, page...)

	// Table stream: CLX, bin tables, style sheet.
	put := func(b []byte) (uint32, uint32) {
		fc := uint32(len(table))
		table = append(table, b...)
		return fc, uint32(len(b))
	}
	var plc []byte
	for _, p := range clxPieces {
		plc = le.AppendUint32(plc, p.cp)
	}
	plc = le.AppendUint32(plc, ccpText)
	for _, p := range clxPieces {
		fc := p.fc
		if p.compressed {
			fc = fc*2 | 0x40000000
		}
		plc = append(plc, 0, 0)
		plc = le.AppendUint32(plc, fc)
		plc = append(plc, 0, 0)
	}
	clx := append([]byte{2}, le.AppendUint32(nil, uint32(len(plc)))...)
	clx = append(clx, plc...)

	var papBte []byte
	for _, fc := range papFCs {
		papBte = le.AppendUint32(papBte, fc)
	}
	for _, pn := range papPNs {
		papBte = le.AppendUint32(papBte, pn)
	}
	var chpBte []byte
	chpBte = le.AppendUint32(chpBte, chpRuns[0].fcStart)
	chpBte = le.AppendUint32(chpBte, chpRuns[len(chpRuns)-1].fcEnd)
	chpBte = le.AppendUint32(chpBte, chpPN)

	stsh := le.AppendUint16(nil, 4)
	stsh = le.AppendUint16(stsh, uint16(len(d.styles)))
	stsh = le.AppendUint16(stsh, 10)
	for _, name := range d.styles {
		sti := uint16(0x0FFE)
		if l, ok := strings.CutPrefix(name, "heading "); ok {
			if n, err := strconv.Atoi(l); err == nil {
				sti = uint16(n)
			}
		}
		if name == "Normal" {
			sti = 0
		}
		std := le.AppendUint16(nil, sti)
		std = append(std, make([]byte, 8)...)
		u := utf16.Encode([]rune(name))
		std = le.AppendUint16(std, uint16(len(u)))
		for _, c := range u {
			std = le.AppendUint16(std, c)
		}
		std = append(std, 0, 0)
		stsh = le.AppendUint16(stsh, uint16(len(std)))
		stsh = append(stsh, std...)
	}

	var pairs [93][2]uint32
	pairs[fcClx][0], pairs[fcClx][1] = put(clx)
	if !d.noProps {
		pairs[fcPlcfBtePapx][0], pairs[fcPlcfBtePapx][1] = put(papBte)
		pairs[fcPlcfBteChpx][0], pairs[fcPlcfBteChpx][1] = put(chpBte)
	}
	if len(d.styles) > 0 {
		pairs[fcStshf][0], pairs[fcStshf][1] = put(stsh)
	}

	// FIB.
	le.PutUint16(doc[0:], wordIdent)
	le.PutUint16(doc[2:], 0xC1)
	flags := uint16(fibFlagComplex | fibFlagTable1)
	if d.encrypted {
		flags |= fibFlagEncrypt
	}
	le.PutUint16(doc[10:], flags)
	pos := 32
	le.PutUint16(doc[pos:], 14)
	pos += 2 + 28
	le.PutUint16(doc[pos:], 22)
	pos += 2
	le.PutUint32(doc[pos:], uint32(len(doc)))
	le.PutUint32(doc[pos+4*3:], ccpText)
	pos += 4 * 22
	le.PutUint16(doc[pos:], 93)
	pos += 2
	for i, p := range pairs {
		le.PutUint32(doc[pos+8*i:], p[0])
		le.PutUint32(doc[pos+8*i+4:], p[1])
	}
	return doc, table
}
